"""Public information the office publishes besides licensing: certified stroke centers,
designated trauma centers, EMS Council awards, work-group reports.

Its own app because none of it belongs to a licensing domain (providers, organizations,
vehicles, complaints, rates): hospitals are not licensed by OEMS, awards and reports are not
applications.
"""
