"""API of the vehicles app, thin over selectors and services.

Organization administrators read their organization's vehicles and inspections (token or
session); staff read and record inspections. Per-object checks use the same selectors as the
pages; another organization's data answers 404, not 403, so it is not disclosed.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.api_views import SignedInListApi
from core.errors import DomainError
from organizations.models import Organization

from . import selectors, services
from .models import AnswerResult, Inspection, InspectionAnswer, Vehicle


def domain_error_response(error: DomainError) -> Response:
    code = status.HTTP_403_FORBIDDEN if error.code == "forbidden" else status.HTTP_400_BAD_REQUEST
    field = error.field or "detail"
    return Response({field: [error.message], "code": error.code}, status=code)


class HasStaffPermission(BasePermission):
    """Staff with the view's ``staff_permission``."""

    def has_permission(self, request, view):
        user = request.user
        return bool(
            user
            and user.is_authenticated
            and user.is_staff
            and user.has_perm(view.staff_permission)
        )


# --- serializers ------------------------------------------------------------------------------


class VehicleOutputSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.number")
    vehicle_type_display = serializers.CharField(source="get_vehicle_type_display")
    status_display = serializers.CharField(source="get_status_display")

    class Meta:
        model = Vehicle
        fields = [
            "id",
            "organization",
            "vin",
            "make",
            "model",
            "year",
            "plate",
            "vehicle_type",
            "vehicle_type_display",
            "service_level",
            "status",
            "status_display",
            "sticker_number",
            "sticker_expires_on",
            "last_inspected_on",
            "last_inspection_result",
            "next_inspection_due",
        ]


class InspectionOutputSerializer(serializers.ModelSerializer):
    vehicle = serializers.IntegerField(source="vehicle_id")
    vin = serializers.CharField(source="vehicle.vin")
    plate = serializers.CharField(source="vehicle.plate")
    organization = serializers.CharField(source="vehicle.organization.number")
    deficiency_count = serializers.IntegerField()
    answered_count = serializers.IntegerField()
    item_count = serializers.IntegerField()

    class Meta:
        model = Inspection
        fields = [
            "id",
            "vehicle",
            "vin",
            "plate",
            "organization",
            "kind",
            "scheduled_for",
            "status",
            "started_at",
            "completed_at",
            "sticker_number",
            "deficiency_count",
            "answered_count",
            "item_count",
        ]


class AnswerOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = InspectionAnswer
        fields = [
            "id",
            "section",
            "category",
            "description",
            "quantity",
            "result",
            "note",
            "photo",
            "answered_at",
        ]


class InspectionDetailSerializer(InspectionOutputSerializer):
    inspector = serializers.EmailField(source="inspector.email")
    answers = AnswerOutputSerializer(many=True)

    class Meta(InspectionOutputSerializer.Meta):
        fields = [*InspectionOutputSerializer.Meta.fields, "inspector", "answers"]


# --- organization administrators -------------------------------------------------------------


def _organization_for(request, organization_id) -> Organization:
    organization = get_object_or_404(Organization, pk=organization_id)
    if not selectors.user_can_view_organization_fleet(user=request.user, organization=organization):
        raise Http404
    return organization


class OrganizationVehicleListApi(SignedInListApi):
    """The organization's vehicles; its administrators (and OEMS staff) only."""

    serializer_class = VehicleOutputSerializer
    filterset_fields = ["status", "vehicle_type"]

    def rows(self):
        organization = _organization_for(self.request, self.kwargs["organization_id"])
        return selectors.vehicle_list(organizations=[organization])


class OrganizationInspectionListApi(SignedInListApi):
    """The organization's inspections with their results; its administrators (and staff) only."""

    serializer_class = InspectionOutputSerializer

    def rows(self):
        organization = _organization_for(self.request, self.kwargs["organization_id"])
        return selectors.inspections_for_organization(organization=organization)


class MyVehicleListApi(SignedInListApi):
    """Vehicles of every organization the signed-in user administers."""

    serializer_class = VehicleOutputSerializer

    def rows(self):
        return selectors.vehicles_for_user(user=self.request.user)


# --- staff: inspections ------------------------------------------------------------------------


