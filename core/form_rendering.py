"""How the portal's form widgets are rendered: in USWDS style on the public site, in Django's own
style in the staff admin.

The USWDS widget templates (``templates/uswds_forms/``: Django's widget templates with the design
system's class on each input) sit in a directory only :class:`PortalFormRenderer` searches, so
every form of the public site (ours and the libraries', allauth's included) gets the classes
without per-form code. The admin is not styled by USWDS; given those classes its widgets would be
hidden or restyled by any page that loads the design system, so its requests render widgets
through Django's own templates. The admin's widgets are rendered in many places no form class
controls (the changelist's row checkboxes, list-editable formsets, inlines, third-party admin
forms), so the choice is made per request (:class:`AdminWidgetsMiddleware`), not per form.
"""

from contextvars import ContextVar
from functools import cached_property
from typing import cast

from django.conf import settings
from django.forms.renderers import BaseRenderer, TemplatesSetting
from django.template.backends.django import DjangoTemplates

USWDS_FORM_TEMPLATES = settings.BASE_DIR / "templates" / "uswds_forms"

_admin_request = ContextVar("admin_request", default=False)


class PortalFormRenderer(BaseRenderer):
    """FORM_RENDERER: USWDS widget templates first, except while an admin request is served."""

    @cached_property
    def uswds_engine(self):
        project = settings.TEMPLATES[0]
        return DjangoTemplates(
            {
                "NAME": "uswds_forms",
                "DIRS": [USWDS_FORM_TEMPLATES, *cast(list, project.get("DIRS", []))],
                "APP_DIRS": True,
                "OPTIONS": {},
            }
        )

    @cached_property
    def django_renderer(self):
        return TemplatesSetting()

    def get_template(self, template_name):
        if _admin_request.get():
            return self.django_renderer.get_template(template_name)
        return self.uswds_engine.get_template(template_name)


class AdminWidgetsMiddleware:
    """Marks the requests the admin site serves, for the whole response (templates of the admin
    render after the view returns), so :class:`PortalFormRenderer` leaves their widgets alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _admin_request.set(False)
        try:
            return self.get_response(request)
        finally:
            _admin_request.reset(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is not None and "admin" in match.namespaces:
            _admin_request.set(True)
        return None
