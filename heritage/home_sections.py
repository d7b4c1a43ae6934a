"""Sections that content apps add to the home pages, without the core importing them.

A content app registers a Wagtail hook under ``HOME_SECTIONS_HOOK``: a function taking the request
and the home page (a commune's ``HomePage`` or the ``CityHomePage``) and returning HTML, or an
empty value to add nothing. Sections appear in hook order (``hooks.register(..., order=n)``).
Each hook should keep to a fixed number of queries whatever the number of entries.
"""

from wagtail import hooks

HOME_SECTIONS_HOOK = "heritage_home_sections"


def home_sections(request, page):
    sections = []
    for hook in hooks.get_hooks(HOME_SECTIONS_HOOK):
        html = hook(request, page)
        if html:
            sections.append(html)
    return sections
