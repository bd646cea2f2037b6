"""Long tables (the rosters): laid out in chunks by the lean table engine, one Celery task per
chunk, merged once every index is stored. Read back with pypdf: every row once and in order,
the header row on every page, title, language, tags and bookmarks; a run that dies mid-chunk is
resumed without duplicate pages."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from pypdf import PdfReader

from documents import constants, services, tables, tasks
from documents.models import DocumentChunk, DocumentJob, JobStatus
from documents.registry import DocumentSpec

from .conftest import registered
from .pdf_text import pdf_pages_text

pytestmark = pytest.mark.django_db

KIND = "test-long-table"
NUMBER = re.compile(r"N\d{5}")


def _rows(count):
    return [
        (f"Holder {index:05d}, Given Name", f"N{index:05d}", "Paramedic", "Active", "2030-01-01")
        for index in range(count)
    ]


def _spec(rows, chunk_rows=40):
    return DocumentSpec(
        title="Test roster — long table",
        build_context=lambda params: {"rows": rows},
        fingerprint=lambda params: f"rows:{len(rows)}",
        chunked_rows=chunk_rows,
        table=tables.TableLayout(
            columns=(
                tables.Column("Holder", 0.34),
                tables.Column("Number", 0.14),
                tables.Column("Level", 0.18),
                tables.Column("Status", 0.16),
                tables.Column("Expires", 0.18),
            ),
            cells=lambda row: [row],
            intro=lambda context: "Every holder on file, by name.",
            end_note="End of the test roster.",
        ),
    )


def _request(capture, spec, *, execute=True):
    with registered(KIND, spec), capture(execute=execute):
        job, outcome = services.document_request(kind=KIND, params={}, user=AnonymousUser())
    job.refresh_from_db()
    return job, outcome


def _numbers(pages):
    return [number for page in pages for number in NUMBER.findall(page)]


def test_every_row_once_in_order_headers_on_every_page_title_language_tags_and_bookmarks(
    django_capture_on_commit_callbacks,
):
    rows = _rows(230)  # 6 chunks of 40: the last one short
    job, outcome = _request(django_capture_on_commit_callbacks, _spec(rows))
    assert outcome == "queued"
    assert job.status == JobStatus.DONE, (job.error, job.error_detail)
    content = job.file.read()
    pages = pdf_pages_text(content)

    assert _numbers(pages) == [f"N{index:05d}" for index in range(230)]
    assert job.page_count == len(pages) >= 6  # each chunk starts a page
    for number, page in enumerate(pages, start=1):
        assert "Holder Number Level Status Expires" in page  # the header row, repeated
        assert f"Page {number} of {len(pages)}" in page
    assert "Test roster — long table" in pages[0] and "230 entries" in pages[0]
    assert "End of the test roster." in pages[-1]

    reader = PdfReader(io.BytesIO(content))
    root = reader.trailer["/Root"]
    assert reader.metadata.title == "Test roster — long table"
    assert root["/Lang"] == "en-US"
    assert root["/MarkInfo"]["/Marked"].value is True
    assert root["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert [item.title for item in reader.outline] == [
        "Entries 1–40",
        "Entries 41–80",
        "Entries 81–120",
        "Entries 121–160",
        "Entries 161–200",
        "Entries 201–230",
    ]
    # The structure tree: Document > H1, P, P, Table, P; the table: one header row of TH with
    # column scope, then one TR of five TD per row (the repeated headers are artifacts).
    document = root["/StructTreeRoot"]["/K"][0].get_object()
    kinds = [kid.get_object()["/S"] for kid in document["/K"]]
    assert kinds == ["/H1", "/P", "/P", "/Table", "/P"]
    table = document["/K"][3].get_object()
    table_rows = [row.get_object() for row in table["/K"]]
    assert len(table_rows) == 231
    header = [cell.get_object() for cell in table_rows[0]["/K"]]
    assert [cell["/S"] for cell in header] == ["/TH"] * 5
    assert header[0]["/A"]["/Scope"] == "/Column"
    assert {cell.get_object()["/S"] for row in table_rows[1:] for cell in row["/K"]} == {"/TD"}
    # Chunks are dropped once merged.
    assert not DocumentChunk.objects.filter(job=job).exists()


def test_an_empty_table_says_so(django_capture_on_commit_callbacks):
    job, _ = _request(django_capture_on_commit_callbacks, _spec([]))
    assert job.status == JobStatus.DONE, job.error_detail
    (page,) = pdf_pages_text(job.file.read())
    assert "Nothing on file." in page and "0 entries" in page


def test_a_request_while_the_same_roster_runs_joins_it(django_capture_on_commit_callbacks):
    spec = _spec(_rows(50))
    job, outcome = _request(django_capture_on_commit_callbacks, spec, execute=False)
    again, second = _request(django_capture_on_commit_callbacks, spec, execute=False)
    assert (outcome, second) == ("queued", "joined")
    assert again.pk == job.pk and DocumentJob.objects.count() == 1


class WorkerKilled(BaseException):
    """What a killed worker looks like from inside: the task never returns or records anything."""


def test_a_job_whose_worker_died_mid_chunk_resumes_and_renders_only_the_missing_chunks(
    django_capture_on_commit_callbacks, monkeypatch
):
    spec = _spec(_rows(120))  # chunks 0, 1, 2
    job, _ = _request(django_capture_on_commit_callbacks, spec, execute=False)
    laid_out = []
    real_render_chunk = tables.render_chunk

    def render_chunk(*args, **kwargs):
        rows = list(args[3])
        laid_out.append(rows[0][1])
        if rows[0][1] == "N00040" and laid_out.count("N00040") == 1:
            raise WorkerKilled  # the first run dies inside chunk 1
        return real_render_chunk(*args[:3], rows, **kwargs)

    monkeypatch.setattr(tables, "render_chunk", render_chunk)
    with registered(KIND, spec):
        token = services.job_claim(job_id=job.pk)
        assert services.job_plan_chunks(job_id=job.pk, token=token) == [0, 1, 2]
        assert services.job_render_chunk(job_id=job.pk, token=token, index=0) is False
        with pytest.raises(WorkerKilled):
            services.job_render_chunk(job_id=job.pk, token=token, index=1)
        assert services.job_render_chunk(job_id=job.pk, token=token, index=2) is False
        # The same chunk delivered twice (acks_late redelivery) is stored once, not laid out again.
        services.job_render_chunk(job_id=job.pk, token=token, index=0)
        assert sorted(DocumentChunk.objects.values_list("index", flat=True)) == [0, 2]
        job.refresh_from_db()
        assert job.status == JobStatus.RUNNING

        # Nothing reports any more; beat's sweep finds the job stale and a new run takes over.
        DocumentJob.objects.filter(pk=job.pk).update(
            heartbeat_at=timezone.now() - constants.STALE_AFTER - timedelta(seconds=1)
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert tasks.requeue_stale_jobs.delay().get() == 1
        # A late message of the dead run (its token) changes nothing.
        assert services.job_render_chunk(job_id=job.pk, token=token, index=1) is False

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, (job.error, job.error_detail)
    assert job.attempts == 2
    assert laid_out == ["N00000", "N00040", "N00080", "N00040"]  # only chunk 1 again
    pages = pdf_pages_text(job.file.read())
    assert _numbers(pages) == [f"N{index:05d}" for index in range(120)]
    assert job.page_count == len(pages)


def test_the_merge_sends_a_missing_chunk_again_instead_of_leaving_a_gap(
    django_capture_on_commit_callbacks,
):
    spec = _spec(_rows(90))
    job, _ = _request(django_capture_on_commit_callbacks, spec, execute=False)
    with registered(KIND, spec):
        token = services.job_claim(job_id=job.pk)
        services.job_plan_chunks(job_id=job.pk, token=token)
        for index in (0, 1, 2):
            services.job_render_chunk(job_id=job.pk, token=token, index=index)
        DocumentChunk.objects.filter(job=job, index=1).delete()  # lost (e.g. the plan changed)
        assert services.job_merge_chunks(job_id=job.pk, token=token) == [1]
        # The merge task sends it again; stored, it merges (eager here: all in this call).
        assert tasks.merge_document.delay(str(job.pk), str(token)).get() == "sent 1 part(s) again"
    job.refresh_from_db()
    assert _numbers(pdf_pages_text(job.file.read())) == [f"N{index:05d}" for index in range(90)]


def test_long_words_wrap_inside_their_cell_and_rows_never_split():
    face = tables.font(tables.REGULAR)
    lines = tables.wrap("Supercalifragilistic-expialidocious " * 3, 60, face, 8)
    assert all(face.measure(line, 8) <= 60 for line in lines)
    assert "".join(lines).replace(" ", "") == ("Supercalifragilistic-expialidocious" * 3)
