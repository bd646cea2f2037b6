"""Accounts: the user model (email is the login), roles as groups, and staff session rules.

Its own app because identity is used by every domain and belongs to none of them.
"""
