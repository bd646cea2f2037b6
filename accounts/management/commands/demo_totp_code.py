"""Print the current authenticator code of the demo staff accounts (demo secret only)."""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management.base import BaseCommand

from accounts.demo import DEMO_TOTP_SECRET


def current_code(secret: str = DEMO_TOTP_SECRET, *, offset_periods: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset_periods))


class Command(BaseCommand):
    help = "Print the current TOTP code for the demo staff accounts."

    def handle(self, *args, **options):
        self.stdout.write(current_code())
