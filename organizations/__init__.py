"""EMS organizations: licenses and certificates, services, Primary Service Areas, leadership."""
