"""Staff API of the complaints app: investigators and supervisors only (the role, checked per
request and per object, not Django's permissions alone). Reading one complaint writes an
access row, as the admin does."""

from collections.abc import Callable

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import User
from core.api_views import FilteredListApi
from core.errors import DomainError

from . import selectors, services
from .constants import CLOSING_OUTCOMES, Category, Outcome, Stage
from .models import Complaint


class IsComplaintStaff(BasePermission):
    message = "Only complaint investigators and supervisors may use this."

    def has_permission(self, request, view):
        return selectors.can_see_complaints(request.user)

    def has_object_permission(self, request, view, obj):
        return selectors.can_see_complaints(request.user)


def domain_error_response(error: DomainError) -> Response:
    code = status.HTTP_403_FORBIDDEN if error.code == "forbidden" else status.HTTP_400_BAD_REQUEST
    return Response({error.field or "detail": [error.message], "code": error.code}, status=code)


class ComplaintOutputSerializer(serializers.ModelSerializer):
    subject = serializers.CharField(source="subject_label")
    certification = serializers.CharField(source="certification.number", allow_null=True)
    organization = serializers.CharField(source="organization.number", allow_null=True)
    investigator = serializers.EmailField(source="investigator.email", allow_null=True)
    incident_town = serializers.CharField(source="incident_town.name")
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id",
            "tracking_number",
            "stage",
            "category",
            "subject_kind",
            "subject",
            "certification",
            "organization",
            "incident_date",
            "incident_town",
            "investigator",
            "due_on",
            "overdue",
            "outcome",
            "effective_from",
            "effective_until",
            "received_at",
            "closed_at",
            "notice_issued_at",
        ]

    def get_overdue(self, obj) -> bool:
        return obj.is_overdue()


class NoteOutputSerializer(serializers.Serializer):
    author = serializers.EmailField(source="author.email")
    body = serializers.CharField()
    created_at = serializers.DateTimeField()


class FileOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    original_name = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class ComplaintDetailSerializer(ComplaintOutputSerializer):
    notes = NoteOutputSerializer(many=True)
    attachments = FileOutputSerializer(many=True)
    evidence = FileOutputSerializer(many=True)

    class Meta(ComplaintOutputSerializer.Meta):
        fields = [
            *ComplaintOutputSerializer.Meta.fields,
            "subject_description",
            "incident_place",
            "narrative",
            "anonymous",
            "complainant_name",
            "complainant_email",
            "complainant_phone",
            "has_jurisdiction",
            "outcome_summary",
            "effect_applied",
            "effect_lifted_at",
            "notes",
            "attachments",
            "evidence",
        ]


class ComplaintListApi(FilteredListApi):
    """Complaints, filtered by stage, category, outcome, investigator (``mine``) or overdue."""

    permission_classes = [IsComplaintStaff]
    serializer_class = ComplaintOutputSerializer

    class FilterSerializer(serializers.Serializer):
        stage = serializers.ChoiceField(choices=Stage.choices, required=False)
        category = serializers.ChoiceField(choices=Category.choices, required=False)
        outcome = serializers.ChoiceField(choices=Outcome.choices, required=False)
        overdue = serializers.BooleanField(required=False, default=False)
        mine = serializers.BooleanField(required=False, default=False)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Complaint.objects.none()
        return super().get_queryset()

    def filtered(self, data):
        return selectors.complaint_list(
            stage=data.get("stage"),
            category=data.get("category"),
            outcome=data.get("outcome"),
            overdue=data["overdue"],
            investigator=self.request.user if data["mine"] else None,
        )


def _detail(request, pk, *, via="api") -> Response:
    complaint = selectors.complaint_detail(pk=pk)
    services.access_record(complaint=complaint, user=request.user, via=via)
    return Response(ComplaintDetailSerializer(complaint).data)


class ComplaintDetailApi(APIView):
    """One complaint with its notes and files (the view is logged)."""

    permission_classes = [IsComplaintStaff]

    @extend_schema(responses=ComplaintDetailSerializer)
    def get(self, request, pk):
        get_object_or_404(Complaint, pk=pk)
        return _detail(request, pk)


class _TransitionApi(APIView):
    # POST runs one service on the complaint, service(complaint=, actor=, **input), and answers
    # with the complaint (a refusal: 400, or 403 for a role's limit). No docstring: the schema
    # would show it on every transition.

    permission_classes = [IsComplaintStaff]
    input_serializer: type[serializers.Serializer] | None = None
    service: Callable[..., object]  # a staticmethod: services.complaint_<transition>

    def post(self, request, pk):
        complaint = get_object_or_404(Complaint, pk=pk)
        data = {}
        if self.input_serializer is not None:
            serializer = self.input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = serializer.validated_data
        try:
            self.service(complaint=complaint, actor=request.user, **data)
        except DomainError as error:
            return domain_error_response(error)
        return _detail(request, pk, via="api transition")


def _transition(name: str, service: Callable[..., object], **fields) -> type[_TransitionApi]:
    """``Complaint<name>Api``: the transition's view, with ``fields`` as its input serializer
    (``Complaint<name>Api.<name>InputSerializer``, so the schema names stay as they were)."""
    view_name = f"Complaint{name}Api"
    input_serializer = None
    if fields:
        input_serializer = type(f"{name}InputSerializer", (serializers.Serializer,), fields)
        input_serializer.__qualname__ = f"{view_name}.{input_serializer.__name__}"

    @extend_schema(request=input_serializer, responses=ComplaintDetailSerializer)
    def post(self, request, pk):
        return _TransitionApi.post(self, request, pk)

    attrs = {"input_serializer": input_serializer, "service": staticmethod(service), "post": post}
    view = type(view_name, (_TransitionApi,), {"__module__": __name__, **attrs})
    return view


def _optional_date() -> serializers.DateField:
    return serializers.DateField(required=False, allow_null=True, default=None)


ComplaintTriageApi = _transition(
    "Triage",
    services.complaint_triage,
    has_jurisdiction=serializers.BooleanField(),
    note=serializers.CharField(required=False, allow_blank=True, default=""),
)
ComplaintAssignApi = _transition(
    "Assign",
    services.complaint_assign,
    investigator=serializers.PrimaryKeyRelatedField(queryset=User.objects.all()),
    note=serializers.CharField(required=False, allow_blank=True, default=""),
)
ComplaintStartApi = _transition("Start", services.complaint_start_investigation)
ComplaintReferApi = _transition("Refer", services.complaint_refer, note=serializers.CharField())
ComplaintCloseApi = _transition(
    "Close",
    services.complaint_close,
    outcome=serializers.ChoiceField(choices=[(o.value, o.label) for o in CLOSING_OUTCOMES]),
    summary=serializers.CharField(),
    effective_from=_optional_date(),
    effective_until=_optional_date(),
)
ComplaintNoticeApi = _transition("Notice", services.complaint_issue_notice)
ComplaintLiftApi = _transition(
    "Lift", services.complaint_lift_outcome, reason=serializers.CharField()
)
ComplaintNoteApi = _transition("Note", services.note_add, body=serializers.CharField())
