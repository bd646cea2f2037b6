"""Complaints from the public and the investigations that follow them."""
