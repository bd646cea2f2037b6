"""Every page shows the site alerts and the office's contact details from the cache
(information.selectors); a change staff make drops them once it is committed."""

from django.db import transaction

from . import selectors


def forget_notices_on_commit(sender, **kwargs) -> None:
    transaction.on_commit(selectors.forget_cached_notices)
