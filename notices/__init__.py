"""Notices by email: the office writes one notice (a change in statute, regulation or policy;
a storm deployment) and emails it to an audience — every active provider, one level, those
whose certification expires within a window, organization administrators or training
institutions — exactly once per person, in Celery batches, with progress and a delivery report.
Its own app because it reads several domains (providers, organizations, education) and owns
none of them."""
