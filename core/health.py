"""What /healthz reports: does each backing service answer right now?"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from oems_portal.celery import app


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True, "engine": connection.vendor}
    except Exception as error:
        return {"ok": False, "engine": connection.vendor, "error": str(error)[:200]}


def check_cache() -> dict:
    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache.set(key, "1", timeout=5)
        ok = cache.get(key) == "1"
        cache.delete(key)
        return {"ok": ok, "backend": backend}
    except Exception as error:
        return {"ok": False, "backend": backend, "error": str(error)[:200]}


def check_broker() -> dict:
    if app.conf.task_always_eager:
        return {"ok": True, "mode": "in-process (no REDIS_URL)"}
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True, "mode": "broker"}
    except Exception as error:
        return {"ok": False, "mode": "broker", "error": str(error)[:200]}


def health_report() -> tuple[bool, dict]:
    checks = {"database": check_database(), "cache": check_cache(), "broker": check_broker()}
    return all(check["ok"] for check in checks.values()), checks
