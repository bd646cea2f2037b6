"""Two workers running the warning task at the same moment claim each warning once
(PostgreSQL: the unique constraint decides between concurrent inserts)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from accounts import roles
from information import services
from information.models import AttestationWarning

from .factories import StrokeCertificationFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent inserts need PostgreSQL"
    ),
]


def test_concurrent_runs_claim_and_send_each_warning_once(make_user, mailoutbox):
    make_user("sam.supervisor@example.com", role=roles.SUPERVISOR)
    today = timezone.localdate()
    for _ in range(5):
        StrokeCertificationFactory(attestation_expires=today + timedelta(days=30))
    barrier = threading.Barrier(2)
    claimed = []

    def run():
        barrier.wait()
        try:
            claimed.extend(services.attestation_warnings_claim(today=today))
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert len(claimed) == 5
    assert AttestationWarning.objects.filter(sent_at__isnull=False).count() == 5
    assert len(mailoutbox) == 5
