"""What every page's frame shows from this app: the site-wide alerts not dismissed this session,
and the office's contact details (both cached, information.selectors)."""

from . import selectors
from .constants import DISMISSED_ALERTS


def notices(request):
    session = getattr(request, "session", None)
    dismissed = session.get(DISMISSED_ALERTS, []) if session is not None else []
    return {
        "SITE_ALERTS": selectors.site_alerts(dismissed=dismissed),
        "OFFICE_CONTACT": selectors.contact_details(),
    }
