from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Site and news"

    def ready(self):
        # Imported once the app registry is ready: the schema reads every model's choices.
        from drf_spectacular.settings import spectacular_settings

        from .schema import enum_name_overrides

        # drf-spectacular's settings object answers its keys dynamically (no declared attribute).
        spectacular_settings.ENUM_NAME_OVERRIDES = {  # type: ignore[attr-defined]
            **enum_name_overrides(),
            **spectacular_settings.ENUM_NAME_OVERRIDES,
        }
