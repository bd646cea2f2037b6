"""The certification status rule at its date edges, and the number and approval formats."""

from datetime import date, timedelta

import pytest

from providers import rules
from providers.models import Certification
from providers.rules import CertificationStatus as S

EXPIRY = date(2026, 6, 30)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (EXPIRY - timedelta(days=1), S.ACTIVE),
        (EXPIRY, S.ACTIVE),  # valid through the expiration date
        (EXPIRY + timedelta(days=1), S.IN_GRACE),
        (EXPIRY + timedelta(days=rules.GRACE_DAYS), S.IN_GRACE),  # last day of grace
        (EXPIRY + timedelta(days=rules.GRACE_DAYS + 1), S.LAPSED),
        (rules.add_years(EXPIRY, 2), S.LAPSED),  # last day of the reinstatement window
        (rules.add_years(EXPIRY, 2) + timedelta(days=1), S.EXPIRED),
    ],
)
def test_status_follows_the_dates_at_every_edge(today, expected):
    assert rules.certification_status(expiration=EXPIRY, today=today) == expected


def test_a_decision_in_force_wins_over_the_dates_and_ends_on_its_until_date():
    kwargs = {
        "expiration": EXPIRY,
        "discipline": "suspended",
        "discipline_from": date(2026, 1, 10),
        "discipline_until": date(2026, 2, 10),
    }
    assert rules.certification_status(today=date(2026, 1, 9), **kwargs) == S.ACTIVE
    assert rules.certification_status(today=date(2026, 1, 10), **kwargs) == S.SUSPENDED
    assert rules.certification_status(today=date(2026, 2, 9), **kwargs) == S.SUSPENDED
    assert rules.certification_status(today=date(2026, 2, 10), **kwargs) == S.ACTIVE
    revoked = {"expiration": EXPIRY, "discipline": "revoked", "discipline_from": date(2026, 1, 1)}
    assert rules.certification_status(today=date(2030, 1, 1), **revoked) == S.REVOKED


@pytest.mark.django_db
def test_the_database_filter_agrees_with_the_rule_at_every_edge():
    from .factories import make_certification

    today = date.today()
    offsets = [0, -1, -rules.GRACE_DAYS, -rules.GRACE_DAYS - 1, -729, -731, -800, 30]
    certifications = []
    for index, offset in enumerate(offsets):
        certification = make_certification(
            expires_in=offset, ssn=f"100-00-{index:04d}", last_name=f"P{index}"
        )
        certifications.append(certification)
    suspended = make_certification(expires_in=100, ssn="100-00-9999")
    suspended.discipline = "suspended"
    suspended.discipline_from = today
    suspended.save()
    certifications.append(suspended)
    for status in S.values:
        matched = set(
            Certification.objects.filter(rules.status_q(status, today=today)).values_list(
                "pk", flat=True
            )
        )
        expected = {c.pk for c in certifications if c.status_on(today) == status}
        assert matched == expected, status


def test_certification_numbers_carry_the_level_prefix():
    assert rules.certification_number(rules.Level.EMR, 12) == "R000012"
    assert rules.certification_number(rules.Level.EMT, 12) == "E000012"
    assert rules.certification_number(rules.Level.AEMT, 12) == "A000012"
    assert rules.certification_number(rules.Level.PARAMEDIC, 12) == "P000012"
    assert rules.level_of_number(" p-000012 ") == rules.Level.PARAMEDIC
    assert rules.level_of_number("X000012") is None
    assert rules.level_of_number("E12") is None


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("T3-2025-1234", True),
        ("F3-2025-123456", True),
        ("t3-2025-1234", True),
        ("T3-25-1234", False),
        ("F4-2025-1234", False),
        ("1234", False),
        ("", False),
    ],
)
def test_approval_number_formats(value, valid):
    assert rules.approval_number_valid(value) is valid


def test_paramedics_renew_on_their_own_cycle():
    current = date(2026, 3, 31)
    assert rules.next_expiration(level="paramedic", current_expiration=current) == date(2027, 3, 31)
    assert rules.next_expiration(level="emt", current_expiration=current) == date(2028, 3, 31)
    assert rules.next_expiration(level="emt", current_expiration=date(2024, 2, 29)) == date(
        2026, 2, 28
    )
