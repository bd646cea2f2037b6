"""Write the .env that docker compose reads: fresh random secrets, never the published
development values (production refuses those). Refuses to overwrite an existing file, whose
SSN_HMAC_KEY already hashes stored SSNs.

    python scripts/make_env.py [--path .env] [--hosts 127.0.0.1,localhost]
"""

import argparse
import secrets
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

TEMPLATE = """\
# Made by `make env` ({script}) for docker compose, which runs the portal in production mode
# (DJANGO_ENV=production and DEBUG off are set in docker-compose.yml). Keep this file secret and
# out of version control. Every variable is described in .env.example.

SECRET_KEY={secret_key}
# Changing SSN_HMAC_KEY makes every stored SSN hash unmatchable: rotate only with a re-hash plan.
SSN_HMAC_KEY={ssn_hmac_key}
POSTGRES_PASSWORD={postgres_password}
ALLOWED_HOSTS={hosts}
SITE_URL=http://{first_host}:8000
# Plain HTTP on port 8000 for a local trial. Behind a TLS proxy: true, and SITE_URL https://...
SECURE_SSL_REDIRECT=false

# The TEST MODE payment gateway, allowed in production only with PAYMENTS_TEST_MODE=true (every
# page then says so). A real processor's settings replace these two lines (docs/payments.md).
PAYMENTS_GATEWAY=test
PAYMENTS_TEST_MODE=true
"""


def render(*, hosts: str) -> str:
    return TEMPLATE.format(
        script="scripts/make_env.py",
        secret_key=secrets.token_urlsafe(64),
        ssn_hmac_key=secrets.token_urlsafe(48),
        postgres_password=secrets.token_urlsafe(24),
        hosts=hosts,
        first_host=hosts.split(",")[0],
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--path", type=Path, default=ROOT / ".env")
    parser.add_argument("--hosts", default="127.0.0.1,localhost")
    args = parser.parse_args(argv)
    if args.path.exists():
        print(f"{args.path} exists; not overwritten (its SSN_HMAC_KEY may be in use).")
        return 1
    args.path.write_text(render(hosts=args.hosts))
    args.path.chmod(0o600)
    print(f"Wrote {args.path} with fresh random secrets.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
