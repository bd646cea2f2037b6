"""Celery entry points of the nemsis app: ids in, services do the work, safe to run twice (the
conditional claim lets one run check a file; a finished file is never checked again)."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import services

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, max_retries=3)
def check_dem_upload(self, upload_id: str) -> str:
    if not services.dem_upload_claim(upload_id=upload_id):
        return "skipped: another run has it, or it is finished"
    try:
        upload = services.dem_upload_check(upload_id=upload_id)
    except (OperationalError, InterfaceError, OSError) as error:
        logger.warning("DEM upload %s: transient %r; retrying.", upload_id, error)
        services.dem_upload_release_for_retry(upload_id=upload_id, error=repr(error))
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error
    return upload.status
