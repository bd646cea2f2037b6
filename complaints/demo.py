"""Demo complaints in every stage over the demo providers and organizations, run through the
services (so each has its audit trail). One closes with a suspension of R100002, which /verify/
then shows as suspended; investigator@example.com holds several. Idempotent: each demo complaint
carries a fixed submission token, and one already there is skipped.

``providers=N`` also generates about a decade of complaint history, ~100 complaints per 1,000
providers (bulk inserts, see ``generate``): most closed with an outcome that changes no status, a
minority open in every stage, some of them past their due date.
"""

import bisect
import random
import uuid
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from accounts.demo import demo_user
from core.bulk import insert_rows
from core.transitions import save_with_audit
from organizations.models import Organization, OrganizationStatus, Town
from providers import rules as provider_rules
from providers.demo import FIRST, GENERATED_FROM, LAST, _number_counters
from providers.models import Certification

from . import selectors, services
from .constants import (
    CLOSING_OUTCOMES,
    OPEN_STAGES,
    STAGE_DEADLINE_DAYS,
    Category,
    Outcome,
    Stage,
    outcome_effect,
    stage_due_on,
)
from .models import Complaint, SubjectKind

NAMESPACE = uuid.UUID("6f1d2c1e-8a0b-4c59-9c33-0c0a1c0de777")

# key, subject ("provider:<number>", "organization:<number>" or a description), category,
# town, where it should end up.
DEMO = [
    ("received", "provider:A100003", Category.STANDARD_OF_CARE, "New Haven", "received"),
    ("received-late", "organization:AMB-0001", Category.REGULATORY, "Hartford", "overdue"),
    ("triaged", "organization:AMB-0002", Category.REGULATORY, "Bridgeport", "triaged"),
    ("assigned", "provider:E100005", Category.STANDARD_OF_CARE, "Waterbury", "assigned"),
    ("investigating", "organization:AMB-0003", Category.OTHER, "Stamford", "investigating"),
    ("referred", "provider:P100004", Category.STANDARD_OF_CARE, "Norwalk", "referred"),
    (
        "no-jurisdiction",
        "A hospital nurse in the emergency room",
        Category.OTHER,
        "Hartford",
        "no_jurisdiction",
    ),
    ("dismissed", "provider:A100003", Category.REGULATORY, "Danbury", "dismissed"),
    ("suspension", "provider:R100002", Category.STANDARD_OF_CARE, "Hartford", "suspension"),
]

NARRATIVE = (
    "Demo complaint: the crew arrived late, did not assess the patient and left without "
    "explaining why. (Invented for the demonstration.)"
)


def _exists(subject: str) -> bool:
    kind, _, number = subject.partition(":")
    if kind == "provider":
        return Certification.objects.filter(number=number).exists()
    if kind == "organization":
        return Organization.objects.filter(number=number).exists()
    return True


def _file(key, subject, category, town):
    is_record = subject.startswith(("provider:", "organization:"))
    return services.complaint_file(
        subject=subject if is_record else "",
        subject_description="" if is_record else subject,
        incident_date=timezone.localdate() - timedelta(days=20),
        incident_town=Town.objects.get(name=town),
        incident_place="Demo Street",
        category=category,
        narrative=NARRATIVE,
        complainant_name="Demo Complainant",
        complainant_email="complainant@example.com",
        submission_token=uuid.uuid5(NAMESPACE, key),
    )


