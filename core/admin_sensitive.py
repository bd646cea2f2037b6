"""Sensitive fields stay out of reach in the admin: one mixin for every admin of a model that
holds them.

- Secrets and hashes (``ssn_hmac``, password hashes, PIN hashes, token digests) and any field the
  admin excludes can never be filtered on through URL parameters. Django allows a filter on any
  of a model's own fields by default (``?ssn_hmac__startswith=a``), which turns a hidden hash
  into an oracle one character at a time; such a request answers 400 here.
- Identity fields (date of birth, SSN last four) are shown, filtered and sorted on only for the
  roles whose work is matching identities (``accounts.roles.may_see_identity``); for everyone
  else they vanish from the list, the form and the filters.
"""

from django.contrib import admin
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest

from accounts.roles import may_see_identity

NEVER_FILTERED = frozenset({"ssn_hmac", "password", "pin_hash", "digest", "password_stamp"})
IDENTITY_FIELDS = frozenset({"date_of_birth", "ssn_last4"})


def _without(names, hidden):
    """``names`` (a list of field names, some of them tuples shown on one line) minus
    ``hidden``."""
    kept = []
    for name in names:
        if isinstance(name, (list, tuple)):
            group = [part for part in name if part not in hidden]
            if group:
                kept.append(tuple(group))
        elif name not in hidden:
            kept.append(name)
    return kept


class SensitiveFieldsAdminMixin(admin.ModelAdmin):
    """Mixed in ahead of the admin's other bases (it calls super() for each hook)."""

    def _hidden_fields(self, request) -> set[str]:
        # asked several times per page: one query per request
        if not hasattr(request, "_may_see_identity"):
            request._may_see_identity = may_see_identity(request.user)
        return set() if request._may_see_identity else set(IDENTITY_FIELDS)

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        refused = NEVER_FILTERED | set(self.exclude or ())
        if request is not None:
            refused |= self._hidden_fields(request)
        if refused & set(lookup.split(LOOKUP_SEP)):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_list_display(self, request):
        return _without(super().get_list_display(request), self._hidden_fields(request))

    def get_list_filter(self, request):
        return _without(super().get_list_filter(request), self._hidden_fields(request))

    def get_exclude(self, request, obj=None):
        hidden = self._hidden_fields(request)
        return [*(super().get_exclude(request, obj) or ()), *sorted(hidden)] or None

    def get_readonly_fields(self, request, obj=None):
        return _without(super().get_readonly_fields(request, obj), self._hidden_fields(request))

    def get_fields(self, request, obj=None):
        return _without(super().get_fields(request, obj), self._hidden_fields(request))

    def get_fieldsets(self, request, obj=None):
        hidden = self._hidden_fields(request)
        return [
            (name, {**options, "fields": _without(options.get("fields", ()), hidden)})
            for name, options in super().get_fieldsets(request, obj)
        ]
