"""Celery entry points of the oversight dashboard: safe to run twice (each run stores a newer
snapshot and drops the older ones)."""

from celery import shared_task

from . import snapshot


@shared_task(acks_late=True)
def refresh_dashboard() -> str:
    return snapshot.refresh().taken_at.isoformat()
