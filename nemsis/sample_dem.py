"""Write a NEMSIS v3.5.1 DEMDataSet file (valid unless told otherwise): for the demo (an
organization administrator needs a file to send: `manage.py nemsis_sample_dem AMB-0001`) and
the tests. It is what an agency's ePCR software would export, reduced to what the schema needs."""

import uuid
from dataclasses import dataclass, field

NS = "http://www.nemsis.org"
NIL = 'xsi:nil="true" NV="7701001"'


def _id() -> str:
    return f'UUID="{uuid.uuid4()}"'


@dataclass
class DemPerson:
    last_name: str
    first_name: str
    licence: str
    level_code: str = "9925005"  # EMT
    state: str = "09"


@dataclass
class DemVehicle:
    unit: str
    vin: str
    year: str = "2022"


@dataclass
class DemFile:
    agency_number: str
    agency_name: str = "Test Ambulance"
    people: list[DemPerson] = field(default_factory=list)
    vehicles: list[DemVehicle] = field(default_factory=list)
    schema_location: str = ""
    prolog: str = ""

    def xml(self) -> bytes:
        location = (
            f' xsi:schemaLocation="{NS} {self.schema_location}"' if self.schema_location else ""
        )
        vehicles = "".join(
            f"<dVehicle.VehicleGroup {_id()}><dVehicle.01>{v.unit}</dVehicle.01>"
            f"<dVehicle.02>{v.vin}</dVehicle.02><dVehicle.04>1404001</dVehicle.04>"
            f"<dVehicle.10>{v.year}</dVehicle.10></dVehicle.VehicleGroup>\n"
            for v in self.vehicles
        )
        people = "".join(
            f"<dPersonnel.PersonnelGroup {_id()}><dPersonnel.NameGroup>"
            f"<dPersonnel.01>{p.last_name}</dPersonnel.01><dPersonnel.02>{p.first_name}</dPersonnel.02>"
            f"</dPersonnel.NameGroup><dPersonnel.LicensureGroup {_id()}>"
            f"<dPersonnel.22>{p.state}</dPersonnel.22><dPersonnel.23>{p.licence}</dPersonnel.23>"
            f"<dPersonnel.24>{p.level_code}</dPersonnel.24>"
            "</dPersonnel.LicensureGroup></dPersonnel.PersonnelGroup>\n"
            for p in self.people
        )
        return (
            f'<?xml version="1.0" encoding="UTF-8"?>\n{self.prolog}'
            f'<DEMDataSet xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"{location}>\n'
            '<DemographicReport timeStamp="2026-11-30T10:00:00-05:00">\n'
            "<dAgency>\n"
            f"<dAgency.01>{self.agency_number}</dAgency.01>\n"
            f"<dAgency.02>{self.agency_number}</dAgency.02>\n"
            f"<dAgency.03>{self.agency_name}</dAgency.03>\n"
            "<dAgency.04>09</dAgency.04>\n"
            f"<dAgency.AgencyServiceGroup {_id()}><dAgency.05>09</dAgency.05><dAgency.06>09003</dAgency.06>"
            f"<dAgency.07 {NIL}/><dAgency.08>06106</dAgency.08></dAgency.AgencyServiceGroup>\n"
            "<dAgency.09>9920001</dAgency.09>\n"
            "<dAgency.11>9917005</dAgency.11>\n"
            "<dAgency.12>1016001</dAgency.12>\n"
            "<dAgency.13>9912001</dAgency.13>\n"
            "<dAgency.14>1018001</dAgency.14>\n"
            f"<dAgency.25 {NIL}/>\n"
            f"<dAgency.26 {NIL}/>\n"
            "</dAgency>\n"
            f"<dConfiguration><dConfiguration.ConfigurationGroup {_id()}>"
            "<dConfiguration.01>09</dConfiguration.01>"
            f"<dConfiguration.ProcedureGroup {_id()}><dConfiguration.06>9917005</dConfiguration.06>"
            "<dConfiguration.07>89666000</dConfiguration.07></dConfiguration.ProcedureGroup>"
            f"<dConfiguration.MedicationGroup {_id()}><dConfiguration.08>9917005</dConfiguration.08>"
            '<dConfiguration.09 CodeType="9924003">7806</dConfiguration.09></dConfiguration.MedicationGroup>'
            "<dConfiguration.10>9914075</dConfiguration.10>"
            "<dConfiguration.13>1213001</dConfiguration.13>"
            "<dConfiguration.16>MEDIC1</dConfiguration.16>"
            "</dConfiguration.ConfigurationGroup></dConfiguration>\n"
            f"<dVehicle>\n{vehicles}</dVehicle>\n"
            f"<dPersonnel>\n{people}</dPersonnel>\n"
            "</DemographicReport>\n</DEMDataSet>\n"
        ).encode()


def sample_for(organization) -> DemFile:
    """A DEM file for ``organization`` from the portal's own records: its roster's current
    certifications and its vehicles, plus one unknown person and one unknown vehicle, so the
    report shows each kind of row."""
    from organizations.models import AffiliationStatus
    from providers.models import CertificationStatus
    from vehicles.models import VehicleStatus

    from .mapping import MEMBER_LEVEL_CODES

    people = []
    affiliations = organization.affiliations.filter(
        status=AffiliationStatus.APPROVED
    ).select_related("provider")
    for affiliation in affiliations:
        provider = affiliation.provider
        for certification in provider.certifications.all():
            if certification.status == CertificationStatus.ACTIVE:
                people.append(
                    DemPerson(
                        provider.last_name,
                        provider.first_name,
                        certification.number,
                        level_code=MEMBER_LEVEL_CODES[certification.level],
                    )
                )
                break
    people.append(DemPerson("Sample", "Unknown", "E999999"))
    vehicles = [
        DemVehicle(f"Unit {index}", vehicle.vin, str(vehicle.year))
        for index, vehicle in enumerate(
            organization.vehicles.exclude(status=VehicleStatus.RETIRED).order_by("vin"), start=1
        )
    ]
    vehicles.append(DemVehicle("Unit 99", "1FDXE4FS0HDC00000"))
    return DemFile(
        agency_number=organization.number,
        agency_name=organization.legal_name[:100],
        people=people,
        vehicles=vehicles,
    )
