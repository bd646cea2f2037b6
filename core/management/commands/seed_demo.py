"""Load the demo data set: ``seed_demo`` for a small coherent demo, ``--providers N`` for a
generated one at state scale.

Each app that has demo data provides ``<app>/demo.py`` with
``seed(*, stdout, providers: int | None)``; they run in INSTALLED_APPS order, so an app can use
what the apps before it created. Every seed is idempotent: running the command twice adds nothing.
"""

from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings


class Command(BaseCommand):
    help = "Load demo data (idempotent). Refuses to run in production."

    def add_arguments(self, parser):
        parser.add_argument(
            "--providers",
            type=int,
            default=None,
            help="Generate a state-scale data set with this many providers.",
        )

    def handle(self, *args, providers=None, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo refuses to run with DJANGO_ENV=production.")
        if providers is not None and providers < 0:
            raise CommandError("--providers must be zero or more.")
        # Demo people must never be emailed, whatever EMAIL_URL says: the emails the demo's
        # services send are kept in memory and dropped.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for app_config in apps.get_app_configs():
                try:
                    module = import_module(f"{app_config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app_config.name}.demo":
                        raise
                    continue
                module.seed(stdout=self.stdout, providers=providers)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