def _advance(complaint, target, *, supervisor, investigator):
    today = timezone.localdate()
    if target == "overdue":
        complaint.due_on = today - timedelta(days=3)
        save_with_audit(complaint, actor=supervisor, reason="Demo: late", update_fields=["due_on"])
        return
    if target == "received":
        return
    if target == "no_jurisdiction":
        services.complaint_triage(
            complaint=complaint,
            actor=supervisor,
            has_jurisdiction=False,
            note="Hospital staff are licensed by the Department of Public Health.",
        )
        return
    services.complaint_triage(complaint=complaint, actor=supervisor, has_jurisdiction=True)
    if target == "triaged":
        return
    services.complaint_assign(complaint=complaint, actor=supervisor, investigator=investigator)
    if target == "assigned":
        return
    services.complaint_start_investigation(complaint=complaint, actor=investigator)
    services.note_add(
        complaint=complaint, actor=investigator, body="Demo note: requested the run report."
    )
    if target == "investigating":
        complaint.refresh_from_db()
        complaint.due_on = today - timedelta(days=1)
        save_with_audit(complaint, actor=supervisor, reason="Demo: late", update_fields=["due_on"])
        services.complaint_issue_notice(complaint=complaint, actor=investigator)
        return
    if target == "referred":
        services.complaint_refer(
            complaint=complaint, actor=investigator, note="Referred to the Attorney General."
        )
        return
    services.complaint_issue_notice(complaint=complaint, actor=investigator)
    closings = {
        "dismissed": {
            "outcome": Outcome.DISMISSED,
            "summary": "The run report shows care met the protocol.",
        },
        "suspension": {
            "outcome": Outcome.SUSPENSION,
            "summary": "Certification suspended for 60 days.",
            "effective_from": today - timedelta(days=1),
            "effective_until": today + timedelta(days=59),
        },
    }
    if target in closings:
        services.complaint_close(complaint=complaint, actor=investigator, **closings[target])


def seed(*, stdout, providers=None):
    supervisor = demo_user("supervisor@example.com")
    investigator = demo_user("investigator@example.com")
    created = 0
    for key, subject, category, town, target in DEMO:
        if Complaint.objects.filter(submission_token=uuid.uuid5(NAMESPACE, key)).exists():
            continue
        if not _exists(subject):
            continue  # the providers or organizations demo did not create this subject
        with transaction.atomic():
            complaint = _file(key, subject, category, town)
            _advance(complaint, target, supervisor=supervisor, investigator=investigator)
        created += 1
    stdout.write(
        f"  complaints: {created} demo complaints added ({Complaint.objects.count()} in all); "
        "R100002 suspended by complaint"
    )
    if providers:
        made = generate(providers=providers)
        if made is None:
            stdout.write("  complaints: no investigator accounts, so no complaints were generated")
        else:
            stdout.write(
                f"  complaints: generated {made} more complaints (a decade at state scale; "
                f"{_generated().open().count()} of the generated ones open)"
            )


# ---------------------------------------------------------------------------------------------
# State scale: ``seed_demo --providers N``.

COMPLAINTS_PER_1000_PROVIDERS = 100  # about a decade of complaints
HISTORY_DAYS = 3652
# Generated complaints received this recently or later are all still open (the open ones below).
CLOSED_BEFORE_DAYS = 30
GENERATED_NARRATIVE = "Generated complaint."  # starts every generated narrative (re-runs count it)
GENERATED_EMAIL = "@scale.example.com"
BATCH = 5000
CERTIFICATION_POOL = 2000  # generated certifications drawn per batch as subjects
# Open complaints: this share of the set (at least MIN_OPEN_PER_STAGE in every open stage),
# split over the stages; the 2nd, 6th, 10th, ... of each stage is past its due date.
OPEN_SHARE = 0.05
OPEN_MIX = {
    Stage.RECEIVED: 0.10,
    Stage.TRIAGED: 0.06,
    Stage.ASSIGNED: 0.08,
    Stage.INVESTIGATING: 0.56,
    Stage.REFERRED: 0.20,
}
MIN_OPEN_PER_STAGE = 2
OVERDUE_EVERY = 4
SUBJECT_WEIGHTS = {SubjectKind.PROVIDER: 85, SubjectKind.ORGANIZATION: 10, SubjectKind.DESCRIBED: 5}
CATEGORY_WEIGHTS = {Category.STANDARD_OF_CARE: 50, Category.REGULATORY: 35, Category.OTHER: 15}
NO_JURISDICTION_SHARE = 0.12
REFERRAL_SHARE = 0.06
ANONYMOUS_SHARE = 0.2
NOTICE_SHARE = 0.6
# Only outcomes that change no certification's or organization's status: a generated suspension
# would need the certification's discipline set to match.
QUIET_OUTCOMES = [outcome for outcome in CLOSING_OUTCOMES if not outcome_effect(outcome)]
OUTCOME_WEIGHTS = {
    Outcome.DISMISSED: 30,
    Outcome.NO_VIOLATION: 35,
    Outcome.REPRIMAND: 12,
    Outcome.CENSURE: 5,
    Outcome.PROBATION: 8,
    Outcome.PRACTICE_RESTRICTION: 4,
    Outcome.CIVIL_PENALTY: 6,
}
assert set(OUTCOME_WEIGHTS) <= set(QUIET_OUTCOMES)
SUMMARIES = {
    Outcome.DISMISSED: "Dismissed: the allegation could not be substantiated.",
    Outcome.NO_VIOLATION: "The run report and interviews show care met the protocol.",
    Outcome.REPRIMAND: "Written reprimand placed on file.",
    Outcome.CENSURE: "Public censure for the documentation failures found.",
    Outcome.PROBATION: "One year of probation with supervised calls.",
    Outcome.PRACTICE_RESTRICTION: "May not act as crew chief until remediation is completed.",
    Outcome.CIVIL_PENALTY: "Civil penalty of $1,000 paid.",
}
NO_JURISDICTION_NOTES = [
    "Hospital staff are licensed by the Department of Public Health.",
    "A billing dispute: referred to the insurer.",
    "The incident happened outside Connecticut.",
]
NARRATIVES = {
    Category.STANDARD_OF_CARE: "The crew did not assess the patient before moving them.",
    Category.REGULATORY: "The ambulance was staffed by one certified provider instead of two.",
    Category.OTHER: "The crew was rude to the family and refused to answer questions.",
}
DESCRIBED = [
    "A paramedic on the ambulance, name unknown",
    "The driver of the first responder vehicle",
    "Two EMTs who came to my mother's home",
]
PLACES = ["", "", "Main Street", "Interstate 84", "Route 9", "the shopping center", "a school"]


