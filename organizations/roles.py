"""What each staff role may do with organizations (merged by accounts.roles)."""

from accounts import roles

_MODELS = [
    "organization",
    "primaryservicearea",
    "organizationperson",
    "chiefchangereport",
    "organizationapplication",
    "affiliation",
]


def _perms(*actions, models=_MODELS):
    return [f"organizations.{action}_{model}" for model in models for action in actions]


ROLE_PERMISSIONS = {
    roles.LICENSING_REVIEWER: [
        *_perms("view", "change"),
        *_perms("add", models=["organization", "primaryservicearea", "organizationperson"]),
        "organizations.view_town",
    ],
    roles.SUPERVISOR: [*_perms("view", "change", "add"), "organizations.view_town"],
    roles.VEHICLE_INSPECTOR: ["organizations.view_organization", "organizations.view_town"],
    roles.INVESTIGATOR: [*_perms("view"), "organizations.view_town"],
    roles.RATES_ANALYST: ["organizations.view_organization", "organizations.view_town"],
}
