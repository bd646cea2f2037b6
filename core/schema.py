"""OpenAPI schema generation (drf-spectacular) adapted to the project's API style.

API views nest their ``InputSerializer``/``OutputSerializer`` (STYLE.md); spectacular would name
every one of them "Input"/"Output" and collide. Nested serializers are named after the view that
holds them instead: ``NewsListApi.OutputSerializer`` becomes the component ``NewsListOutput``.
"""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    def get_serializer_name(self, serializer, direction):
        name = super().get_serializer_name(serializer, direction)
        serializer_class = serializer if isinstance(serializer, type) else type(serializer)
        outer = serializer_class.__qualname__.split(".")[:-1]
        if outer:
            prefix = outer[-1].removesuffix("Api").removesuffix("View").removesuffix("ViewSet")
            return prefix + name
        return name


def enum_name_overrides() -> dict[str, list]:
    """A stable component name for every choice set of the project's models.

    Many models have a ``status`` or ``kind`` with different choices; spectacular would name them
    by hash (``StatusAa9Enum``) and warn. Each distinct choice set is named after the first model
    field that uses it (``RenewalApplicationStatusEnum``), so the schema reads well and stays stable.
    """
    overrides: dict[str, list] = {}
    seen: set[tuple] = set()
    for app_config in apps.get_app_configs():
        if Path(app_config.path).parent != Path(settings.BASE_DIR):  # the project's own apps
            continue
        for model in app_config.get_models():
            if model.__name__.startswith("Historical"):
                continue
            for field in model._meta.concrete_fields:
                if not field.choices:
                    continue
                choices = [(value, str(label)) for value, label in field.flatchoices]
                key = tuple(value for value, _ in choices)
                if key in seen:
                    continue
                seen.add(key)
                camel = "".join(part.title() for part in field.name.split("_"))
                overrides[f"{model.__name__}{camel}Enum"] = choices
    return overrides
