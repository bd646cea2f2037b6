"""What each role may do with fees and payments."""

from accounts import roles

VIEW = [
    "payments.view_feeschedule",
    "payments.view_invoice",
    "payments.view_payment",
    "payments.view_ledgerentry",
]

ROLE_PERMISSIONS = {
    roles.LICENSING_REVIEWER: VIEW,
    roles.SUPERVISOR: VIEW
    + [
        "payments.add_feeschedule",
        "payments.change_feeschedule",
        "payments.change_invoice",
        "payments.change_payment",
        "payments.record_return",
        "payments.refund_payment",
        "payments.import_settlement",
    ],
}
