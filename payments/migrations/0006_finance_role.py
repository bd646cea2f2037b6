"""The finance role (accounts.roles.FINANCE): its group. It records checks and money orders,
returns, and receives the daily reconciliation. Permissions are applied after every migrate by
accounts.roles.sync_role_permissions."""

from django.db import migrations

ROLE = "finance"


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=ROLE)


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ROLE).delete()


class Migration(migrations.Migration):
    dependencies = [("payments", "0005_daily_reconciliation_schedule"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(create_role, remove_role)]
