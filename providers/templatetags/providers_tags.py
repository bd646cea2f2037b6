"""Template tags of the providers app: the dashboard panel and CE progress bars."""

from django import template

from payments.selectors import invoices_for_subjects

from .. import selectors

register = template.Library()


@register.inclusion_tag("providers/_panel_body.html", takes_context=True)
def provider_panel(context):
    user = context["user"]
    provider = selectors.provider_of(user)
    certifications = list(selectors.certifications_of(user)) if provider else []
    open_applications = (
        [a for a in selectors.applications_of(user) if a.status not in ("approved", "denied")]
        if provider
        else []
    )

    invoices = invoices_for_subjects(subjects=open_applications)
    for application in open_applications:
        application.invoice = invoices.get(str(application.pk))
    return {"provider": provider, "certifications": certifications, "open": open_applications}


@register.inclusion_tag("providers/_progress.html")
def ce_progress_table(progress, caption=""):
    return {"progress": progress, "caption": caption}
