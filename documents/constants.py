"""The numbers of background document work, in one place."""

from datetime import timedelta

# A running job whose worker has not reported progress for this long is presumed dead (killed,
# machine lost) and may be taken over by another run. Workers report after every chunk, which
# takes seconds, so this is generous; it is well under CELERY_TASK_TIME_LIMIT's 30 minutes.
STALE_AFTER = timedelta(minutes=10)

# Rows per chunk when a spec does not say: about 25 letter pages of a simple table, a few
# seconds of WeasyPrint work and a small, flat memory footprint (benchmarks/results/).
DEFAULT_CHUNK_ROWS = 1000

# Transient failures (database or storage hiccups) are retried with exponential backoff.
MAX_RETRIES = 5
RETRY_BACKOFF_SECONDS = 10  # 10, 20, 40, 80, 160 s
RETRY_BACKOFF_MAX_SECONDS = 600

# How often the status page asks for news, in milliseconds.
STATUS_POLL_MS = 1500
