"""The demo complaints: every stage, one suspension that /verify/ shows, idempotent."""

import io

import pytest

from accounts.demo import seed as seed_accounts
from complaints import demo
from complaints.constants import Category, Outcome, Stage
from complaints.models import Complaint
from providers.models import Certification
from providers.rules import Level
from tests.organizations.factories import OrganizationFactory
from tests.providers.factories import make_certification, make_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_subjects():
    # The subjects the providers and organizations demos create, by their numbers.
    for number, level in [
        ("R100002", Level.EMR),
        ("A100003", Level.AEMT),
        ("P100004", Level.PARAMEDIC),
        ("E100005", Level.EMT),
    ]:
        certification = make_certification(
            provider=make_provider(last_name=number), level=level, expires_in=300
        )
        certification.number = number
        certification.save(update_fields=["number"])
    for number in ("AMB-0001", "AMB-0002", "AMB-0003"):
        OrganizationFactory(number=number)


def test_demo_covers_every_stage_suspends_a_certification_and_is_idempotent(demo_subjects):
    seed_accounts(stdout=io.StringIO())
    demo.seed(stdout=io.StringIO())
    stages = set(Complaint.objects.values_list("stage", flat=True))
    assert stages == set(Stage.values)
    assert Complaint.objects.overdue().exists()
    assert Complaint.objects.filter(investigator__email="investigator@example.com").count() >= 3
    assert Certification.objects.get(number="R100002").status == "suspended"
    count = Complaint.objects.count()
    demo.seed(stdout=io.StringIO())
    assert Complaint.objects.count() == count == len(demo.DEMO)


# --- State scale: seed_demo --providers N -------------------------------------------------------

PROVIDERS = 1000


@pytest.fixture
def generated(django_assert_max_num_queries):
    from providers import demo as providers_demo

    seed_accounts(stdout=io.StringIO())
    OrganizationFactory.create_batch(5)
    providers_demo.generate(count=PROVIDERS)
    # Bulk inserts: a few queries per batch and per year (its tracking sequence), none per row.
    with django_assert_max_num_queries(150):
        made = demo.generate(providers=PROVIDERS)
    assert made == demo.complaint_count(PROVIDERS)
    return Complaint.objects.filter(narrative__startswith=demo.GENERATED_NARRATIVE)


def _local_date(moment):
    from django.utils import timezone

    return timezone.localtime(moment).date()


def test_generated_count_is_proportional_and_a_rerun_adds_nothing(generated):
    assert demo.complaint_count(20_000) == 2_000
    assert demo.complaint_count(1_000_000) == 100_000
    assert generated.count() == PROVIDERS // 10
    assert demo.generate(providers=PROVIDERS) == 0
    out = io.StringIO()
    demo.seed(stdout=out, providers=PROVIDERS)
    assert generated.count() == PROVIDERS // 10
    assert demo.generate(providers=PROVIDERS + 100) == 10  # a bigger state adds the difference
    assert generated.count() == PROVIDERS // 10 + 10


