"""The training institution role (accounts.roles.TRAINING_INSTITUTION): its group. Permissions
are applied after every migrate by accounts.roles.sync_role_permissions."""

from django.db import migrations

ROLE = "training institution"


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=ROLE)


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ROLE).delete()


class Migration(migrations.Migration):
    dependencies = [("education", "0001_initial"), ("accounts", "0002_roles")]

    operations = [migrations.RunPython(create_role, remove_role)]
