"""Template tags of the providers app: CE progress bars."""

from django import template

register = template.Library()


@register.inclusion_tag("providers/_progress.html")
def ce_progress_table(progress, caption=""):
    return {"progress": progress, "caption": caption}
