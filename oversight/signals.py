"""The changes that move a snapshotted dashboard figure ask for a refresh (oversight.snapshot).
Connected in ``OversightConfig.ready``: the dashboard listens to the providers app, which never
imports it."""

from django.db.models.signals import post_delete, post_save

from providers.models import Certification, RenewalApplication

from . import snapshot

WATCHED = (Certification, RenewalApplication)


def figures_moved(sender, **kwargs) -> None:
    snapshot.request_refresh()


def connect() -> None:
    for model in WATCHED:
        for signal in (post_save, post_delete):
            signal.connect(figures_moved, sender=model, dispatch_uid=f"oversight-{model.__name__}")
