"""Beat's nightly run prepares the public lists, reuses unchanged ones, and never the
restricted documents (rosters, cards)."""

import pytest

from documents import services
from documents.models import DocumentJob

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_nightly_run_prepares_the_public_lists_once(django_capture_on_commit_callbacks):
    from rates.models import RateSchedule  # noqa: F401  (no approved year: no rates PDF)

    with django_capture_on_commit_callbacks(execute=True):
        first = services.documents_refresh_nightly()
    kinds = set(DocumentJob.objects.values_list("kind", flat=True))
    assert kinds == {
        "psa-by-town",
        "psa-by-organization",
        "ido-list",
        "organization-directory",
        "nemsis-state-dataset",
    }
    assert first["queued"] == 5 and first["refused"] == 0
    assert set(DocumentJob.objects.values_list("status", flat=True)) == {"done"}

    with django_capture_on_commit_callbacks(execute=True):
        second = services.documents_refresh_nightly()
    assert second["reused"] == 5 and DocumentJob.objects.count() == 5


def test_the_nightly_beat_task_is_registered():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="documents.tasks.refresh_public_documents")
    assert task.enabled and task.crontab.hour == "2"
