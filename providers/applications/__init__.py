"""Applications staff review: renewal, initial certification and reinstatement. ``flow`` is
their one lifecycle (fee → paid → submit → review → return/approve/deny, hold and resume);
each kind's module says only what is its own and registers it with the flow on import."""

from . import initial, reinstatement, renewal

__all__ = ["initial", "reinstatement", "renewal"]