def complaint_count(providers: int) -> int:
    return round(providers * COMPLAINTS_PER_1000_PROVIDERS / 1000)


def open_counts(total: int) -> dict[str, int]:
    """How many of ``total`` generated complaints are open, per open stage."""
    base = total * OPEN_SHARE
    counts = {
        stage: max(MIN_OPEN_PER_STAGE, round(base * share)) for stage, share in OPEN_MIX.items()
    }
    while sum(counts.values()) > total:  # a tiny set: never more open than in all
        largest = max(counts, key=counts.get)
        counts[largest] -= 1
    return counts


def _generated():
    return Complaint.objects.filter(narrative__startswith=GENERATED_NARRATIVE)


def generate(*, providers: int) -> int | None:
    """Add generated complaints until there are ``complaint_count(providers)`` of them
    (idempotent; resumes where a previous run stopped; None without investigator accounts).

    Complaint ``i`` of the closed ones is received in its slot of the decade (so they run in
    time order); the last ``sum(open_counts(total))`` are open, each entered its stage days ago
    (due on that day plus the stage's deadline; every 4th is overdue), its earlier stages before.
    Subjects are generated certifications issued before the incident (else an organization),
    some organizations and described people; towns from the towns table; investigators the
    complaint staff accounts. Tracking numbers are drawn from the app's yearly sequence, in
    received order within a batch. Each batch is one transaction, written with COPY on
    PostgreSQL; no history rows."""
    total = complaint_count(providers)
    existing = _generated().count()
    if existing >= total:
        return 0
    investigators = list(selectors.investigators().order_by("pk").values_list("pk", flat=True))
    if not investigators:
        return None
    towns = list(Town.objects.order_by("pk").values_list("pk", flat=True))
    organizations = list(
        Organization.objects.exclude(status=OrganizationStatus.PENDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    counters = _number_counters()
    now = timezone.now()
    opened = open_counts(total)
    closed_total = total - sum(opened.values())
    tail = [(stage, index) for stage in OPEN_STAGES for index in range(opened[stage])]
    plan = {
        "now": now,
        "closed_total": closed_total,
        "first_received": now - timedelta(days=HISTORY_DAYS),
        "last_received": now - timedelta(days=CLOSED_BEFORE_DAYS),
        "investigators": investigators,
        "towns": towns,
        "organizations": organizations,
        "names": (FIRST, LAST),
    }
    made = 0
    for start in range(existing, total, BATCH):
        end = min(start + BATCH, total)
        # One random stream per batch: a resumed run makes the same rows as an uninterrupted one.
        rng = random.Random(1_100_000 + start)
        plan["pool"] = _certification_pool(rng, counters)
        rows = []
        for index in range(start, end):
            row = _subject_and_complainant(rng, index, plan)
            if index < closed_total:
                _closed(rng, index, row, plan)
            else:
                _open(rng, *tail[index - closed_total], row, plan)
            rows.append(row)
        rows.sort(key=lambda row: row["received_at"])
        with transaction.atomic():
            by_year = {}
            for row in rows:
                by_year.setdefault(timezone.localtime(row["received_at"]).year, []).append(row)
            for year, rows_of_year in by_year.items():
                numbers = services.tracking_numbers_reserve(year=year, count=len(rows_of_year))
                for row, number in zip(rows_of_year, numbers, strict=True):
                    row["tracking_number"] = number
            insert_rows(Complaint, rows)
        made += end - start

    if made and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Complaint._meta.db_table}")
    return made


def _certification_pool(rng, counters) -> list[tuple]:
    """Up to CERTIFICATION_POOL generated certifications, as (issued_on, pk, expires_on) sorted
    by issue date. Picked by their generated numbers, so nothing loads every certification."""
    levels = [level for level, used in counters.items() if used]
    if not levels:
        return []
    weights = [counters[level] for level in levels]
    numbers = set()
    for _ in range(min(CERTIFICATION_POOL, sum(weights))):
        level = rng.choices(levels, weights)[0]
        sequence = GENERATED_FROM + rng.randrange(counters[level])
        numbers.add(provider_rules.certification_number(level, sequence))
    numbers = sorted(numbers)
    pool = []
    for start in range(0, len(numbers), 500):
        pool += Certification.objects.filter(number__in=numbers[start : start + 500]).values_list(
            "issued_on", "pk", "expires_on"
        )
    return sorted(pool)


def _pick_certification(rng, pool, incident_date):
    """A pooled certification issued on or before the incident and not long expired by then."""
    issued_before = bisect.bisect_right(pool, (incident_date, float("inf")))
    for _ in range(8 if issued_before else 0):
        issued_on, pk, expires_on = pool[rng.randrange(issued_before)]
        if incident_date <= provider_rules.grace_end(expires_on):
            return pk
    return None


def _subject_and_complainant(rng, index, plan) -> dict:
    category = rng.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))[0]
    row = {
        "category": category,
        "narrative": f"{GENERATED_NARRATIVE} {NARRATIVES[category]}",
        "incident_town_id": rng.choice(plan["towns"]),
        "incident_place": rng.choice(PLACES),
        "subject_kind": rng.choices(list(SUBJECT_WEIGHTS), list(SUBJECT_WEIGHTS.values()))[0],
    }
    if rng.random() < ANONYMOUS_SHARE:
        row["anonymous"] = True
    else:
        first, last = plan["names"]
        row["complainant_name"] = f"{rng.choice(first)} {rng.choice(last)}"
        contact = rng.random()
        if contact < 0.85:
            row["complainant_email"] = f"c{index:07d}{GENERATED_EMAIL}"
        if contact > 0.6:
            row["complainant_phone"] = f"860-555-{index % 10000:04d}"
    return row


