"""OpenAPI schema generation (drf-spectacular) adapted to the project's API style.

API views nest their ``InputSerializer``/``OutputSerializer`` (STYLE.md); spectacular would name
every one of them "Input"/"Output" and collide. Nested serializers are named after the view that
holds them instead: ``NewsListApi.OutputSerializer`` becomes the component ``NewsListOutput``.
"""

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
