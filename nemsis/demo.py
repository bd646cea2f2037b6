"""Demo scope of practice and collected elements: a SMALL, CLEARLY LABELLED SAMPLE (every item
``is_demo``, the public page says so), not a real state's scope of practice. Procedure codes
are SNOMED CT concepts, medication codes RxNorm ingredients, protocol codes the standard's own."""

from django.db import transaction

from providers.rules import Level

from .models import CollectedElement, ScopeItem, ScopeKind

ALL = list(Level.values)
EMT_UP = [Level.EMT, Level.AEMT, Level.PARAMEDIC]
AEMT_UP = [Level.AEMT, Level.PARAMEDIC]
PARAMEDIC = [Level.PARAMEDIC]

DEMO_SCOPE = [
    (ScopeKind.PROCEDURE, "89666000", "Cardiopulmonary resuscitation", ALL),
    (ScopeKind.PROCEDURE, "57485005", "Oxygen therapy", ALL),
    (ScopeKind.PROCEDURE, "40617009", "Artificial ventilation (bag-valve-mask)", ALL),
    (ScopeKind.PROCEDURE, "33747003", "Blood glucose measurement", EMT_UP),
    (ScopeKind.PROCEDURE, "268400002", "12-lead electrocardiogram", EMT_UP),
    (ScopeKind.PROCEDURE, "392231009", "Intravenous cannulation", AEMT_UP),
    (ScopeKind.PROCEDURE, "232674004", "Orotracheal intubation", PARAMEDIC),
    (ScopeKind.MEDICATION, "7806", "Oxygen", ALL),
    (ScopeKind.MEDICATION, "1191", "Aspirin", EMT_UP),
    (ScopeKind.MEDICATION, "7242", "Naloxone", ALL),
    (ScopeKind.MEDICATION, "3992", "Epinephrine (auto-injector)", EMT_UP),
    (ScopeKind.MEDICATION, "4917", "Nitroglycerin", AEMT_UP),
    (ScopeKind.MEDICATION, "435", "Albuterol", AEMT_UP),
    (ScopeKind.MEDICATION, "4337", "Fentanyl", PARAMEDIC),
    (ScopeKind.MEDICATION, "703", "Amiodarone", PARAMEDIC),
    (ScopeKind.PROTOCOL, "9914075", "General-Universal Patient Care/ Initial Patient Contact", ALL),
    (ScopeKind.PROTOCOL, "9914055", "General-Cardiac Arrest", ALL),
    (ScopeKind.PROTOCOL, "9914219", "Medical-Opioid Poisoning/Overdose", ALL),
    (ScopeKind.PROTOCOL, "9914111", "Medical-Allergic Reaction/Anaphylaxis", EMT_UP),
    (ScopeKind.PROTOCOL, "9914145", "Medical-Stroke/TIA", EMT_UP),
    (ScopeKind.PROTOCOL, "9914117", "Medical-Cardiac Chest Pain", EMT_UP),
    (ScopeKind.PROTOCOL, "9914007", "Airway-Rapid Sequence Induction (RSI-Paralytic)", PARAMEDIC),
]

DEMO_ELEMENTS = [
    "dAgency.01",
    "dAgency.02",
    "dPersonnel.23",
    "dPersonnel.24",
    "dVehicle.02",
    "eRecord.01",
    "eResponse.01",
    "eTimes.03",
    "eDisposition.01",
]


@transaction.atomic
def seed(*, stdout, providers=None):
    created = 0
    for kind, code, name, levels in DEMO_SCOPE:
        _, was_created = ScopeItem.objects.get_or_create(
            kind=kind,
            code=code,
            defaults={"name": name, "levels": [str(level) for level in levels], "is_demo": True},
        )
        created += was_created
    for number in DEMO_ELEMENTS:
        CollectedElement.objects.get_or_create(number=number)
    stdout.write(
        f"  nemsis: {created} new demo scope-of-practice items (labelled demo), "
        f"{len(DEMO_ELEMENTS)} collected elements"
    )
