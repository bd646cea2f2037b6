"""Vehicles of EMS organizations and their inspections."""
