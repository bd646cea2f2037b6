"""The fees in force when the portal opens (shared/DESIGN.md): $125 state renewal, $15 returned
payment. Staff change them in the admin by adding a row for a future date."""

from datetime import date
from decimal import Decimal

from django.db import migrations

FEES = [
    ("provider_renewal", Decimal("125.00"), "State renewal fee"),
    ("provider_initial", Decimal("125.00"), "Initial certification fee"),
    ("provider_reinstatement", Decimal("125.00"), "Reinstatement fee"),
    ("instructor_renewal", Decimal("0.00"), "No separate fee"),
    ("organization_license", Decimal("300.00"), "Annual license fee, commercial services"),
    ("returned_payment", Decimal("15.00"), "Returned payment fee"),
]


def add_fees(apps, schema_editor):
    FeeSchedule = apps.get_model("payments", "FeeSchedule")
    for code, amount, note in FEES:
        FeeSchedule.objects.get_or_create(
            code=code, effective_from=date(2020, 1, 1), defaults={"amount": amount, "note": note}
        )


class Migration(migrations.Migration):
    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunPython(add_fees, migrations.RunPython.noop)]
