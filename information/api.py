"""Public read-only API: the hospital directories, award recipients and publications."""

from collections.abc import Callable

from django.db.models import QuerySet
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


# Open to anyone, with no query filter but a view's own.
class _PublicListApi(generics.ListAPIView):
    permission_classes = [AllowAny]
    filter_backends = []


# A hospital directory (stroke or trauma centers): each entry is a hospital at a level, listed
# by ``centers``, the directory's selector, narrowed by the ``level`` and ``town`` parameters.
class _DirectoryApi(_PublicListApi):
    centers: Callable[..., QuerySet]  # set with staticmethod()

    class EntrySerializer(serializers.ModelSerializer):
        hospital = HospitalSerializer()
        level_display = serializers.CharField(source="get_level_display")

        class Meta:
            fields = ["hospital", "level", "level_display"]

    def get_queryset(self):
        parameters = self.request.query_params
        return self.centers(level=parameters.get("level", ""), town=parameters.get("town", ""))


@extend_schema(parameters=[_level_parameter(StrokeLevel.choices), *_DIRECTORY_PARAMETERS])
class StrokeCenterListApi(_DirectoryApi):
    """Hospitals certified today as stroke centers (an expired attestation is not listed)."""

    class OutputSerializer(_DirectoryApi.EntrySerializer):
        certifying_organization_display = serializers.CharField(
            source="get_certifying_organization_display"
        )

        class Meta:
            model = StrokeCertification
            fields = [
                *_DirectoryApi.EntrySerializer.Meta.fields,
                "certifying_organization",
                "certifying_organization_display",
                "certified_from",
                "attestation_expires",
            ]

    serializer_class = OutputSerializer
    centers = staticmethod(selectors.stroke_centers)


@extend_schema(parameters=[_level_parameter(TraumaLevel.choices), *_DIRECTORY_PARAMETERS])
class TraumaCenterListApi(_DirectoryApi):
    """Hospitals designated today as trauma centers."""

    class OutputSerializer(_DirectoryApi.EntrySerializer):
        class Meta:
            model = TraumaDesignation
            fields = [
                *_DirectoryApi.EntrySerializer.Meta.fields,
                "verification_body",
                "designated_from",
                "designated_until",
            ]

    serializer_class = OutputSerializer
    centers = staticmethod(selectors.trauma_centers)


class AwardRecipientListApi(_PublicListApi):
    """EMS Council award recipients, newest year first."""

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


class PublicationListApi(_PublicListApi):
    """Published reports and notices, newest first, with links to their PDFs."""

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
