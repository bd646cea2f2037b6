from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self):
        from . import adapters, roles, signals  # noqa: F401  (they connect signal receivers)

        # Permissions exist only after every app has migrated, so the roles' permissions are
        # (re)applied then; the groups themselves are created by migration 0002.
        post_migrate.connect(roles.sync_role_permissions_after_migrate)
