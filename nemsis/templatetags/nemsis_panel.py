from django import template

from organizations.selectors import organizations_administered_by

register = template.Library()


@register.simple_tag(takes_context=True)
def dem_organizations(context):
    """The organizations the signed-in person may send a DEM file for (their own)."""
    user = context["request"].user
    if not user.is_authenticated or user.is_staff:
        return []
    return list(organizations_administered_by(user=user).only("pk", "legal_name", "number"))
