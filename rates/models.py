"""Models of the rates app."""
