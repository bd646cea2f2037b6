"""API of the providers app: public verification, the provider's own records (token or
session) and the staff review queue. Thin: one view per operation, selectors underneath."""

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.viewsets import ReadOnlyModelViewSet

from core.throttling import VerifyRateThrottle

from . import selectors
from .models import QUEUE_STATUSES, CertificationStatus, RenewalStatus


class VerifyApi(APIView):
    """Public: the state record of one certification. Nothing private (no DOB, no address)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    # Callers are always anonymous here: one throttle (one cache round trip), not anon + user;
    # the same allowance as the /verify/ page.
    throttle_classes = [VerifyRateThrottle]

    class VerifyOutputSerializer(serializers.Serializer):
        number = serializers.CharField()
        name = serializers.CharField(source="provider.full_name")
        level = serializers.CharField()
        level_display = serializers.CharField(source="get_level_display")
        status = serializers.CharField()
        status_display = serializers.CharField(source="status_label")
        expiration_date = serializers.DateField(source="expires_on")
        superseded_by = serializers.CharField(
            source="superseded_by.number",
            allow_null=True,
            default=None,
            help_text="After a level change: the number of the current certification.",
        )

    @extend_schema(responses=VerifyOutputSerializer, operation_id="verify_certification")
    def get(self, request, number):
        certification = selectors.verify_one(number=number)
        if certification is None:
            raise Http404("No certification with this number.")
        return Response(verify_output(certification))


# The most numbers one batch call may ask about: a whole crew, or a shift's roster, at once.
# A batch is one request to the throttle; the limit keeps one request's work bounded.
VERIFY_BATCH_LIMIT = 100


class VerifyBatchApi(APIView):
    """Public: the state record of up to ``VERIFY_BATCH_LIMIT`` certifications in one call (an
    ePCR system checking a crew at shift start). Answers in the order asked, each number once;
    an unknown number answers ``found: false``. Throttled like the single look-up."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [VerifyRateThrottle]  # the single look-up's allowance

    class InputSerializer(serializers.Serializer):
        numbers = serializers.ListField(
            child=serializers.CharField(max_length=20),
            allow_empty=False,
            help_text=f"Certification numbers, at most {VERIFY_BATCH_LIMIT}.",
        )

        def validate_numbers(self, numbers):
            if len(numbers) > VERIFY_BATCH_LIMIT:
                raise serializers.ValidationError(
                    f"At most {VERIFY_BATCH_LIMIT} numbers per call; this one has "
                    f"{len(numbers)}. Split them into several calls."
                )
            return numbers

    class ResultSerializer(serializers.Serializer):
        number = serializers.CharField(help_text="The number as asked.")
        found = serializers.BooleanField()
        certification = VerifyApi.VerifyOutputSerializer(allow_null=True)

    @extend_schema(
        request=InputSerializer,
        responses={200: ResultSerializer(many=True)},
        operation_id="verify_certifications_batch",
    )
    def post(self, request):
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        results = []
        for number in dict.fromkeys(serializer.validated_data["numbers"]):
            certification = selectors.verify_one(number=number)  # cached per number
            results.append(
                {
                    "number": number,
                    "found": certification is not None,
                    "certification": verify_output(certification) if certification else None,
                }
            )
        return Response(results)


def verify_output(certification) -> dict:
    """``VerifyOutputSerializer``'s fields, built directly: this is the portal's hottest
    response, and DRF's field machinery (a deep copy of the fields per serializer, a signature
    inspection per callable source) was a fifth of its time. The serializer stays the API's
    schema; tests/providers/test_api.py keeps the two in step."""
    status = certification.status
    superseded_by = certification.superseded_by
    return {
        "number": certification.number,
        "name": certification.provider.full_name,
        "level": certification.level,
        "level_display": certification.get_level_display(),
        "status": status,
        "status_display": CertificationStatus(status).label,
        "expiration_date": certification.expires_on.isoformat(),
        "superseded_by": superseded_by.number if superseded_by else None,
    }


class CertificationSerializer(serializers.Serializer):
    number = serializers.CharField()
    level = serializers.CharField()
    issued_on = serializers.DateField()
    expires_on = serializers.DateField()
    status = serializers.CharField()


