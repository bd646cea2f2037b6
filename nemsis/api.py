"""API of the nemsis app: the State Dataset for ePCR vendors. Thin: the documents machinery
prepares and reuses the file; this answers with it, or with where it stands."""

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core.throttling import AnonRateThrottle, UserRateThrottle
from documents.models import JobStatus
from documents.services import document_request

from .documents import STATE_DATASET_KIND


class StateDataSetApi(APIView):
    """Public: the state's NEMSIS v3.5.1 StateDataSet XML (valid against StateDataSet_v3.xsd).

    200 with the XML when the current data's file is ready (it is reused until the data
    changes, and prepared every night); 202 with the job's progress while it is being prepared
    (ask again after ``Retry-After`` seconds); 503 if preparing it failed."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [AnonRateThrottle, UserRateThrottle]

    @extend_schema(
        operation_id="nemsis_state_dataset",
        responses={
            (200, "application/xml"): OpenApiResponse(
                OpenApiTypes.STR, description="The StateDataSet XML."
            ),
            202: OpenApiResponse(description="Being prepared: status, progress, status_url."),
            503: OpenApiResponse(description="Preparing it failed; try again later."),
        },
    )
    def get(self, request):
        job, _outcome = document_request(kind=STATE_DATASET_KIND, params={}, user=request.user)
        if job.status == JobStatus.DONE and job.file:
            with job.file.open("rb") as stored:
                content = stored.read()
            response = HttpResponse(content, content_type="application/xml; charset=utf-8")
            response["Content-Disposition"] = f'inline; filename="{job.filename}"'
            response["Last-Modified"] = job.finished_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
            return response
        payload = {
            "status": job.status,
            "progress": job.progress,
            "message": job.progress_message,
            "status_url": reverse("documents:job", kwargs={"pk": job.pk}),
        }
        if job.status == JobStatus.FAILED:
            payload["error"] = job.error
            return Response(payload, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        return Response(payload, status=status.HTTP_202_ACCEPTED, headers={"Retry-After": "5"})
