"""Models of the organizations app."""
