"""The national interchange: the portal speaking NEMSIS v3.5.1, the standard every ePCR system
in the country follows. Its own app because it is its own concern: it translates the other
domains' records (certifications, organizations, vehicles, hospitals) into the standard's
shapes and back (the State Dataset the state publishes; the Demographic files agencies send),
and keeps the one piece of data only the standard needs: the state's scope of practice.
"""