def test_generated_stages_dates_and_deadlines_follow_the_workflow(generated):
    from django.utils import timezone

    from complaints.constants import OPEN_STAGES, STAGE_DEADLINE_DAYS

    today = timezone.localdate()
    now = timezone.now()
    by_stage = {stage: list(generated.filter(stage=stage)) for stage in Stage.values}
    # A minority open, in every open stage, each with one on time and one past its due date.
    open_count = sum(len(by_stage[stage]) for stage in OPEN_STAGES)
    assert 0 < open_count < generated.count() * 0.2
    for stage in OPEN_STAGES:
        assert any(c.due_on < today for c in by_stage[stage]), stage
        assert any(c.due_on >= today for c in by_stage[stage]), stage
    entered_field = {
        Stage.RECEIVED: "received_at",
        Stage.TRIAGED: "triaged_at",
        Stage.ASSIGNED: "assigned_at",
        Stage.INVESTIGATING: "investigation_started_at",
        Stage.REFERRED: "referred_at",
    }
    staff = set(demo.selectors.investigators().values_list("pk", flat=True))
    order = ["received_at", "triaged_at", "assigned_at", "investigation_started_at"]
    for complaint in generated:
        stamps = [getattr(complaint, name) for name in order + ["referred_at", "closed_at"]]
        present = [stamp for stamp in stamps if stamp is not None]
        assert present == sorted(present) and present[-1] <= now, complaint.tracking_number
        assert complaint.incident_date <= _local_date(complaint.received_at)
        if complaint.stage == Stage.CLOSED:
            assert complaint.due_on is None and complaint.closed_at and complaint.outcome
            assert complaint.effect_applied == "" and complaint.effective_from is None
            assert demo.outcome_effect(complaint.outcome) == ""  # no suspension or revocation
            if complaint.outcome == Outcome.NO_JURISDICTION:
                assert complaint.has_jurisdiction is False and complaint.investigator_id is None
                assert complaint.triaged_at == complaint.closed_at
            else:
                assert complaint.has_jurisdiction is True
                assert complaint.investigation_started_at and complaint.investigator_id in staff
            continue
        # Open: every stage up to the current one dated, none after it; due per the deadline.
        entered = entered_field[complaint.stage]
        reached = order[: order.index(entered) + 1] if entered in order else order
        for name in order:
            assert (getattr(complaint, name) is not None) == (name in reached), name
        assert complaint.closed_at is None and complaint.outcome == ""
        assert (complaint.referred_at is not None) == (complaint.stage == Stage.REFERRED)
        entered_on = _local_date(getattr(complaint, entered))
        assert (complaint.due_on - entered_on).days == STAGE_DEADLINE_DAYS[complaint.stage]
        assigned = complaint.stage in (Stage.ASSIGNED, Stage.INVESTIGATING, Stage.REFERRED)
        assert (complaint.investigator_id in staff) if assigned else not complaint.investigator_id
        if complaint.notice_issued_at:
            assert complaint.has_jurisdiction is True
    closed_outcomes = {c.outcome for c in by_stage[Stage.CLOSED]}
    assert Outcome.NO_JURISDICTION in closed_outcomes and len(closed_outcomes) >= 4
    assert generated.filter(stage=Stage.CLOSED, referred_at__isnull=False).exists()


def test_generated_subjects_complainants_and_numbers_are_coherent(generated):
    import re

    from django.utils import timezone

    from complaints import services
    from complaints.constants import TRACKING_DIGITS, TRACKING_PREFIX
    from organizations.models import Town
    from providers import demo as providers_demo

    assert set(generated.values_list("category", flat=True)) == set(Category.values)
    kinds = set(generated.values_list("subject_kind", flat=True))
    assert {"provider", "organization"} <= kinds
    for complaint in generated.select_related("certification__provider"):
        if complaint.subject_kind == "provider":
            certification = complaint.certification
            assert certification.provider.email.endswith(providers_demo.GENERATED_EMAIL)
            assert certification.issued_on <= complaint.incident_date
        elif complaint.subject_kind == "organization":
            assert complaint.organization_id and not complaint.certification_id
        else:
            assert complaint.subject_description and not complaint.certification_id
        if complaint.anonymous:
            assert not (
                complaint.complainant_name
                or complaint.complainant_email
                or complaint.complainant_phone
            )
        else:
            assert complaint.complainant_email or complaint.complainant_phone
        year = timezone.localtime(complaint.received_at).year
        pattern = rf"{TRACKING_PREFIX}-{year}-\d{{{TRACKING_DIGITS}}}"
        assert re.fullmatch(pattern, complaint.tracking_number)
    assert generated.filter(anonymous=True).exists() and generated.filter(anonymous=False).exists()
    assert generated.values("incident_town").distinct().count() > 10
    assert Town.objects.filter(pk__in=generated.values("incident_town")).count() > 10
    # Within a year, numbers follow the order complaints were received in.
    numbers = [
        c.tracking_number
        for c in generated.order_by("received_at")
        if c.tracking_number.startswith(f"{TRACKING_PREFIX}-{timezone.localdate().year - 3}-")
    ]
    assert numbers and numbers == sorted(numbers)
    # The public form carries on after the generated numbers of this year: no collision.
    filed = services.complaint_file(
        subject_description="Someone",
        incident_date=timezone.localdate(),
        incident_town=Town.objects.first(),
        category=Category.OTHER,
        narrative="After the generator.",
        anonymous=True,
    )
    this_year = generated.filter(tracking_number__startswith=f"C-{timezone.localdate().year}-")
    assert filed.tracking_number > max(this_year.values_list("tracking_number", flat=True))
