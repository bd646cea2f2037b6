"""The rate categories in use when the portal opens. Staff add and retire categories in the
admin; nothing in code depends on this list."""

from django.db import migrations

CATEGORIES = [
    # code, name, unit, sort order
    ("bls-emergency", "BLS emergency", "per transport", 10),
    ("bls-non-emergency", "BLS non-emergency", "per transport", 20),
    ("als1-emergency", "ALS1 emergency", "per transport", 30),
    ("als1-non-emergency", "ALS1 non-emergency", "per transport", 40),
    ("als2", "ALS2", "per transport", 50),
    ("specialty-care-transport", "Specialty care transport", "per transport", 60),
    ("paramedic-intercept", "Paramedic intercept", "per response", 70),
    ("treatment-no-transport", "Treatment without transport", "per response", 80),
    ("mileage", "Mileage", "per loaded mile", 90),
    ("waiting-time", "Waiting time", "per 15-minute unit", 100),
]


def add_categories(apps, schema_editor):
    RateCategory = apps.get_model("rates", "RateCategory")
    for code, name, unit, sort_order in CATEGORIES:
        RateCategory.objects.get_or_create(
            code=code, defaults={"name": name, "unit": unit, "sort_order": sort_order}
        )


class Migration(migrations.Migration):
    dependencies = [("rates", "0001_initial")]

    operations = [migrations.RunPython(add_categories, migrations.RunPython.noop)]
