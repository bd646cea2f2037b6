"""Public complaint pages (the form and its confirmation); staff download its files through
core.files (complaints/files.py). Thin: the rules are in services and selectors."""

from django.forms.utils import ErrorDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from core.cache import count_in_window
from core.client_address import client_address
from core.errors import refusal_on_form

from . import services
from .constants import RATE_LIMIT, RATE_WINDOW_SECONDS
from .forms import ComplaintForm

FILED_SESSION_KEY = "complaints_filed"
THROTTLE_MESSAGE = (
    "Too many complaints were sent from your connection in the last hour, so this one was not "
    "filed. What you typed is kept below: please try again later, or call the office."
)


def _over_rate_limit(request) -> bool:
    """Count one complaint from this address; True once it is over the limit in the window."""
    key = f"complaints:filed:{client_address(request) or 'unknown'}"
    return count_in_window(key, RATE_WINDOW_SECONDS) > RATE_LIMIT


def complaint_file(request):
    status = 200
    if request.method == "POST":
        form = ComplaintForm(request.POST, request.FILES)
        if form.is_bot():
            # Say nothing a bot could learn from; nothing is filed.
            return redirect("complaints:filed")
        if form.searched:
            # The search button: show the results, keep everything typed, judge nothing yet.
            form._errors = ErrorDict()
            return render(request, "complaints/file.html", {"form": form, "searched": True})
        if form.is_valid():
            if _over_rate_limit(request):
                form.add_error(None, THROTTLE_MESSAGE)
                status = 429
            else:
                data = form.cleaned_data
                with refusal_on_form(form):
                    complaint = services.complaint_file(
                        subject=data["subject"],
                        subject_description=data["subject_description"],
                        incident_date=data["incident_date"],
                        incident_town=data["incident_town"],
                        incident_place=data["incident_place"],
                        category=data["category"],
                        narrative=data["narrative"],
                        anonymous=data["anonymous"],
                        complainant_name=data["complainant_name"],
                        complainant_email=data["complainant_email"],
                        complainant_phone=data["complainant_phone"],
                        attachments=data["attachments"],
                        submission_token=data["submission_token"],
                    )
                    request.session[FILED_SESSION_KEY] = {
                        "tracking_number": complaint.tracking_number,
                        "email": complaint.complainant_email,
                        "anonymous": complaint.anonymous,
                    }
                    return redirect("complaints:filed")
    else:
        form = ComplaintForm()
    return render(request, "complaints/file.html", {"form": form}, status=status)


@require_GET
def complaint_filed(request):
    """The confirmation: the tracking number of the complaint this browser just filed (kept in
    the session, so the page reveals nothing to anyone else)."""
    return render(
        request, "complaints/filed.html", {"filed": request.session.get(FILED_SESSION_KEY)}
    )
