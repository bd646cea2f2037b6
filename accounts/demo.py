"""Demo accounts: one user per role, with the passwords the README lists.

Staff accounts get a TOTP authenticator with a published demo secret so a newcomer can reach
the admin: add the secret to any authenticator app, or print the current code with
``python manage.py demo_totp_code``. Never run against production data (seed_demo refuses).
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group

from . import roles
from .models import User

DEMO_PASSWORD = "oems-demo-2026"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPOEMSDEMO"  # base32; published on purpose, demo only

DEMO_USERS = [
    # email, full name, role, is_staff
    ("provider@example.com", "Pat Provider", roles.PROVIDER, False),
    ("orgadmin@example.com", "Olive Organization", roles.ORGANIZATION_ADMINISTRATOR, False),
    ("reviewer@example.com", "Riley Reviewer", roles.LICENSING_REVIEWER, True),
    ("inspector@example.com", "Ira Inspector", roles.VEHICLE_INSPECTOR, True),
    ("investigator@example.com", "Ivy Investigator", roles.INVESTIGATOR, True),
    ("rates@example.com", "Rae Rates", roles.RATES_ANALYST, True),
    ("supervisor@example.com", "Sam Supervisor", roles.SUPERVISOR, True),
]


def demo_user(email: str) -> User:
    return User.objects.get(email=email)


def ensure_user(*, email, full_name, role, is_staff, password=DEMO_PASSWORD) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"full_name": full_name, "is_staff": is_staff}
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    user.groups.add(Group.objects.get(name=role))
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    if is_staff and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP):
        TOTP.activate(user, DEMO_TOTP_SECRET)
    return user


def seed(*, stdout, providers=None):
    roles.sync_role_permissions()
    for email, full_name, role, is_staff in DEMO_USERS:
        ensure_user(email=email, full_name=full_name, role=role, is_staff=is_staff)
    stdout.write(f"  accounts: {len(DEMO_USERS)} demo users (password {DEMO_PASSWORD!r})")
