"""Admin menus for the archive's taxonomy and bibliography."""

import unicodedata

from django.contrib import messages
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import SlugInput
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .geo import wagtail_hooks as geo_hooks  # noqa: F401 - registers the map admin
from .models import Commune, HeritagePage, Period, Source, Village

# The admin builds slugs from titles in the browser. Its transliteration maps "đ" to "dj" (the
# Serbian rule), so "Đình Đông Khê" would become "djinh-djong-khe"; Vietnamese writes it "d". It
# knows no Vietnamese vowel with a tone mark either and drops them ("Đền thờ" → "dn-th"), so every
# accented vowel becomes its bare letter first, and combining marks (titles typed decomposed) go.
# The same rule runs on the server in heritage.text.slugify_vi.
VIETNAMESE_LETTERS = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĨĩŨũƠơƯư" + "".join(map(chr, range(0x1EA0, 0x1EFA)))


def _bare_letter(letter):
    return "".join(char for char in unicodedata.normalize("NFD", letter) if not unicodedata.combining(char))


def _vowel_formatters():
    accented = {}
    for letter in VIETNAMESE_LETTERS:
        accented.setdefault(_bare_letter(letter), []).append(letter)
    return [(f"[{''.join(letters)}]", bare) for bare, letters in sorted(accented.items())]


VIETNAMESE_SLUG_FORMATTERS = [("đ", "d"), ("Đ", "D"), *_vowel_formatters(), ("[\u0300-\u036f]", "")]
register_form_field_override(
    models.SlugField,
    override={"widget": SlugInput(formatters=VIETNAMESE_SLUG_FORMATTERS)},
    exact_class=True,
)


class SourceViewSet(SnippetViewSet):
    model = Source
    icon = "doc-full"
    menu_label = _("Sources")
    list_display = ["title", "authors", "year", "kind"]
    list_filter = ["kind"]
    search_fields = ["title", "authors"]
    ordering = ["authors", "year"]


class CommuneViewSet(SnippetViewSet):
    model = Commune
    icon = "site"
    list_display = ["name", "code", "formed_on"]


class VillageViewSet(SnippetViewSet):
    model = Village
    icon = "home"
    list_display = ["name", "commune", "former_names"]
    list_filter = ["commune"]
    search_fields = ["name", "former_names"]


class PeriodViewSet(SnippetViewSet):
    model = Period
    icon = "date"
    list_display = ["name", "kind", "start_year", "end_year"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (SourceViewSet, CommuneViewSet, VillageViewSet, PeriodViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Archive records")
    menu_name = "archive-records"


register_snippet(TaxonomyViewSetGroup)


@hooks.register("before_copy_page")
def refuse_aliases_of_entries(request, page):
    """An alias of an entry would be a second page with the same source ID (unique: imports,
    exports and plaques find an entry by it), and Wagtail cannot leave a field out of an alias.
    Refused with a message, for the entry itself or, with its subpages, for the entries below."""
    if request.method != "POST" or not request.POST.get("alias"):
        return None
    entries = HeritagePage.objects.descendant_of(page, inclusive=True)
    if not request.POST.get("copy_subpages"):
        entries = entries.filter(pk=page.pk)
    if not entries.exists():
        return None
    messages.error(
        request,
        _(
            "Heritage entries cannot be aliased: an entry belongs to one commune. Copy it (a new "
            "entry), or link to it from the other entry under Related entries."
        ),
    )
    return redirect("wagtailadmin_pages:copy", page.pk)


# Plaque reports, the print bulk action and old printed codes register their own hooks.
from .plaques import admin as plaques_admin  # noqa: E402, F401
