"""A provider's own contact details (email, phone, mailing address: the one address every
email to them uses) and name changes requested with proof and decided by licensing staff."""
