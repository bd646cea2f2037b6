"""The admin's action toolkit: every admin action that changes state calls one service per
selected row, through the pieces here.

- ``run_for_each``: call the service for each row; a row the service refuses (``DomainError``)
  is reported with its reason and the others go on; the count that changed is reported once.
- ``service_action``: an action that needs nothing more than the rows.
- ``form_action`` / ``action_with_form``: an action that first asks for a reason, an outcome or
  dates on a page of its own (``templates/admin/action_form.html``), then calls the service with
  what was typed.
- ``RowActions``: the two above for one admin's rows, with what its actions share said once.
- ``ReviewActions``: start review / return / approve / deny for the reviewed applications
  (renewal, initial, reinstatement), each kind naming its four services.

Each app's admin says only which service to call, with which form, and how to word the message.
"""

from collections.abc import Callable, Mapping, Sequence
from operator import attrgetter
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html

from .errors import DomainError

ACTION_FORM_TEMPLATE = "admin/action_form.html"


def admin_page(
    modeladmin: admin.ModelAdmin, request: HttpRequest, template: str, **context: Any
) -> TemplateResponse:
    """A page of the admin's own (an action's form, an upload): the site's context, the model's
    ``opts`` and what the page shows."""
    return TemplateResponse(
        request,
        template,
        {**modeladmin.admin_site.each_context(request), "opts": modeladmin.model._meta, **context},
    )


def admin_url(modeladmin: admin.ModelAdmin, route: str, view: Callable[..., Any], name: str):
    """One more URL of a ModelAdmin (``get_urls``), behind the admin's login and permissions."""
    return path(route, modeladmin.admin_site.admin_view(view), name=name)


def run_for_each(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet | Sequence[Model],
    call: Callable[[Any], object],
    *,
    message: str,
    label: Callable[[Any], str] = str,
    error_level: int = messages.ERROR,
) -> int:
    """``call(obj)`` for each selected row; returns how many succeeded.

    ``message`` is the success message with ``{count}`` where the number goes
    ("Approved: {count}."); ``label(obj)`` names a refused row in front of its reason."""
    succeeded = 0
    for obj in queryset:
        try:
            call(obj)
        except DomainError as error:
            modeladmin.message_user(request, f"{label(obj)}: {error.message}", error_level)
        else:
            succeeded += 1
    if succeeded:
        modeladmin.message_user(request, message.format(count=succeeded), messages.SUCCESS)
    return succeeded


