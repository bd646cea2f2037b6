"""Models of the providers app."""
