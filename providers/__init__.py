"""EMS providers: certifications, continuing education, renewals and public verification."""