def action_with_form(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet,
    *,
    form_class: Callable[..., forms.Form],
    title: str,
    call: Callable[[Any, dict[str, Any]], object],
    message: str,
    describe: Callable[[Any], str] = str,
    extra_context: dict[str, Any] | None = None,
) -> TemplateResponse | None:
    """Ask for ``form_class`` on an intermediate page; once it is valid, ``call(obj, data)`` for
    each selected row (``data`` is the form's ``cleaned_data``) and go back to the list.

    ``describe(obj)`` is how each selected row is listed on the page."""
    if "apply" in request.POST:
        form = form_class(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            run_for_each(
                modeladmin, request, queryset, lambda obj: call(obj, data), message=message
            )
            return None
    else:
        form = form_class()
    return admin_page(
        modeladmin,
        request,
        ACTION_FORM_TEMPLATE,
        **(extra_context or {}),
        title=title,
        form=form,
        rows=[(obj.pk, describe(obj)) for obj in queryset],
        action=request.POST.get("action", ""),
        action_checkbox_name=helpers.ACTION_CHECKBOX_NAME,
    )


def _keywords(
    obj,
    actor,
    *,
    row: str,
    fixed: Mapping[str, Any] | None,
    data: Mapping[str, Any] | None = None,
    fields: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The keyword arguments of one service call: the row, the actor, the fixed arguments and
    what was typed (``fields`` maps a form field to the service's argument and leaves out any
    field it does not name)."""
    typed = dict(data or {})
    if fields is not None:
        typed = {argument: typed[field] for field, argument in fields.items()}
    return {row: obj, "actor": actor, **(fixed or {}), **typed}


def service_action(
    description: str,
    service: Callable[..., object],
    *,
    row: str,
    message: str,
    fixed: Mapping[str, Any] | None = None,
    permissions: Sequence[str] = ("change",),
    label: Callable[[Any], str] = str,
    error_level: int = messages.ERROR,
):
    """An admin action calling ``service(<row>=obj, actor=<the signed-in staff member>,
    **fixed)`` for each selected row. Assign it in the ``ModelAdmin`` body and name it in
    ``actions``: ``approve = service_action("Approve", services.course_approve, row="course",
    message="Approved: {count}.")``."""

    @admin.action(description=description, permissions=list(permissions))
    def action(modeladmin, request, queryset):
        run_for_each(
            modeladmin,
            request,
            queryset,
            lambda obj: service(**_keywords(obj, request.user, row=row, fixed=fixed)),
            message=message,
            label=label,
            error_level=error_level,
        )

    return action


def form_action(
    description: str,
    service: Callable[..., object],
    *,
    row: str,
    form_class: Callable[..., forms.Form],
    title: str,
    message: str,
    fields: Mapping[str, str] | None = None,
    fixed: Mapping[str, Any] | None = None,
    permissions: Sequence[str] = ("change",),
    describe: Callable[[Any], str] = str,
    extra_context: Callable[[], dict[str, Any]] | None = None,
):
    """An admin action that asks for ``form_class`` first, then calls ``service(<row>=obj,
    actor=..., **fixed, **what was typed)`` for each selected row (``fields``: see
    ``_keywords``). ``extra_context()``, read at each request, adds to the form page's context
    (payments' test-mode notice)."""

    @admin.action(description=description, permissions=list(permissions))
    def action(modeladmin, request, queryset):
        return action_with_form(
            modeladmin,
            request,
            queryset,
            form_class=form_class,
            title=title,
            call=lambda obj, data: service(
                **_keywords(obj, request.user, row=row, fixed=fixed, data=data, fields=fields)
            ),
            message=message,
            describe=describe,
            extra_context=extra_context() if extra_context else None,
        )

    return action


class RowActions:
    """``service_action`` and ``form_action`` for one admin's rows, with what its actions share
    said once: the service's argument for the row, and any of ``permissions``, ``describe``
    and ``extra_context`` (form pages only), ``label`` (refusals only). ``run`` needs nothing more than the rows;
    ``ask`` first asks for ``form_class`` on a page titled ``title``::

        _filings = RowActions("filing", permissions=["decide"])
        approve = _filings.run("Approve", services.filing_approve, "Approved: {count}.")
    """

    def __init__(self, row: str, **shared: Any):
        self.row = row
        self.shared = shared

    def _options(self, allowed: Sequence[str], options: Mapping[str, Any]) -> dict[str, Any]:
        return {**{k: v for k, v in self.shared.items() if k in allowed}, **options}

    def run(self, description: str, service: Callable[..., object], message: str, **options):
        options = self._options(("permissions", "label", "error_level"), options)
        return service_action(description, service, row=self.row, message=message, **options)

    def ask(
        self,
        description: str,
        service: Callable[..., object],
        form_class: Callable[..., forms.Form],
        title: str,
        message: str,
        **options,
    ):
        options = self._options(("permissions", "describe", "extra_context"), options)
        return form_action(
            description,
            service,
            row=self.row,
            form_class=form_class,
            title=title,
            message=message,
            **options,
        )


class NoteForm(forms.Form):
    """A required note: the reason given with a denial."""

    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))


class ServiceWrittenAdmin:
    """For a record services create (an application, a filing, a payment): staff open it and
    act on it through the actions, but never add or delete one in the admin. Put it first
    among the bases."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ServiceWrittenAdmin):
    """For a record only services write (logs, decided schedules): staff read it; nobody adds,
    changes or deletes it in the admin. Put it first among the bases."""

    def has_change_permission(self, request, obj=None):
        return False


REVIEW_STEPS = ("start_review", "return_incomplete", "approve", "deny")
# What the review decided, the same for every kind; each kind adds its outcome's fields.
REVIEW_FIELDS = [
    "submitted_at",
    "complete_on",
    "return_reasons",
    "return_note",
    "status_before_hold",
    "decided_at",
    "decided_by",
    "decision_note",
]


def review_services(module, prefix: str) -> dict[str, Callable[..., object]]:
    """A kind's four review services, named ``<prefix>_<step>`` in ``module``
    (``renewal_start_review``, ``initial_approve``…)."""
    return {step: getattr(module, f"{prefix}_{step}") for step in REVIEW_STEPS}


def review_fieldset(*outcome: str) -> tuple[str, dict[str, list[str]]]:
    """The "Review" fieldset: the review's fields, then the kind's ``outcome`` fields."""
    return ("Review", {"fields": [*REVIEW_FIELDS, *outcome]})


class ReviewActions(ServiceWrittenAdmin, admin.ModelAdmin):
    """Start review / return incomplete (with reasons) / approve / deny for every kind of
    reviewed application. A kind names its services in ``SERVICES`` (keys ``start_review``,
    ``return_incomplete``, ``approve``, ``deny``; each takes ``application=`` and ``actor=``)
    and the form that picks the return reasons in ``return_form``."""

    SERVICES: dict[str, Callable[..., object]] = {}
    return_form: type[forms.Form]
    actions = list(REVIEW_STEPS)

    def _run(self, request, queryset, name: str, *, message: str) -> None:
        service = self.SERVICES[name]
        run_for_each(
            self,
            request,
            queryset,
            lambda application: service(
                **_keywords(application, request.user, row="application", fixed=None)
            ),
            message=message,
        )

    def _ask(self, request, queryset, name: str, *, form_class, title: str, message: str):
        service = self.SERVICES[name]
        return action_with_form(
            self,
            request,
            queryset,
            form_class=form_class,
            title=title,
            call=lambda application, data: service(
                **_keywords(application, request.user, row="application", fixed=None, data=data)
            ),
            message=message,
        )

    @admin.action(description="Start review", permissions=["change"])
    def start_review(self, request, queryset):
        self._run(request, queryset, "start_review", message="Review started: {count}.")

    @admin.action(description="Return incomplete (with reasons)…", permissions=["change"])
    def return_incomplete(self, request, queryset):
        return self._ask(
            request,
            queryset,
            "return_incomplete",
            form_class=self.return_form,
            title="Return as incomplete",
            message="Returned incomplete: {count}.",
        )

    @admin.action(description="Approve", permissions=["change"])
    def approve(self, request, queryset):
        self._run(request, queryset, "approve", message="Approved: {count}.")

    @admin.action(description="Deny…", permissions=["change"])
    def deny(self, request, queryset):
        return self._ask(
            request,
            queryset,
            "deny",
            form_class=NoteForm,
            title="Deny the application",
            message="Denied: {count}.",
        )

    def get_readonly_fields(self, request, obj=None):
        # Everything on an application is what the applicant declared or a service decided.
        return [field for fieldset in self.fieldsets or [] for field in fieldset[1]["fields"]]

    @admin.display(description="Days waiting")
    def waiting(self, obj):
        days = obj.days_waiting()
        return "—" if days is None else days


class ListedInline(admin.TabularInline):
    """Rows written elsewhere (by a service or another page), listed under their parent:
    nothing is added or deleted here, and the listed ``fields`` are read-only unless the inline
    names its own ``readonly_fields``."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields or self.fields or ()

    def has_add_permission(self, request, obj=None):
        return False


class ReadOnlyInline(ListedInline):
    """A listed inline nobody changes either (files, ledger lines, decided figures)."""

    def has_change_permission(self, request, obj=None):
        return False


def file_link(description: str = "file", *, name: str | None = None, text: str = ""):
    """A column linking a row's private file (``obj.file``; its URL is the checked download)
    by the name it was uploaded under (``obj.<name>``) or a fixed ``text``."""

    @admin.display(description=description)
    def column(modeladmin, obj):
        return format_html(
            '<a href="{}">{}</a>', obj.file.url, getattr(obj, name) if name else text
        )

    return column


def related_column(description: str, path: str, *, ordering: str):
    """A column showing what the dotted ``path`` reaches from the row
    (``"certification.provider.full_name"``), sorted by the lookup ``ordering``."""
    value = attrgetter(path)

    @admin.display(description=description, ordering=ordering)
    def column(modeladmin, obj):
        return value(obj)

    return column
