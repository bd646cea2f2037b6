"""A Content-Security-Policy on every page: no inline script runs unless the response gave it
its nonce, so script slipped in through user content cannot run."""

import re
from pathlib import Path

import pytest

from accounts import roles

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def script_sources(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    directives = dict(
        (part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip()
    )
    return directives["script-src"].split()


@pytest.mark.parametrize(
    "path", ["/", "/verify/", "/complaints/file/", "/accounts/login/", "/api/v1/news/", "/healthz"]
)
def test_public_responses_carry_a_policy_without_inline_script(client, path):
    response = client.get(path)
    assert response.status_code == 200
    sources = script_sources(response)
    assert "'self'" in sources
    assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources
    assert "object-src 'none'" in response["Content-Security-Policy"]


def test_the_admin_carries_the_policy(staff_client):
    response = staff_client(roles.SUPERVISOR).get("/admin/")
    assert response.status_code == 200
    assert "'unsafe-inline'" not in script_sources(response)


def test_the_api_docs_load_their_scripts_as_files(client):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert not re.search(r"<script>(?!\s*</script>)", html)
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\b(?:src|nonce)=)(?![^>]*application/json)[^>]*>")


def test_no_template_of_ours_has_an_inline_script():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "templates").rglob("*.html")
        if INLINE_SCRIPT.search(path.read_text())
    ]
    assert offenders == []
