"""Roles are groups; this module is the one home of what each role may do.

Each domain app lists the permissions it grants in its own ``roles.py`` as
``ROLE_PERMISSIONS = {role: ["app_label.codename", ...]}``; they are merged here and applied
after every migrate, so a new model's permissions reach the roles without a hand-written step.
"""

from importlib import import_module

from django.apps import apps as global_apps
from django.contrib.auth.models import Group, Permission

PROVIDER = "provider"
ORGANIZATION_ADMINISTRATOR = "organization administrator"
TRAINING_INSTITUTION = "training institution"  # applies for course approval (education app)
LICENSING_REVIEWER = "licensing reviewer"
VEHICLE_INSPECTOR = "vehicle inspector"
INVESTIGATOR = "investigator"
RATES_ANALYST = "rates analyst"
SUPERVISOR = "supervisor"

PUBLIC_ROLES = (PROVIDER, ORGANIZATION_ADMINISTRATOR, TRAINING_INSTITUTION)
STAFF_ROLES = (LICENSING_REVIEWER, VEHICLE_INSPECTOR, INVESTIGATOR, RATES_ANALYST, SUPERVISOR)
ALL_ROLES = PUBLIC_ROLES + STAFF_ROLES

# What the foundation itself grants; domain apps add theirs in <app>/roles.py.
ROLE_PERMISSIONS = {
    SUPERVISOR: [
        "accounts.view_user",
        "core.view_news",
        "core.add_news",
        "core.change_news",
        "core.delete_news",
        "django_celery_beat.view_periodictask",
        "django_celery_beat.change_periodictask",
        "django_celery_beat.view_crontabschedule",
        "django_celery_beat.view_intervalschedule",
    ],
    LICENSING_REVIEWER: ["core.view_news", "core.add_news", "core.change_news"],
}


def role_permissions() -> dict[str, set[str]]:
    """The merged mapping role -> permission names, across every installed app."""
    merged = {role: set(ROLE_PERMISSIONS.get(role, ())) for role in ALL_ROLES}
    for app_config in global_apps.get_app_configs():
        if app_config.name == "accounts":
            continue
        try:
            module = import_module(f"{app_config.name}.roles")
        except ModuleNotFoundError as error:
            if error.name != f"{app_config.name}.roles":
                raise
            continue
        for role, names in getattr(module, "ROLE_PERMISSIONS", {}).items():
            merged.setdefault(role, set()).update(names)
    return merged


def sync_role_permissions(*, using="default"):
    """Give every role group exactly the permissions listed for it (idempotent)."""
    for role, names in role_permissions().items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        wanted = []
        for name in sorted(names):
            app_label, codename = name.split(".", 1)
            permission = (
                Permission.objects.using(using)
                .filter(content_type__app_label=app_label, codename=codename)
                .first()
            )
            if permission is not None:  # a model not migrated yet is picked up next time
                wanted.append(permission)
        group.permissions.set(wanted)


def sync_role_permissions_after_migrate(sender, using="default", **kwargs):
    # post_migrate is sent once per app; every app's permissions exist after the last one.
    if sender is list(global_apps.get_app_configs())[-1]:
        sync_role_permissions(using=using)
