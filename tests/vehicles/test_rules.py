"""Due dates and stickers: a year after the last pass; a new vehicle is due at once."""

from datetime import date

from vehicles import rules


def test_next_inspection_is_due_a_year_after_the_last_pass():
    assert rules.next_inspection_due(
        last_passed_on=date(2025, 3, 14), approved_on=date(2020, 1, 1)
    ) == date(2026, 3, 14)


def test_a_pass_on_29_february_falls_due_on_28_february():
    assert rules.next_inspection_due(last_passed_on=date(2024, 2, 29), approved_on=None) == date(
        2025, 2, 28
    )


def test_a_vehicle_never_inspected_is_due_on_approval():
    assert rules.next_inspection_due(last_passed_on=None, approved_on=date(2025, 6, 1)) == date(
        2025, 6, 1
    )


def test_sticker_expires_with_the_due_date():
    passed = date(2025, 7, 31)
    assert rules.sticker_expires_on(passed) == rules.next_inspection_due(
        last_passed_on=passed, approved_on=None
    )


def test_latest_model_year_is_next_year():
    assert rules.latest_model_year(date(2025, 12, 31)) == 2026


def test_due_notice_window():
    assert rules.due_notice_window_end(date(2025, 1, 1)) == date(2025, 1, 31)
