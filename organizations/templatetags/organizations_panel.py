"""The dashboard panel's data, read through the selectors."""

from django import template

from accounts import roles
from organizations import selectors
from providers.selectors import provider_of

register = template.Library()


@register.simple_tag(takes_context=True)
def organizations_panel(context):
    user = context["request"].user
    panel = {"organizations": [], "is_organization_administrator": False, "staff": None}
    if not user.is_authenticated:
        return panel
    if user.is_staff and user.has_perm("organizations.view_organization"):
        panel["staff"] = selectors.staff_counts()
        return panel
    organizations = list(selectors.organizations_administered_by(user=user))
    pending = selectors.pending_affiliation_counts(organizations=organizations)
    for organization in organizations:
        organization.pending_affiliations = pending.get(organization.pk, 0)
    panel["organizations"] = organizations
    panel["is_organization_administrator"] = user.has_role(roles.ORGANIZATION_ADMINISTRATOR)
    return panel


@register.simple_tag(takes_context=True)
def provider_affiliations(context):
    """The signed-in provider's affiliations (None when the account holds no provider)."""
    provider = provider_of(context["request"].user)
    if provider is None:
        return None
    return list(selectors.affiliations_of_provider(provider=provider))
