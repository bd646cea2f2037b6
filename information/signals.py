"""Every page shows the site alerts and the office's contact details from the cache
(information.selectors); a change staff make drops them at once and again once it is committed
(a page served between the two may have cached the old rows)."""

from django.db import transaction

from . import selectors


def forget_notices(sender, **kwargs) -> None:
    selectors.forget_cached_notices()
    transaction.on_commit(selectors.forget_cached_notices)
