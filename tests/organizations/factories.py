import factory

from organizations.models import (
    CredentialType,
    Organization,
    Ownership,
    ServiceKind,
    ServiceLevel,
)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    legal_name = factory.Sequence(lambda n: f"Test Ambulance {n}")
    number = factory.Sequence(lambda n: f"AMB-{9000 + n}")
    kind = ServiceKind.AMBULANCE
    ownership = Ownership.COMMERCIAL
    credential_type = CredentialType.LICENSE
    highest_level = ServiceLevel.PARAMEDIC
    email = factory.Sequence(lambda n: f"office{n}@org.example.org")
    city = "Hartford"
