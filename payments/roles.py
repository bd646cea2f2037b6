"""What each role may do with fees and payments."""

from accounts import roles

VIEW = [
    "payments.view_feeschedule",
    "payments.view_invoice",
    "payments.view_payment",
    "payments.view_ledgerentry",
]
RECONCILIATION = [
    "payments.view_reconciliationrun",
    "payments.view_reconciliationmismatch",
    "payments.view_webhookevent",
    "payments.reconcile",
]

ROLE_PERMISSIONS = {
    # Licensing staff open the mail at the counter: they record checks and money orders.
    roles.LICENSING_REVIEWER: VIEW + ["payments.record_offline_payment"],
    roles.FINANCE: VIEW
    + RECONCILIATION
    + [
        "payments.record_offline_payment",
        "payments.record_return",
        "payments.import_settlement",
    ],
    roles.SUPERVISOR: VIEW
    + RECONCILIATION
    + [
        "payments.add_feeschedule",
        "payments.change_feeschedule",
        "payments.change_invoice",
        "payments.change_payment",
        "payments.record_return",
        "payments.refund_payment",
        "payments.import_settlement",
        "payments.record_offline_payment",
    ],
}
