"""Pages for students: the timeline (``/dong-thoi-gian/``), citation files and the printable report.

Citation files (``/trich-dan/<source_id>.bib|.ris|.json``) and reports (``/bao-cao/<source_id>.pdf``)
are keyed by the entry's stable ``source_id``, so they survive a page being renamed or moved.
Only live, public entries are served; anything else is a 404, never a 500.
"""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from wagtail.models import Site

from . import citations
from .models import Commune, HeritagePage, HomePage, Period
from .report import render_report
from .timeline.collect import attach_communes, build_axis, collect_events, commune_homes, group_by_century
from .timeline.events import EVENT_KINDS

INVALID_CHOICE = _("This choice is not on the list; it was left out.")


class TimelineFilterForm(forms.Form):
    """The timeline's filters; their names are part of public URLs (``?period=3&commune=2``)."""

    period = forms.ModelChoiceField(
        Period.objects.all(), required=False, label=_("Period or dynasty"), empty_label=_("All periods")
    )
    commune = forms.ModelChoiceField(
        Commune.objects.none(), required=False, label=_("Commune"), empty_label=_("All communes")
    )
    kind = forms.ChoiceField(required=False, label=_("Kind of event"))

    def __init__(self, *args, with_communes=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds"))] + [(key, label) for key, label in EVENT_KINDS.items()]
        if with_communes:
            self.fields["commune"].queryset = Commune.objects.filter(home_page__live=True).order_by("name")
        else:
            del self.fields["commune"]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = INVALID_CHOICE

    def valid_data(self):
        """The values that are valid; an invalid one is reported and left out, the rest still apply."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


def _site_scope(request):
    """(site root, whether it is a commune's home): a commune's site shows only its own entries."""
    site = Site.find_for_request(request)
    root = site.root_page if site else None
    is_commune = root is not None and issubclass(root.specific_class or type(root), HomePage)
    return root, is_commune


@require_safe
def timeline(request):
    root, is_commune = _site_scope(request)
    form = TimelineFilterForm(request.GET or None, with_communes=not is_commune)
    data = form.valid_data() if request.GET else {}
    scope = root
    commune = data.get("commune")
    if commune is not None:
        scope = HomePage.objects.filter(commune=commune, live=True).first() or root
    kind = data.get("kind")
    events = collect_events(scope, period=data.get("period"), kinds={kind} if kind else None)
    if not is_commune:
        attach_communes(events, commune_homes())
    axis = build_axis(events)
    context = {
        "form": form,
        "events": events,
        "axis": axis,
        "groups": group_by_century(events, axis) if axis else [],
        "filtered": bool(data),
        "show_commune": not is_commune,
        "page_title": _("Timeline"),
    }
    return render(request, "heritage/timeline/timeline.html", context, status=200)


def _entry(source_id):
    page = HeritagePage.objects.live().public().filter(source_id=source_id).first()
    if page is None:
        raise Http404(_("No published entry has this identifier."))
    return page.specific


def _download_name(page, extension):
    return f"{citations.citation_key(page, None)}.{extension}"


@require_safe
def citation_file(request, source_id, extension):
    """An entry's citation as BibTeX, RIS or CSL-JSON, downloaded as a file."""
    if extension not in citations.FORMATS:
        raise Http404(_("Citations are offered as .bib, .ris or .json."))
    page = _entry(source_id)
    builder, content_type = citations.FORMATS[extension]
    response = HttpResponse(builder(citations.build_citation(page, request)), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_download_name(page, extension)}"'
    response["Cache-Control"] = "no-cache"  # the access date changes every day
    return response


@require_safe
def entry_report(request, source_id):
    """A printable report of one entry, as a PDF with the text in an embedded font."""
    page = _entry(source_id)
    citation = citations.build_citation(page, request)
    response = HttpResponse(render_report(page, citation, request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{_download_name(page, "pdf")}"'
    response["Cache-Control"] = "no-cache"
    return response