class InspectionListApi(generics.GenericAPIView):
    """Staff: open inspections (``?mine=true`` for the caller's own), and scheduling one."""

    permission_classes = [HasStaffPermission]
    staff_permission = "vehicles.view_inspection"
    queryset = Inspection.objects.none()  # the schema's model; get() reads through selectors

    class InspectionFilterSerializer(serializers.Serializer):
        start = serializers.DateField(required=False)
        end = serializers.DateField(required=False)
        mine = serializers.BooleanField(required=False, default=False)

    class ScheduleInputSerializer(serializers.Serializer):
        vehicle = serializers.PrimaryKeyRelatedField(queryset=Vehicle.objects.all())
        scheduled_for = serializers.DateField()
        inspector = serializers.PrimaryKeyRelatedField(queryset=User.objects.filter(is_staff=True))

    # What OPTIONS describes (DRF's metadata asks the view for its serializer): the POST input.
    serializer_class = ScheduleInputSerializer

    @extend_schema(
        parameters=[InspectionFilterSerializer], responses=InspectionOutputSerializer(many=True)
    )
    def get(self, request):
        filters = self.InspectionFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = selectors.inspections_scheduled(
            start=filters.validated_data.get("start"), end=filters.validated_data.get("end")
        )
        if filters.validated_data["mine"]:
            queryset = queryset.filter(inspector=request.user)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(InspectionOutputSerializer(page, many=True).data)

    @extend_schema(request=ScheduleInputSerializer, responses={201: InspectionOutputSerializer})
    def post(self, request):
        data = self.ScheduleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            inspection = services.inspection_schedule(actor=request.user, **data.validated_data)
        except DomainError as error:
            return domain_error_response(error)
        inspection = selectors.inspections_scheduled().get(pk=inspection.pk)
        return Response(InspectionOutputSerializer(inspection).data, status=status.HTTP_201_CREATED)


class _InspectionActionApi(APIView):
    permission_classes = [HasStaffPermission]
    staff_permission = "vehicles.record_inspection"

    def inspection(self, request, pk) -> Inspection:
        try:
            inspection = selectors.inspection_with_answers(pk=pk)
        except Inspection.DoesNotExist:
            raise Http404 from None
        if not selectors.user_can_record(user=request.user, inspection=inspection):
            raise PermissionDenied("This inspection is assigned to another inspector.")
        return inspection

    def detail(self, pk) -> Response:
        inspection = selectors.inspection_summaries().prefetch_related("answers").get(pk=pk)
        return Response(InspectionDetailSerializer(inspection).data)


class InspectionDetailApi(_InspectionActionApi):
    """Staff: one inspection with its checklist."""

    staff_permission = "vehicles.view_inspection"

    @extend_schema(responses=InspectionDetailSerializer)
    def get(self, request, pk):
        if not Inspection.objects.filter(pk=pk).exists():
            raise Http404
        return self.detail(pk)


class InspectionStartApi(_InspectionActionApi):
    @extend_schema(request=None, responses=InspectionDetailSerializer)
    def post(self, request, pk):
        try:
            services.inspection_start(inspection=self.inspection(request, pk), actor=request.user)
        except DomainError as error:
            return domain_error_response(error)
        return self.detail(pk)


class InspectionAnswerApi(_InspectionActionApi):
    class AnswerInputSerializer(serializers.Serializer):
        result = serializers.ChoiceField(choices=AnswerResult.choices)
        note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
        photo = serializers.FileField(required=False)  # PNG or JPEG: checked by the service

    @extend_schema(request=AnswerInputSerializer, responses=AnswerOutputSerializer)
    def post(self, request, pk, answer_pk):
        inspection = self.inspection(request, pk)
        answer = get_object_or_404(InspectionAnswer, pk=answer_pk, inspection=inspection)
        data = self.AnswerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            answer = services.inspection_answer(
                answer=answer, actor=request.user, **data.validated_data
            )
        except DomainError as error:
            return domain_error_response(error)
        return Response(AnswerOutputSerializer(answer, context={"request": request}).data)


class InspectionCompleteApi(_InspectionActionApi):
    @extend_schema(request=None, responses=InspectionDetailSerializer)
    def post(self, request, pk):
        try:
            services.inspection_complete(
                inspection=self.inspection(request, pk), actor=request.user
            )
        except DomainError as error:
            return domain_error_response(error)
        return self.detail(pk)


class InspectionCancelApi(_InspectionActionApi):
    staff_permission = "vehicles.schedule_inspection"

    class CancelInputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=500)

    @extend_schema(request=CancelInputSerializer, responses=InspectionDetailSerializer)
    def post(self, request, pk):
        data = self.CancelInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        inspection = get_object_or_404(Inspection, pk=pk)
        try:
            services.inspection_cancel(
                inspection=inspection, actor=request.user, reason=data.validated_data["reason"]
            )
        except DomainError as error:
            return domain_error_response(error)
        return self.detail(pk)
