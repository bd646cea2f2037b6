from django.apps import AppConfig


class NemsisConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "nemsis"
    verbose_name = "NEMSIS (national EMS data standard)"
