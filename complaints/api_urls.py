"""API routes of the complaints app, mounted under /api/v1/ (staff only)."""

from core.routes import collection

from . import api

urlpatterns = collection(
    "complaints/",
    "api-complaint",
    api.ComplaintListApi,
    api.ComplaintDetailApi,
    triage=api.ComplaintTriageApi,
    assign=api.ComplaintAssignApi,
    start=api.ComplaintStartApi,
    refer=api.ComplaintReferApi,
    close=api.ComplaintCloseApi,
    notice=api.ComplaintNoticeApi,
    lift=api.ComplaintLiftApi,
    notes=api.ComplaintNoteApi,
)
