"""Rates API: the public allowable rates per year, and an organization's own filings (for
its administrators, by token or session)."""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import AllowAny, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from organizations.selectors import user_administers

from . import selectors
from .models import RateFiling, RateYear


class AdministersFilingOrganization(BasePermission):
    """Only the administrators of the filing's organization."""

    message = "Only the organization's administrators can see its filings."

    def has_object_permission(self, request, view, obj):
        return user_administers(user=request.user, organization=obj.organization)


class AllowableYearListApi(generics.ListAPIView):
    """Years with published allowable rates."""

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.ModelSerializer):
        cpi_factor = serializers.DecimalField(max_digits=6, decimal_places=4)
        organizations = serializers.IntegerField(source="schedule_count")

        class Meta:
            model = RateYear
            fields = ["year", "cpi_factor", "organizations"]
            ref_name = "AllowableRateYear"

    serializer_class = OutputSerializer

    def get_queryset(self):
        return selectors.allowable_years()


class AllowableCategorySerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()

    class Meta:
        ref_name = "RateCategory"


class AllowableRateSerializer(serializers.Serializer):
    category = serializers.CharField(help_text="Category code")
    amount = serializers.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ref_name = "AllowableRate"


class AllowableScheduleSerializer(serializers.Serializer):
    organization = serializers.CharField()
    number = serializers.CharField()
    kind = serializers.CharField(help_text="charging or non_charging")
    rates = serializers.ListField(child=AllowableRateSerializer())

    class Meta:
        ref_name = "AllowableSchedule"


class AllowableRatesApi(APIView):
    """The allowable rates of one year: every approved schedule, by organization."""

    permission_classes = [AllowAny]

    class OutputSerializer(serializers.Serializer):
        year = serializers.IntegerField()
        cpi_factor = serializers.DecimalField(max_digits=6, decimal_places=4)
        categories = serializers.ListField(child=AllowableCategorySerializer())
        schedules = serializers.ListField(child=AllowableScheduleSerializer())

        class Meta:
            ref_name = "AllowableRates"

    @extend_schema(responses=OutputSerializer)
    def get(self, request, year):
        rate_year = get_object_or_404(RateYear, year=year)
        allowable = selectors.allowable_rates(rate_year=rate_year)
        if not allowable.rows:
            raise Http404("No allowable rates are published for that year.")
        codes = {category.pk: category.code for category in allowable.categories}
        data = {
            "year": rate_year.year,
            "cpi_factor": rate_year.cpi_factor,
            "categories": [
                {"code": c.code, "name": c.name, "unit": c.unit} for c in allowable.categories
            ],
            "schedules": [
                {
                    "organization": schedule.organization.legal_name,
                    "number": schedule.organization.number,
                    "kind": schedule.kind,
                    "rates": [
                        {"category": codes[category_id], "amount": amount}
                        for category_id, amount in amounts.items()
                    ],
                }
                for schedule, amounts in allowable.rows
            ],
        }
        return Response(self.OutputSerializer(data).data)


class FilingLineSerializer(serializers.Serializer):
    class Meta:
        ref_name = "RateFilingLine"

    category = serializers.CharField(source="category.code")
    prior_amount = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    cap = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    requested_amount = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)
    approved_amount = serializers.DecimalField(max_digits=10, decimal_places=2, allow_null=True)


class FilingSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.number")
    year = serializers.IntegerField(source="year.year")
    # Plain strings, not enums: "status" and "form" would collide with other apps' enums.
    form = serializers.CharField(help_text="short, long or non_charging")
    status = serializers.CharField()
    decision = serializers.CharField()
    lines = FilingLineSerializer(many=True)

    class Meta:
        model = RateFiling
        ref_name = "RateFiling"
        fields = [
            "id", "organization", "year", "form", "status", "decision", "decision_note",
            "information_request", "submitted_at", "decided_at", "lines",
        ]  # fmt: skip


class MyFilingListApi(generics.ListAPIView):
    """The filings of the organizations the caller administers."""

    permission_classes = [IsAuthenticated]
    serializer_class = FilingSerializer

    def get_queryset(self):
        return selectors.filings_visible_to(user=self.request.user)


class FilingDetailApi(generics.RetrieveAPIView):
    permission_classes = [IsAuthenticated, AdministersFilingOrganization]
    serializer_class = FilingSerializer

    def get_object(self):
        filing = selectors.filing_with_detail(pk=self.kwargs["pk"])
        if filing is None:
            raise Http404
        self.check_object_permissions(self.request, filing)
        return filing
