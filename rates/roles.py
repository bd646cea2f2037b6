"""What each role may do with rates (merged by accounts.roles)."""

from accounts import roles

_VIEW = [
    "rates.view_ratecategory",
    "rates.view_rateyear",
    "rates.view_rateschedule",
    "rates.view_ratescheduleline",
    "rates.view_ratefiling",
    "rates.view_ratefilingline",
    "rates.view_filingfinancialline",
    "rates.view_filingattachment",
    "rates.view_rateinvitation",
]

ROLE_PERMISSIONS = {
    roles.RATES_ANALYST: _VIEW
    + [
        "rates.add_ratecategory",
        "rates.change_ratecategory",
        "rates.add_rateyear",
        "rates.change_rateyear",
        "rates.change_ratefiling",
        "rates.change_ratefilingline",
        "rates.decide_ratefiling",
    ],
    roles.SUPERVISOR: _VIEW + ["rates.decide_ratefiling"],
}
