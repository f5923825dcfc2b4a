"""Accounts: password hashing and rules, the authentication backend, login sessions."""
