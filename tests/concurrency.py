"""Run functions at the same moment in threads, each with its own database connection (what
two workers or two requests do), and report any exception a thread raised."""

import threading

from django.db import connection


def run_together(*calls, timeout: float = 120) -> list[Exception]:
    """Start every call at once (a barrier), wait for all; returns the exceptions raised."""
    barrier = threading.Barrier(len(calls))
    errors: list[Exception] = []

    def run(call):
        try:
            barrier.wait()
            call()
        except Exception as error:  # returned to the test; a thread's exception is otherwise lost
            errors.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return errors
