"""Template helpers for the students' features: the citation of the entry being shown."""

from django import template

from ..citations import build_citation

register = template.Library()


@register.simple_tag(takes_context=True)
def entry_citation(context, page):
    """The page's citation as of today, or None for a page that is not an entry."""
    if page is None or not hasattr(page, "source_id") or not page.pk:
        return None
    return build_citation(page, context.get("request"))