def _place_subject(rng, row, plan) -> None:
    """Once the incident date is known: the certification (issued by then) or organization it
    is about, else a description."""
    if row["subject_kind"] == SubjectKind.PROVIDER:
        pk = _pick_certification(rng, plan["pool"], row["incident_date"])
        if pk is not None:
            row["certification_id"] = pk
            return
        row["subject_kind"] = SubjectKind.ORGANIZATION  # no generated provider held one yet
    if row["subject_kind"] == SubjectKind.ORGANIZATION and plan["organizations"]:
        row["organization_id"] = rng.choice(plan["organizations"])
        return
    row["subject_kind"] = SubjectKind.DESCRIBED
    row["subject_description"] = rng.choice(DESCRIBED)


def _received(rng, row, received_at, plan) -> None:
    row["received_at"] = row["created_at"] = received_at
    received_on = timezone.localtime(received_at).date()
    row["incident_date"] = received_on - timedelta(days=rng.randint(0, 30))
    _place_subject(rng, row, plan)


def _days(rng, low, high):
    return timedelta(days=rng.uniform(low, high))


def _closed(rng, index, row, plan) -> None:
    """A complaint received in its slot of the decade and closed since (no jurisdiction at
    triage, or investigated, sometimes referred, and closed with an outcome)."""
    span = plan["last_received"] - plan["first_received"]
    received = plan["first_received"] + span * ((index + rng.random()) / plan["closed_total"])
    _received(rng, row, received, plan)
    stamps = {"triaged_at": received + _days(rng, 0.5, 12)}
    if rng.random() < NO_JURISDICTION_SHARE:
        stamps["closed_at"] = stamps["triaged_at"]
        row |= {
            "has_jurisdiction": False,
            "outcome": Outcome.NO_JURISDICTION,
            "outcome_summary": rng.choice(NO_JURISDICTION_NOTES),
        }
    else:
        stamps["assigned_at"] = stamps["triaged_at"] + _days(rng, 0.5, 7)
        stamps["investigation_started_at"] = stamps["assigned_at"] + _days(rng, 0.5, 12)
        if rng.random() < REFERRAL_SHARE:
            stamps["referred_at"] = stamps["investigation_started_at"] + _days(rng, 30, 120)
            stamps["closed_at"] = stamps["referred_at"] + _days(rng, 60, 300)
        else:
            stamps["closed_at"] = stamps["investigation_started_at"] + _days(rng, 14, 150)
        outcome = rng.choices(list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values()))[0]
        row |= {
            "has_jurisdiction": True,
            "investigator_id": rng.choice(plan["investigators"]),
            "outcome": outcome,
            "outcome_summary": SUMMARIES[outcome],
        }
    # A complaint received late in the decade closes before now: its stages are compressed.
    latest = plan["now"] - timedelta(days=1)
    if stamps["closed_at"] > latest:
        scale = (latest - received) / (stamps["closed_at"] - received)
        stamps = {name: received + (at - received) * scale for name, at in stamps.items()}
    row |= stamps
    row |= {"stage": Stage.CLOSED, "due_on": None, "updated_at": stamps["closed_at"]}
    _notice(rng, row, until=stamps["closed_at"])


