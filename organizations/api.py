"""Organizations API: the public directory and PSAs (read-only), and an organization's own
data for its administrator (token or session). Thin: selectors read, services write."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api_views import FilteredListApi
from core.errors import DomainError
from providers.selectors import provider_of

from . import selectors, services
from .models import (
    Affiliation,
    Organization,
    OrganizationPerson,
    PrimaryServiceArea,
    PsaType,
    Town,
)


class PsaSerializer(serializers.ModelSerializer):
    town = serializers.CharField(source="town.name")
    county = serializers.CharField(source="town.get_county_display")

    class Meta:
        model = PrimaryServiceArea
        fields = ["town", "county", "psa_type", "effective_from", "effective_until"]


class DirectoryOrganizationSerializer(serializers.ModelSerializer):
    levels_of_service = serializers.ListField(child=serializers.CharField())
    primary_service_areas = PsaSerializer(source="current_psas", many=True)

    class Meta:
        model = Organization
        fields = [
            "number",
            "legal_name",
            "doing_business_as",
            "kind",
            "ownership",
            "credential_type",
            "highest_level",
            "levels_of_service",
            "city",
            "phone",
            "primary_service_areas",
        ]


class OrganizationDirectoryApi(generics.ListAPIView):
    """Active EMS organizations with their services and current Primary Service Areas."""

    permission_classes = [AllowAny]
    serializer_class = DirectoryOrganizationSerializer

    def get_queryset(self):
        return selectors.organization_directory()


class OrganizationDirectoryDetailApi(generics.RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = DirectoryOrganizationSerializer
    lookup_field = "number"

    def get_queryset(self):
        return selectors.organization_directory()


class PsaListApi(FilteredListApi):
    """Primary Service Area holders on a date (``on``, default today), by town and type."""

    permission_classes = [AllowAny]

    class FilterSerializer(serializers.Serializer):
        on = serializers.DateField(required=False)
        town = serializers.CharField(required=False)
        psa_type = serializers.ChoiceField(choices=PsaType.choices, required=False)

    class PsaHolderSerializer(PsaSerializer):
        organization_number = serializers.CharField(source="organization.number")
        organization_name = serializers.CharField(source="organization.legal_name")

        class Meta(PsaSerializer.Meta):
            fields = [*PsaSerializer.Meta.fields, "organization_number", "organization_name"]

    serializer_class = PsaHolderSerializer

    def filtered(self, data):
        town = None
        if data.get("town"):
            town = Town.objects.filter(name__iexact=data["town"]).first()
            if town is None:
                raise serializers.ValidationError(
                    {"town": f"There is no Connecticut town named “{data['town']}”."}
                )
        return selectors.psa_list(
            on=data.get("on") or timezone.localdate(), town=town, psa_type=data.get("psa_type", "")
        )


class PersonSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrganizationPerson
        fields = ["role", "full_name", "title", "email", "phone", "since"]


class MyOrganizationSerializer(DirectoryOrganizationSerializer):
    people = PersonSerializer(source="current_people", many=True)

    class Meta(DirectoryOrganizationSerializer.Meta):
        fields = [
            *DirectoryOrganizationSerializer.Meta.fields,
            "id",
            "status",
            "email",
            "street",
            "postal_code",
            "mailing_address",
            "renewal_due_on",
            "people",
        ]


class MyOrganizationListApi(generics.ListAPIView):
    """The organizations the signed-in person administers."""

    permission_classes = [IsAuthenticated]
    serializer_class = MyOrganizationSerializer

    def get_queryset(self):
        return selectors.organizations_administered_by_with_details(user=self.request.user)


class MyOrganizationDetailApi(APIView):
    """One organization the person administers; another's answers 404. PATCH edits the
    contact details an administrator may change."""

    permission_classes = [IsAuthenticated]

    class MyOrganizationInputSerializer(serializers.Serializer):
        doing_business_as = serializers.CharField(required=False, allow_blank=True, max_length=200)
        email = serializers.EmailField(required=False)
        phone = serializers.CharField(required=False, allow_blank=True, max_length=30)
        street = serializers.CharField(required=False, allow_blank=True, max_length=200)
        city = serializers.CharField(required=False, allow_blank=True, max_length=100)
        postal_code = serializers.CharField(required=False, allow_blank=True, max_length=10)
        mailing_address = serializers.CharField(required=False, allow_blank=True)

    def _get(self, request, pk) -> Organization:
        organization = Organization.objects.filter(pk=pk).first()
        if organization is None or not selectors.user_administers(
            user=request.user, organization=organization
        ):
            raise Http404
        return organization

    @extend_schema(responses=MyOrganizationSerializer)
    def get(self, request, pk):
        organization = self._get(request, pk)
        return Response(
            MyOrganizationSerializer(selectors.organization_detail(pk=organization.pk)).data
        )

    @extend_schema(request=MyOrganizationInputSerializer, responses=MyOrganizationSerializer)
    def patch(self, request, pk):
        organization = self._get(request, pk)
        serializer = self.MyOrganizationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.organization_update_contact(
                organization=organization, actor=request.user, **serializer.validated_data
            )
        except DomainError as error:
            raise serializers.ValidationError({error.field or "detail": error.message}) from error
        return Response(
            MyOrganizationSerializer(selectors.organization_detail(pk=organization.pk)).data
        )


# --- Affiliations ------------------------------------------------------------------------------


class MyOrganizationRosterApi(APIView):
    """The roster of an organization the person administers: approved affiliations, one row per
    certification. Another organization's roster answers 404."""

    permission_classes = [IsAuthenticated]

    class RosterOutputSerializer(serializers.Serializer):
        affiliation_id = serializers.IntegerField()
        affiliated_since = serializers.DateField(allow_null=True)
        provider_name = serializers.CharField()
        level = serializers.CharField()
        level_label = serializers.CharField()
        number = serializers.CharField()
        status = serializers.CharField()
        status_label = serializers.CharField()
        expires_on = serializers.DateField(allow_null=True)

    @extend_schema(responses=RosterOutputSerializer(many=True))
    def get(self, request, pk):
        organization = Organization.objects.filter(pk=pk).first()
        if organization is None or not selectors.user_administers(
            user=request.user, organization=organization
        ):
            raise Http404
        rows = selectors.organization_roster(organization=organization)
        return Response(self.RosterOutputSerializer(rows, many=True).data)


class MyAffiliationListApi(generics.ListAPIView):
    """The signed-in provider's own affiliations (any status)."""

    permission_classes = [IsAuthenticated]

    class AffiliationOutputSerializer(serializers.ModelSerializer):
        organization_number = serializers.CharField(source="organization.number")
        organization_name = serializers.CharField(source="organization.legal_name")

        class Meta:
            model = Affiliation
            fields = [
                "id",
                "organization_number",
                "organization_name",
                "status",
                "note",
                "requested_at",
                "decided_at",
                "decision_note",
                "ended_at",
            ]

    serializer_class = AffiliationOutputSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Affiliation.objects.none()

        return selectors.affiliations_of_provider(provider=provider_of(self.request.user))
