"""The one home of the vehicle and inspection rules that are numbers or dates.

Periodic inspection: ambulances are inspected at least yearly (the federal periodic-inspection
standard the state adopts), so the next inspection falls due a year after the last pass, and the
sticker a pass issues is good for that same year. A vehicle approved but never inspected is due
at once.
"""

from datetime import date, timedelta

INSPECTION_INTERVAL_YEARS = 1
DUE_NOTICE_DAYS_BEFORE = 30  # the organization is emailed this many days before the due date
FIRST_MODEL_YEAR_WITH_17_CHARACTER_VIN = 1981
MODEL_YEARS_AHEAD = 1  # next year's models are sold from the summer before


def years_after(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def next_inspection_due(*, last_passed_on: date | None, approved_on: date | None) -> date | None:
    """When the vehicle's next periodic inspection is due."""
    if last_passed_on is not None:
        return years_after(last_passed_on, INSPECTION_INTERVAL_YEARS)
    return approved_on


def sticker_expires_on(passed_on: date) -> date:
    return years_after(passed_on, INSPECTION_INTERVAL_YEARS)


def sticker_number(*, passed_on: date, inspection_id: int) -> str:
    """The number printed on the sticker the inspector affixes: year and inspection."""
    return f"{passed_on.year}-{inspection_id:07d}"


def latest_model_year(today: date) -> int:
    return today.year + MODEL_YEARS_AHEAD


def due_notice_window_end(today: date) -> date:
    """Vehicles due on or before this day get their 'inspection due' email today."""
    return today + timedelta(days=DUE_NOTICE_DAYS_BEFORE)