# The stage before each open stage, and how long it took to move on from it (days).
PREVIOUS = {
    Stage.TRIAGED: ("received_at", (0.5, 12)),
    Stage.ASSIGNED: ("triaged_at", (0.5, 7)),
    Stage.INVESTIGATING: ("assigned_at", (0.5, 12)),
    Stage.REFERRED: ("investigation_started_at", (30, 120)),
}
ENTERED = {
    Stage.RECEIVED: "received_at",
    Stage.TRIAGED: "triaged_at",
    Stage.ASSIGNED: "assigned_at",
    Stage.INVESTIGATING: "investigation_started_at",
    Stage.REFERRED: "referred_at",
}


def _open(rng, stage, index_in_stage, row, plan) -> None:
    """An open complaint that entered ``stage`` some days ago, on time or past its due date;
    its earlier stages are dated backwards from there."""
    deadline = STAGE_DEADLINE_DAYS[stage]
    if index_in_stage % OVERDUE_EVERY == 1:
        in_stage = _days(rng, deadline + 1, deadline + 1 + max(10, deadline // 2))
    else:
        in_stage = _days(rng, 0, deadline - 1)
    entered = plan["now"] - in_stage
    stamps = {ENTERED[stage]: entered}
    current = stage
    while current in PREVIOUS:
        previous_field, (low, high) = PREVIOUS[current]
        stamps[previous_field] = stamps[ENTERED[current]] - _days(rng, low, high)
        current = OPEN_STAGES[OPEN_STAGES.index(current) - 1]
    _received(rng, row, stamps.pop("received_at"), plan)
    row |= stamps
    row |= {
        "stage": stage,
        "due_on": stage_due_on(stage, entered_on=timezone.localtime(entered).date()),
        "updated_at": entered,
    }
    if stage != Stage.RECEIVED:
        row["has_jurisdiction"] = True
    if stage not in (Stage.RECEIVED, Stage.TRIAGED):
        row["investigator_id"] = rng.choice(plan["investigators"])
    _notice(rng, row, until=plan["now"])


def _notice(rng, row, *, until) -> None:
    """Some investigated complaints about a record: the subject was told (after triage)."""
    if not row.get("investigation_started_at") or row.get("subject_kind") == "described":
        return
    if rng.random() < NOTICE_SHARE:
        row["notice_issued_at"] = min(row["investigation_started_at"] + _days(rng, 1, 10), until)
