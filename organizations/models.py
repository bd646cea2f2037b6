"""EMS organizations (ambulance and first-responder services).

The core Organization table is shared by vehicles, rates and complaints; the Organizations issue
adds people, Primary Service Areas, applications and account linking around it.
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class ServiceKind(models.TextChoices):
    AMBULANCE = "ambulance", "Ambulance service"
    FIRST_RESPONDER = "first_responder", "First responder (non-transport)"


class Ownership(models.TextChoices):
    COMMERCIAL = "commercial", "Commercial"
    MUNICIPAL = "municipal", "Municipal"
    VOLUNTEER = "volunteer", "Volunteer"
    STATE_AGENCY = "state_agency", "State agency"


class CredentialType(models.TextChoices):
    # Commercial services hold a license (annual fee, renews by December 31); volunteer,
    # municipal and state-agency services hold a certificate (renews by the end of a quarter).
    LICENSE = "license", "License"
    CERTIFICATE = "certificate", "Certificate"


class ServiceLevel(models.TextChoices):
    BLS = "bls", "Basic life support (BLS)"
    AEMT = "aemt", "Advanced EMT (AEMT)"
    PARAMEDIC = "paramedic", "Paramedic (ALS)"


class OrganizationStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PENDING = "pending", "Pending approval"
    SUSPENDED = "suspended", "Suspended"
    REVOKED = "revoked", "Revoked"
    INACTIVE = "inactive", "Inactive"


class Organization(models.Model):
    legal_name = models.CharField(max_length=200)
    doing_business_as = models.CharField(max_length=200, blank=True)
    number = models.CharField(
        max_length=20, unique=True, help_text="License or certificate number, e.g. AMB-0123."
    )
    kind = models.CharField(max_length=20, choices=ServiceKind.choices)
    ownership = models.CharField(max_length=20, choices=Ownership.choices)
    credential_type = models.CharField(max_length=20, choices=CredentialType.choices)
    highest_level = models.CharField(
        max_length=20, choices=ServiceLevel.choices, default=ServiceLevel.BLS
    )
    status = models.CharField(
        max_length=20, choices=OrganizationStatus.choices, default=OrganizationStatus.ACTIVE
    )
    email = models.EmailField(help_text="Address on file; account-linking PINs go here.")
    phone = models.CharField(max_length=30, blank=True)
    street = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, default="CT")
    postal_code = models.CharField(max_length=10, blank=True)
    administrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="administered_organizations", blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[administrators])

    class Meta:
        ordering = ["legal_name"]
        indexes = [models.Index(fields=["legal_name"]), models.Index(fields=["status"])]

    def __str__(self):
        return f"{self.legal_name} ({self.number})"
