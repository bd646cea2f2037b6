"""CE requirement sets of the national model (EMR 16 h, EMT 40 h, AEMT 50 h, Paramedic 60 h,
half national, a quarter local, a quarter individual; all may be distributive education) and the
coded reasons for returning an application as incomplete. Staff edit both in the admin."""

from datetime import date
from decimal import Decimal

from django.db import migrations

CE_SETS = [
    # level, national, local, individual
    ("emr", "8", "4", "4"),
    ("emt", "20", "10", "10"),
    ("aemt", "25", "12.5", "12.5"),
    ("paramedic", "30", "15", "15"),
]

REASONS = [
    ("missing-ce", "Missing continuing education", "Record the missing CE hours and upload the course certificates."),
    ("missing-document", "Missing document", "Upload the document named in the reviewer's note."),
    ("name-mismatch", "Name does not match our records", "Upload proof of your name change (marriage certificate, court order)."),
    ("nremt-not-found", "NREMT recertification not found", "Check the NREMT number and that your national application is submitted."),
    ("illegible-document", "A document cannot be read", "Upload a clear PDF or photo of the document."),
    ("ce-not-approved", "CE course not approved", "Replace the course with one carrying a valid T3 or F3 approval number."),
]


def forwards(apps, schema_editor):
    CERequirementSet = apps.get_model("providers", "CERequirementSet")
    IncompleteReason = apps.get_model("providers", "IncompleteReason")
    for level, national, local, individual in CE_SETS:
        CERequirementSet.objects.get_or_create(
            level=level,
            effective_from=date(2020, 1, 1),
            defaults={
                "national_hours": Decimal(national),
                "local_hours": Decimal(local),
                "individual_hours": Decimal(individual),
                "max_distributive_hours": None,
                "note": "National continued competency model; all CE may be distributive.",
            },
        )
    for code, label, guidance in REASONS:
        IncompleteReason.objects.get_or_create(
            code=code, defaults={"label": label, "guidance": guidance}
        )


class Migration(migrations.Migration):
    dependencies = [("providers", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
