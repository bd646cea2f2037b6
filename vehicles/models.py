"""Models of the vehicles app."""
