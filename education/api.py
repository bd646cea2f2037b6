"""API of the education app: the public course catalogue. Thin: a selector underneath."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers

from core.api_views import FilteredListApi
from providers.models import CEDelivery

from . import selectors


class CourseCatalogueApi(FilteredListApi):
    """Public: approved courses with their state (T3) approval numbers."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []

    class CourseOutputSerializer(serializers.Serializer):
        approval_number = serializers.CharField()
        title = serializers.CharField()
        topic = serializers.CharField()
        institution = serializers.CharField(source="institution_name")
        delivery = serializers.CharField()
        hours = serializers.DecimalField(max_digits=6, decimal_places=2)
        component = serializers.CharField()
        starts_on = serializers.DateField()
        ends_on = serializers.DateField()
        instructors = serializers.SerializerMethodField()

        def get_instructors(self, course) -> list[str]:
            return [credential.provider.full_name for credential in course.instructors.all()]

    class FilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, allow_blank=True, max_length=100)
        on = serializers.DateField(required=False)
        delivery = serializers.ChoiceField(
            choices=CEDelivery.choices, required=False, allow_blank=True
        )

    serializer_class = CourseOutputSerializer

    @extend_schema(
        operation_id="course_catalogue",
        parameters=[
            OpenApiParameter("q", str, description="Topic, title or approval number."),
            OpenApiParameter("on", str, description="Courses running on this date (YYYY-MM-DD)."),
            OpenApiParameter("delivery", str, enum=list(CEDelivery.values)),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def filtered(self, data):
        return selectors.course_catalogue(
            query=data.get("q", "").strip(), on=data.get("on"), delivery=data.get("delivery", "")
        )
