"""API of the signed-in provider's own contact details (GET, PATCH): the same service as the
page. There is no id in the URL: a person reaches only their own record."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import DomainError

from .. import selectors as provider_selectors
from . import selectors, services


class ContactOutputSerializer(serializers.Serializer):
    name = serializers.CharField(source="full_name")
    email = serializers.EmailField(help_text="Where reminders and notices go.")
    phone = serializers.CharField()
    address_line1 = serializers.CharField()
    address_line2 = serializers.CharField()
    city = serializers.CharField()
    state = serializers.CharField()
    postal_code = serializers.CharField()
    name_change_pending = serializers.SerializerMethodField()

    def get_name_change_pending(self, provider) -> str | None:
        pending = selectors.name_change_pending(provider)
        return pending.requested_name if pending else None


class MyContactApi(APIView):
    """The signed-in provider's contact details; an account with no linked record gets 404."""

    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField(required=False)
        phone = serializers.CharField(max_length=30, required=False, allow_blank=True)
        address_line1 = serializers.CharField(max_length=200, required=False)
        address_line2 = serializers.CharField(max_length=200, required=False, allow_blank=True)
        city = serializers.CharField(max_length=100, required=False)
        state = serializers.CharField(max_length=2, min_length=2, required=False)
        postal_code = serializers.RegexField(r"^\d{5}(-\d{4})?$", required=False)

    def _provider(self, request):
        provider = provider_selectors.provider_of(request.user)
        if provider is None:
            raise Http404("No certification is linked to this account.")
        return provider

    @extend_schema(responses=ContactOutputSerializer, operation_id="my_contact_details")
    def get(self, request):
        return Response(ContactOutputSerializer(self._provider(request)).data)

    @extend_schema(
        request=InputSerializer,
        responses=ContactOutputSerializer,
        operation_id="my_contact_details_update",
    )
    def patch(self, request):
        provider = self._provider(request)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            provider = services.provider_contact_update(
                provider=provider, actor=request.user, **serializer.validated_data
            )
        except DomainError as error:
            raise serializers.ValidationError({error.field or "detail": [error.message]}) from error
        return Response(ContactOutputSerializer(provider).data)
