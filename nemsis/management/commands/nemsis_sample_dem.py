"""Print a sample NEMSIS v3.5.1 DEM file of an organization (from its roster and vehicles, plus
one unknown person and vehicle) to send on its DEM page: `manage.py nemsis_sample_dem AMB-0001 >
dem.xml`."""

from django.core.management.base import BaseCommand, CommandError

from nemsis.sample_dem import sample_for
from organizations.models import Organization


class Command(BaseCommand):
    help = "Print a sample NEMSIS DEM file for an organization (its roster and vehicles)."

    def add_arguments(self, parser):
        parser.add_argument("number", help="The organization's number, e.g. AMB-0001.")

    def handle(self, *args, number, **options):
        organization = Organization.objects.filter(number__iexact=number.strip()).first()
        if organization is None:
            raise CommandError(f"No organization {number}.")
        self.stdout.write(sample_for(organization).xml().decode(), ending="")
