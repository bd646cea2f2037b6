"""The verify cache's one home: its key, its lifetime, and what drops an entry.

``selectors.verify_one`` caches a certification's public row per number. Any save or delete of
a Certification, or of a Provider (the name shows), drops the entries of the numbers
concerned at once and again when the transaction commits, so the next look-up reads the new
row. Every write to these tables goes through ``save()`` (services, admin, the registry
import); the state-scale generator's COPY inserts only add numbers nobody has looked up yet.
"""

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .models import Certification, Provider

# Bounds only a write racing a read (the read caching the old row just after the write's
# invalidation): never longer than this.
VERIFY_CACHE_SECONDS = 15 * 60


def verify_cache_key(number: str) -> str:
    return f"providers:verify:v2:{number}"


def forget_certifications(numbers) -> None:
    keys = [verify_cache_key(number) for number in numbers if number]
    if keys:
        cache.delete_many(keys)


def _forget_now_and_on_commit(numbers) -> None:
    # Now, so this transaction's own later reads miss the cache; again once it commits, in case
    # another request cached the row as it was before the commit meanwhile.
    forget_certifications(numbers)
    transaction.on_commit(lambda: forget_certifications(numbers))


def _certification_changed(sender, instance, **kwargs):
    _forget_now_and_on_commit([instance.number])


PUBLIC_PROVIDER_FIELDS = {"first_name", "middle_name", "last_name"}


def _provider_changed(sender, instance, created=False, update_fields=None, **kwargs):
    if created or instance.pk is None:
        return  # a new provider has no certification anyone could have looked up
    if update_fields is not None and not PUBLIC_PROVIDER_FIELDS & set(update_fields):
        return  # e.g. linking an account: nothing verify shows
    _forget_now_and_on_commit(list(instance.certifications.values_list("number", flat=True)))


def connect() -> None:
    for signal in (post_save, post_delete):
        signal.connect(
            _certification_changed, sender=Certification, dispatch_uid=f"verify-cert-{signal}"
        )
        signal.connect(_provider_changed, sender=Provider, dispatch_uid=f"verify-provider-{signal}")
