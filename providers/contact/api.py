"""API of the signed-in provider's own contact details (GET, PATCH): the same form rules and
the same service as the page. There is no id in the URL: a person reaches only their own
record."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import DomainError

from .. import selectors as provider_selectors
from ..models import Provider
from . import selectors, services
from .forms import ContactForm


class ContactSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="full_name", read_only=True)
    name_change_pending = serializers.SerializerMethodField(
        help_text="The name asked for in a request waiting for review, if any."
    )

    class Meta:
        model = Provider
        fields = ["name", *selectors.CONTACT_FIELDS, "name_change_pending"]

    def get_name_change_pending(self, provider) -> str | None:
        pending = selectors.name_change_pending(provider)
        return pending.requested_name if pending else None


class MyContactApi(APIView):
    """The signed-in provider's contact details; an account with no linked record gets 404.
    PATCH sends only the fields that change; the result is checked whole, as on the page."""

    def _provider(self, request) -> Provider:
        provider = provider_selectors.provider_of(request.user)
        if provider is None:
            raise Http404("No certification is linked to this account.")
        return provider

    @extend_schema(responses=ContactSerializer, operation_id="my_contact_details")
    def get(self, request):
        return Response(ContactSerializer(self._provider(request)).data)

    @extend_schema(
        request=ContactSerializer(partial=True),
        responses=ContactSerializer,
        operation_id="my_contact_details_update",
    )
    def patch(self, request):
        provider = self._provider(request)
        current = {name: getattr(provider, name) for name in selectors.CONTACT_FIELDS}
        sent = {
            name: request.data[name] for name in selectors.CONTACT_FIELDS if name in request.data
        }
        form = ContactForm(data={**current, **sent})
        if not form.is_valid():
            raise serializers.ValidationError(
                {field: list(messages) for field, messages in form.errors.items()}
            )
        try:
            provider = services.provider_contact_update(
                provider=provider, actor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            raise serializers.ValidationError({error.field or "detail": [error.message]}) from error
        return Response(ContactSerializer(provider).data)
