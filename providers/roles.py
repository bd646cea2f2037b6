"""What each role may do in the providers app (merged by accounts.roles)."""

from accounts import roles

_VIEW_ALL = [
    "providers.view_provider",
    "providers.view_certification",
    "providers.view_credential",
    "providers.view_credentialrenewal",
    "providers.view_cerecord",
    "providers.view_cerequirementset",
    "providers.view_renewalapplication",
    "providers.view_renewaldocument",
    "providers.view_incompletereason",
    "providers.view_linkattempt",
    "providers.view_initialapplication",
    "providers.view_reinstatementapplication",
    "providers.view_registryimport",
    "providers.view_reminderthreshold",
    "providers.view_remindersent",
    "providers.view_certificationcardemail",
    "providers.view_namechangerequest",
]

ROLE_PERMISSIONS = {
    roles.LICENSING_REVIEWER: _VIEW_ALL
    + [
        "providers.change_provider",
        "providers.change_renewalapplication",  # the review actions
        "providers.change_initialapplication",
        "providers.change_reinstatementapplication",
        "providers.change_credentialrenewal",
        "providers.add_cerecord",
        "providers.change_cerecord",
        "providers.change_namechangerequest",  # approve / deny
    ],
    roles.INVESTIGATOR: ["providers.view_provider", "providers.view_certification"],
    roles.SUPERVISOR: _VIEW_ALL
    + [
        "providers.change_provider",
        "providers.change_certification",  # discipline actions
        "providers.change_renewalapplication",
        "providers.change_initialapplication",
        "providers.change_reinstatementapplication",
        "providers.change_namechangerequest",
        "providers.add_registryimport",
        "providers.change_credentialrenewal",
        "providers.add_cerequirementset",
        "providers.change_cerequirementset",
        "providers.add_incompletereason",
        "providers.change_incompletereason",
        "providers.add_reminderthreshold",
        "providers.change_reminderthreshold",
    ],
}
