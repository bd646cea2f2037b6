"""Starter minimum equipment lists (per service level) and mechanical checklist, for staff to
edit in the admin, and the daily 'inspection due' job in the beat schedule."""

from django.db import migrations

BLS = [
    ("Airway", "Oropharyngeal airways, adult and pediatric sizes", 1),
    ("Airway", "Nasopharyngeal airways, adult and pediatric sizes", 1),
    ("Airway", "Bag-valve-mask resuscitator, adult, pediatric and infant", 3),
    ("Airway", "Portable suction unit with rigid and flexible catheters", 1),
    ("Oxygen", "Portable oxygen cylinder (D size or larger), full", 2),
    ("Oxygen", "Non-rebreather masks and nasal cannulas, adult and pediatric", 4),
    ("Cardiac", "Automated external defibrillator with adult and pediatric pads", 1),
    ("Assessment", "Blood pressure cuffs: adult, pediatric, large adult", 3),
    ("Assessment", "Stethoscope", 1),
    ("Assessment", "Pulse oximeter", 1),
    ("Assessment", "Glucometer with strips and lancets", 1),
    ("Immobilization", "Long backboard or scoop stretcher with straps", 1),
    ("Immobilization", "Cervical collars, adjustable adult and pediatric", 2),
    ("Immobilization", "Traction splint, adult", 1),
    ("Immobilization", "Extremity splints, assorted", 1),
    ("Bleeding control", "Commercial tourniquets", 2),
    ("Bleeding control", "Trauma dressings and occlusive dressings", 4),
    ("Obstetrics", "Sterile obstetrical kit", 1),
    ("Medications", "Epinephrine auto-injectors, adult and pediatric", 2),
    ("Medications", "Naloxone", 2),
    ("Medications", "Oral glucose and aspirin", 1),
    ("Safety", "Personal protective equipment: gloves, gowns, eye protection, N95 masks", 1),
    ("Safety", "Fire extinguisher, charged and inspected", 1),
    ("Patient transport", "Stretcher with patient restraint straps", 1),
    ("Patient transport", "Pediatric transport restraint device", 1),
]
AEMT_EXTRA = [
    ("Vascular access", "IV start kits and catheters 14–24 gauge", 4),
    ("Vascular access", "Normal saline 1,000 mL", 4),
    ("Airway", "Supraglottic airways, adult and pediatric sizes", 1),
    ("Medications", "Nebulizer with albuterol", 1),
]
PARAMEDIC_EXTRA = [
    ("Cardiac", "Cardiac monitor/defibrillator with 12-lead, pacing and capnography", 1),
    ("Airway", "Laryngoscope with blades and endotracheal tubes, adult and pediatric", 1),
    ("Vascular access", "Intraosseous access device, adult and pediatric needles", 1),
    ("Medications", "ALS drug box, sealed, within expiration", 1),
    ("Medications", "Controlled substances in a locked, logged container", 1),
]
MECHANICAL = [
    ("Lights and signals", "Headlights, brake lights, turn signals, hazard lights"),
    ("Lights and signals", "Emergency warning lights, all positions"),
    ("Lights and signals", "Siren and horn"),
    ("Brakes", "Service brakes and parking brake"),
    ("Tires and wheels", "Tire tread depth and condition, wheels and lug nuts"),
    ("Steering and suspension", "Steering play, suspension and shocks"),
    ("Exhaust", "Exhaust system without leaks into the cab or patient compartment"),
    ("Visibility", "Windshield, wipers, washers and mirrors"),
    ("Patient compartment", "Heating, air conditioning and interior lighting"),
    ("Patient compartment", "Cabinets, oxygen and stretcher mounts secured"),
    ("Body", "Doors, latches and seat belts"),
    ("Documents", "Registration and proof of insurance on board"),
]


def load(apps, schema_editor):
    ChecklistItem = apps.get_model("vehicles", "ChecklistItem")
    if ChecklistItem.objects.exists():
        return
    lists = {
        "bls": BLS,
        "aemt": BLS + AEMT_EXTRA,
        "paramedic": BLS + AEMT_EXTRA + PARAMEDIC_EXTRA,
    }
    rows = []
    for level, items in lists.items():
        for position, (category, description, quantity) in enumerate(items, start=1):
            rows.append(
                ChecklistItem(
                    section="equipment",
                    service_level=level,
                    category=category,
                    description=description,
                    quantity=quantity,
                    position=position * 10,
                )
            )
    for position, (category, description) in enumerate(MECHANICAL, start=1):
        rows.append(
            ChecklistItem(
                section="mechanical",
                service_level="",
                category=category,
                description=description,
                position=position * 10,
            )
        )
    ChecklistItem.objects.bulk_create(rows)

    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    schedule, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="6", day_of_week="*", day_of_month="*", month_of_year="*",
        timezone="America/New_York",
    )
    PeriodicTask.objects.get_or_create(
        name="vehicles: inspection-due notices",
        defaults={"task": "vehicles.tasks.send_inspection_due_notices", "crontab": schedule},
    )


def unload(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(
        name="vehicles: inspection-due notices"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("vehicles", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(load, unload)]
