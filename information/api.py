"""Public read-only API: the hospital directories, award recipients and publications."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny

from . import selectors
from .models import (
    Nomination,
    Publication,
    StrokeCertification,
    StrokeLevel,
    TraumaDesignation,
    TraumaLevel,
)

_DIRECTORY_PARAMETERS = [
    OpenApiParameter("town", str, description="Town or city, case-insensitive."),
]


class HospitalSerializer(serializers.Serializer):
    name = serializers.CharField()
    town = serializers.CharField()
    address = serializers.CharField()


def _level_parameter(choices):
    return OpenApiParameter("level", str, enum=[value for value, _ in choices])


class StrokeCenterListApi(generics.ListAPIView):
    """Hospitals certified today as stroke centers (an expired attestation is not listed)."""

    permission_classes = [AllowAny]
    filter_backends = []

    class OutputSerializer(serializers.ModelSerializer):
        hospital = HospitalSerializer()
        level_display = serializers.CharField(source="get_level_display")
        certifying_organization_display = serializers.CharField(
            source="get_certifying_organization_display"
        )

        class Meta:
            model = StrokeCertification
            fields = [
                "hospital",
                "level",
                "level_display",
                "certifying_organization",
                "certifying_organization_display",
                "certified_from",
                "attestation_expires",
            ]

    serializer_class = OutputSerializer

    @extend_schema(parameters=[_level_parameter(StrokeLevel.choices), *_DIRECTORY_PARAMETERS])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.stroke_centers(
            level=self.request.query_params.get("level", ""),
            town=self.request.query_params.get("town", ""),
        )


class TraumaCenterListApi(generics.ListAPIView):
    """Hospitals designated today as trauma centers."""

    permission_classes = [AllowAny]
    filter_backends = []

    class OutputSerializer(serializers.ModelSerializer):
        hospital = HospitalSerializer()
        level_display = serializers.CharField(source="get_level_display")

        class Meta:
            model = TraumaDesignation
            fields = [
                "hospital",
                "level",
                "level_display",
                "verification_body",
                "designated_from",
                "designated_until",
            ]

    serializer_class = OutputSerializer

    @extend_schema(parameters=[_level_parameter(TraumaLevel.choices), *_DIRECTORY_PARAMETERS])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.trauma_centers(
            level=self.request.query_params.get("level", ""),
            town=self.request.query_params.get("town", ""),
        )


class AwardRecipientListApi(generics.ListAPIView):
    """EMS Council award recipients, newest year first."""

    permission_classes = [AllowAny]
    filter_backends = []

    class OutputSerializer(serializers.ModelSerializer):
        year = serializers.IntegerField(source="period.year")
        category = serializers.CharField(source="category.name")

        class Meta:
            model = Nomination
            fields = ["year", "category", "nominee_name", "nominee_affiliation", "citation"]

    serializer_class = OutputSerializer

    def get_queryset(self):
        return selectors.award_recipients()


class PublicationFileSerializer(serializers.Serializer):
    title = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, document) -> str:
        request = self.context.get("request")
        path = document.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class PublicationListApi(generics.ListAPIView):
    """Published reports and notices, newest first, with links to their PDFs."""

    permission_classes = [AllowAny]
    filter_backends = []

    class OutputSerializer(serializers.ModelSerializer):
        kind_display = serializers.CharField(source="get_kind_display")
        files = PublicationFileSerializer(many=True)

        class Meta:
            model = Publication
            fields = [
                "title",
                "slug",
                "kind",
                "kind_display",
                "summary",
                "body",
                "published_at",
                "files",
            ]

    serializer_class = OutputSerializer

    def get_queryset(self):
        return selectors.publications().prefetch_related("files")
