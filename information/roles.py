"""What each role may do with help, alerts, hospitals, awards and publications (merged by\naccounts.roles)."""

from accounts import roles

_MODELS_SUPERVISORS_EDIT = [
    "hospital",
    "strokecertification",
    "traumadesignation",
    "awardcategory",
    "nominationperiod",
    "publication",
    "publicationfile",
    "newsattachment",
    "helptopic",
    "faqentry",
    "contactdetails",
    "sitealert",
]

ROLE_PERMISSIONS = {
    # Supervisors keep the hospital lists, run the awards (deciding nominations is
    # information.change_nomination) and publish reports; they receive the expiry warnings.
    roles.SUPERVISOR: [
        f"information.{action}_{model}"
        for model in _MODELS_SUPERVISORS_EDIT
        for action in ("view", "add", "change", "delete")
    ]
    + [
        "information.view_nomination",
        "information.add_nomination",
        "information.change_nomination",
        "information.view_attestationwarning",
    ],
    # Reviewers answer the public's questions about hospitals and may read nominations; they
    # write news (accounts.roles) with its attachments, and keep the help pages and FAQ.
    roles.LICENSING_REVIEWER: [
        f"information.{action}_{model}"
        for model in ("newsattachment", "helptopic", "faqentry")
        for action in ("view", "add", "change")
    ]
    + [
        "information.view_hospital",
        "information.view_strokecertification",
        "information.view_traumadesignation",
        "information.view_nomination",
        "information.view_publication",
    ],
}
