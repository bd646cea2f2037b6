"""Two devices completing the same inspection at once: it is recorded once (PostgreSQL)."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from core.errors import DomainError
from vehicles import services
from vehicles.models import Inspection, InspectionStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def test_a_simultaneous_second_completion_is_refused(vehicle, inspector, supervisor, checklist):
    inspection = services.inspection_schedule(
        vehicle=vehicle, scheduled_for=timezone.localdate(), inspector=inspector, actor=supervisor
    )
    services.inspection_start(inspection=inspection, actor=inspector)
    for answer in inspection.answers.all():
        services.inspection_answer(answer=answer, actor=inspector, result="pass")

    outcomes, barrier = [], threading.Barrier(2)

    def complete():
        from django.db import connections

        barrier.wait()
        try:
            services.inspection_complete(
                inspection=Inspection.objects.get(pk=inspection.pk), actor=inspector
            )
            outcomes.append("recorded")
        except DomainError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=complete) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_recorded", "recorded"]
    inspection.refresh_from_db()
    assert inspection.status == InspectionStatus.PASSED
    assert inspection.history.filter(status=InspectionStatus.PASSED).count() == 1
