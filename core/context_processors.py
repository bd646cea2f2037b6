"""Values every page's frame needs."""

from django.conf import settings


def site(request):
    return {
        "SITE_NAME": "OEMS Portal",
        "OFFICE_NAME": "Office of Emergency Medical Services",
        "OFFICE_PHONE": "860.509.7975",
        "DJANGO_ENV": settings.DJANGO_ENV,
    }
