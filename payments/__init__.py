"""Payments: fees, card and ACH through a gateway, returns, refunds and receipts.

Its own app because money is its own concern: every fee the portal charges (renewals,
license fees) goes through it, whichever domain asks for it."""
