"""The one home of this app's numbers."""

# Staff are warned this many days before a stroke-center attestation lapses; each threshold is
# emailed once per certification (AttestationWarning's unique constraint is the claim).
ATTESTATION_WARNING_DAYS = (90, 30)

# A public nomination form accepts at most this many nominations from one address per window.
NOMINATION_RATE_LIMIT = 5
NOMINATION_RATE_WINDOW_SECONDS = 60 * 60

# Uploads (attestations, nomination attachments, report files) are PDFs of at most this size.
PDF_MAX_BYTES = 10 * 1024 * 1024

DEFAULT_TRAUMA_VERIFICATION_BODY = "American College of Surgeons Committee on Trauma"

# The EMS Council's award categories as first loaded (migration 0002); afterwards they are data
# staff edit in the admin. (name, slug, description)
DEFAULT_AWARD_CATEGORIES = [
    ("EMS Organization", "organization", "An EMS organization whose service stood out."),
    ("EMS Individual", "individual", "An EMS provider whose work went beyond the call."),
    ("EMS Educator", "educator", "An instructor who shaped Connecticut's EMS providers."),
    ("Legislator", "legislator", "A legislator who advanced Emergency Medical Services."),
    ("Volunteer", "volunteer", "A volunteer who served their community."),
    ("Physician", "physician", "A physician who led or supported EMS care."),
    ("Dispatcher", "dispatcher", "An emergency medical dispatcher."),
    ("EMS for Children", "ems-for-children", "Work that improved emergency care for children."),
]

# The session key holding the ids of the site alerts a visitor dismissed (for that session).
DISMISSED_ALERTS = "information:dismissed-alerts"
# The session remembers this many dismissed alerts at most (the newest): a visitor posting
# made-up ids cannot grow the session without bound.
DISMISSED_ALERTS_KEPT = 20
