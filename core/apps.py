from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site and news"

    def ready(self):
        from drf_spectacular.settings import spectacular_settings

        from . import lookups
        from .schema import enum_name_overrides

        lookups.register()

        spectacular_settings.ENUM_NAME_OVERRIDES = {
            **enum_name_overrides(),
            **spectacular_settings.ENUM_NAME_OVERRIDES,
        }
