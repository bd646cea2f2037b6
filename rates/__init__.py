"""Annual rate filings of EMS organizations and the published allowable rates."""
