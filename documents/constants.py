"""The numbers of background document work, in one place."""

from datetime import timedelta

from django.conf import settings

# A running job whose worker has not reported progress for this long is presumed dead (killed,
# machine lost) and may be taken over by another run. Workers report after every chunk, which
# takes seconds, so this is generous; it is well under CELERY_TASK_TIME_LIMIT's 30 minutes.
# A setting: DOCUMENT_STALE_SECONDS (10 minutes; docs/reliability.md).
STALE_AFTER = timedelta(seconds=settings.DOCUMENT_STALE_SECONDS)

# Rows per chunk when a spec does not say: about 35 letter pages of a simple table. Measured
# (benchmarks/results/pdf_chunks.md): peak memory stays near 280 MB whatever the row count
# (one plain 5,000-row table: 873 MB), and each chunk starts a new page, so smaller chunks
# leave more part-filled pages (5,000 rows: 175 pages at 1,000 per chunk, 200 at 100).
DEFAULT_CHUNK_ROWS = 1000

# Transient failures (database or storage hiccups) are retried with exponential backoff.
MAX_RETRIES = 5
RETRY_BACKOFF_SECONDS = 10  # 10, 20, 40, 80, 160 s
RETRY_BACKOFF_MAX_SECONDS = 600

# How often the status page asks for news, in milliseconds.
STATUS_POLL_MS = 1500