# The signed-in account's own rows, as the ``own`` selector reads them for the user (a list, or a
# read-only viewset's list and one of them); the selectors give the schema generator's anonymous
# request nobody's rows. (A comment, not a docstring: the API schema would show it on every view
# without a docstring of its own.)
class _OwnRows:
    request: Request

    own: Callable[[Any], QuerySet]  # a selector, set with staticmethod()

    def get_queryset(self):
        return self.own(self.request.user)


class MyCertificationsApi(_OwnRows, ListAPIView):
    """The signed-in provider's own certifications."""

    serializer_class = CertificationSerializer
    own = staticmethod(selectors.certifications_of)


class MyCERecordsApi(_OwnRows, ListAPIView):
    class CERecordOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        course_title = serializers.CharField()
        completed_on = serializers.DateField()
        hours = serializers.DecimalField(max_digits=5, decimal_places=2)
        component = serializers.CharField()
        delivery = serializers.CharField()
        approval_number = serializers.CharField()
        has_certificate = serializers.SerializerMethodField()

        def get_has_certificate(self, record) -> bool:
            return bool(record.certificate)

    serializer_class = CERecordOutputSerializer
    own = staticmethod(selectors.ce_records_of)


class ReturnReasonsField(serializers.ListField):
    """The labels of the reasons an application was returned incomplete (any kind)."""

    child = serializers.CharField()

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, data):
        return [reason.label for reason in data.all()]


# What every kind of reviewed application shows (``ReviewedApplication``'s status, clock and
# return); each kind's serializer adds its own fields. (A comment: a docstring would describe each
# kind's schema component.)
class ReviewedApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_display = serializers.CharField(source="get_status_display")
    submitted_at = serializers.DateTimeField()
    complete_on = serializers.DateField()
    return_reasons = ReturnReasonsField()
    return_note = serializers.CharField()


class ApplicationSerializer(ReviewedApplicationSerializer):
    certification = serializers.CharField(source="certification.number")
    nremt_number = serializers.CharField()
    nremt_verified = serializers.SerializerMethodField()
    new_expires_on = serializers.DateField()

    def get_nremt_verified(self, application) -> bool:
        return application.nremt_verified_at is not None


class MyApplicationsApi(_OwnRows, ReadOnlyModelViewSet):
    """The signed-in provider's renewal applications, or one of them (anyone else's is a 404)."""

    serializer_class = ApplicationSerializer
    own = staticmethod(selectors.applications_of)


class CanReviewRenewals(permissions.BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(
            user.is_authenticated
            and user.is_staff
            and user.has_perm("providers.view_renewalapplication")
        )


class StaffRenewalQueueApi(ListAPIView):
    """Staff: applications waiting for the office, oldest complete first."""

    permission_classes = [CanReviewRenewals]

    class QueueApplicationSerializer(ApplicationSerializer):
        provider = serializers.CharField(source="certification.provider.full_name")
        level = serializers.CharField(source="certification.level")
        days_waiting = serializers.SerializerMethodField()

        def get_days_waiting(self, application) -> int | None:
            return application.days_waiting()

    serializer_class = QueueApplicationSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status",
                str,
                enum=list(RenewalStatus.values),
                description=f"Default: the queue ({', '.join(QUEUE_STATUSES)}).",
            )
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        status = self.request.query_params.get("status")
        if status and status not in RenewalStatus.values:
            raise serializers.ValidationError({"status": "Unknown status."})
        return selectors.renewal_queue(status=status or None)


class InitialApplicationSerializer(ReviewedApplicationSerializer):
    level = serializers.CharField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    course_approval_number = serializers.CharField()
    nremt_number = serializers.CharField()
    certification = serializers.CharField(
        source="certification.number", allow_null=True, default=None
    )


class MyInitialApplicationsApi(_OwnRows, ReadOnlyModelViewSet):
    """The signed-in account's initial certification applications, or one of them (never anyone
    else's)."""

    serializer_class = InitialApplicationSerializer
    own = staticmethod(selectors.initial_applications_of)


class ReinstatementSerializer(ReviewedApplicationSerializer):
    certification = serializers.CharField(source="certification.number")
    new_expires_on = serializers.DateField()


class MyReinstatementsApi(_OwnRows, ReadOnlyModelViewSet):
    """The signed-in provider's reinstatement applications, or one of them (anyone else's is a
    404)."""

    serializer_class = ReinstatementSerializer
    own = staticmethod(selectors.reinstatements_of)
