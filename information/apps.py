from django.apps import AppConfig


class InformationConfig(AppConfig):
    name = "information"
    verbose_name = "Help, news, hospitals, awards and reports"

    def ready(self):
        # Here, not at import: the models must be loaded before the receivers are connected.
        from django.db.models.signals import post_delete, post_save

        from core.lean import vary_frame_by

        from .models import ContactDetails, SiteAlert
        from .selectors import frame_version
        from .signals import forget_notices

        vary_frame_by(frame_version)  # the lean /verify/ page shows today's alerts too

        for model in (ContactDetails, SiteAlert):
            post_save.connect(forget_notices, sender=model, dispatch_uid=f"{model}-save")
            post_delete.connect(forget_notices, sender=model, dispatch_uid=f"{model}-delete")
