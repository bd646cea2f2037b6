from datetime import date

import pytest

from organizations import rules
from organizations.models import County, Town


def test_ten_business_days_skip_weekends():
    # Monday March 2, 2026 + 10 business days = Monday March 16 (two weekends skipped).
    assert rules.chief_change_due_date(date(2026, 3, 2)) == date(2026, 3, 16)


def test_effective_on_a_friday_counts_from_monday():
    assert rules.chief_change_due_date(date(2026, 3, 6)) == date(2026, 3, 20)


def test_thanksgiving_is_skipped():
    # Effective Tuesday Nov 24, 2026; Thanksgiving Thursday Nov 26 is a state holiday.
    # Business days: 25, 27, 30, Dec 1, 2, 3, 4, 7, 8, 9 -> Dec 9.
    assert rules.chief_change_due_date(date(2026, 11, 24)) == date(2026, 12, 9)


def test_christmas_and_new_year_are_skipped():
    # Effective Tuesday Dec 22, 2026: 23, 24, (25 holiday), 28, 29, 30, 31, (Jan 1 holiday),
    # Jan 4, 5, 6, 7 -> Thursday Jan 7, 2027.
    assert rules.chief_change_due_date(date(2026, 12, 22)) == date(2027, 1, 7)


def test_connecticut_only_holidays_are_skipped():
    # Lincoln's Birthday (Feb 12) and Good Friday are Connecticut state holidays.
    assert not rules.is_business_day(date(2026, 2, 12))
    assert not rules.is_business_day(date(2026, 4, 3))
    assert rules.is_business_day(date(2026, 2, 13))


def test_license_renews_by_december_31_certificate_by_end_of_quarter():
    assert rules.renewal_due_date(credential_type="license", quarter=None, year=2026) == date(
        2026, 12, 31
    )
    assert rules.renewal_due_date(credential_type="certificate", quarter=2, year=2026) == date(
        2026, 6, 30
    )
    assert rules.renewal_due_date(credential_type="certificate", quarter=3, year=2026) == date(
        2026, 9, 30
    )
    with pytest.raises(ValueError):
        rules.renewal_due_date(credential_type="certificate", quarter=None, year=2026)


def test_next_renewal_moves_one_cycle():
    assert rules.next_renewal_due_date(
        credential_type="certificate", quarter=1, current=date(2026, 3, 31), today=date(2026, 3, 1)
    ) == date(2027, 3, 31)
    assert rules.next_renewal_due_date(
        credential_type="certificate", quarter=1, current=None, today=date(2026, 5, 1)
    ) == date(2027, 3, 31)


@pytest.mark.django_db
def test_connecticut_has_169_towns_in_8_counties():
    assert Town.objects.count() == 169
    counts = {county: Town.objects.filter(county=county).count() for county in County}
    assert counts == {
        County.FAIRFIELD: 23,
        County.HARTFORD: 29,
        County.LITCHFIELD: 26,
        County.MIDDLESEX: 15,
        County.NEW_HAVEN: 27,
        County.NEW_LONDON: 21,
        County.TOLLAND: 13,
        County.WINDHAM: 15,
    }
    assert Town.objects.get(name="Marlborough").county == County.HARTFORD
    assert Town.objects.get(name="Southbury").county == County.NEW_HAVEN
    assert Town.objects.get(name="Lebanon").county == County.NEW_LONDON
