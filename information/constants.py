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
