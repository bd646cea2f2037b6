"""Shared bases of the apps' DRF views (``<app>/api.py``)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.permissions import IsAuthenticated


class FilteredListApi(generics.ListAPIView):
    """A list narrowed by query parameters. The view nests a ``FilterSerializer`` (a bad value is
    a 400 naming the parameter) and defines ``filtered(data)``: the rows for the valid values.
    The schema lists the filter's fields as the GET parameters, unless the view writes its own
    ``get``."""

    FilterSerializer: type[serializers.Serializer]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "get" not in cls.__dict__ and hasattr(cls, "FilterSerializer"):

            def get(self, request, *args, **kwargs):
                return generics.ListAPIView.get(self, request, *args, **kwargs)

            cls.get = extend_schema(parameters=[cls.FilterSerializer])(get)  # type: ignore[method-assign]

    def filtered(self, data: dict[str, Any]) -> Any:
        raise NotImplementedError

    def get_queryset(self) -> Any:
        filters = self.FilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return self.filtered(filters.validated_data)


class SignedInListApi(generics.ListAPIView):
    """A list of what the signed-in user may see (their own rows, their organization's):
    ``rows()`` reads it with ``self.request.user`` and ``self.kwargs``. The schema generator, who
    is nobody, gets an empty list of the (model) serializer's model."""

    permission_classes = [IsAuthenticated]

    def rows(self) -> Any:
        raise NotImplementedError

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            model: type[Model] = self.get_serializer_class().Meta.model  # type: ignore[attr-defined]
            return model._default_manager.none()
        return self.rows()
