"""API of document jobs: request a document, follow its job. Thin: the services and the
spec's per-object permission decide; this maps them to HTTP."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import DomainError

from . import selectors, services
from .models import DocumentJob
from .registry import get_spec


class JobOutputSerializer(serializers.ModelSerializer):
    download_url = serializers.SerializerMethodField()
    status_page_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentJob
        fields = [
            "id",
            "kind",
            "title",
            "params",
            "status",
            "progress",
            "progress_message",
            "page_count",
            "error",
            "created_at",
            "finished_at",
            "status_page_url",
            "download_url",
        ]

    def get_download_url(self, job) -> str | None:
        return job.download_url

    def get_status_page_url(self, job) -> str:
        return job.get_absolute_url()


class DocumentRequestApi(APIView):
    """Ask for a document. 201 when a new job was queued, 200 when a finished one is reused or
    a running one joined; 403 when the document's permission refuses you."""

    # Public documents may be requested anonymously; the spec's can_request decides per object.
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        params = serializers.DictField(required=False, default=dict)

    class OutputSerializer(serializers.Serializer):
        outcome = serializers.ChoiceField(choices=["reused", "joined", "queued"])
        job = JobOutputSerializer()

    @extend_schema(
        request=InputSerializer, responses={200: OutputSerializer, 201: OutputSerializer}
    )
    def post(self, request, kind):
        spec = get_spec(kind)
        if spec is None:
            raise Http404("No such document.")
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            params = spec.clean_params(serializer.validated_data["params"])
            job, outcome = services.document_request(kind=kind, params=params, user=request.user)
        except DomainError as error:
            return Response({"detail": error.message}, status=status.HTTP_400_BAD_REQUEST)
        except PermissionDenied as error:
            return Response({"detail": str(error)}, status=status.HTTP_403_FORBIDDEN)
        return Response(
            self.OutputSerializer({"outcome": outcome, "job": job}).data,
            status=status.HTTP_201_CREATED if outcome == "queued" else status.HTTP_200_OK,
        )


class DocumentJobDetailApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=JobOutputSerializer)
    def get(self, request, pk):
        job = get_object_or_404(DocumentJob, pk=pk)
        if not selectors.job_visible_to(job=job, user=request.user):
            raise Http404  # not confirmed to anyone it is not for
        return Response(JobOutputSerializer(job).data)
