"""Plaques in the Wagtail admin: print from the page listing, scan reports, old printed codes.

Reports are scoped to the communes whose pages the editor may work on; the city's reviewers
(with permissions on the city home page) and administrators see every commune.
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.auth import user_has_any_page_permission
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.pages.bulk_actions.page_bulk_action import PageBulkAction
from wagtail.admin.views.reports import ReportView
from wagtail.models import GroupPagePermission
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from ..models import CityHomePage, Commune, HeritagePage, HomePage
from ..models.plaques import LegacyPlaqueCode, PlaqueCode, PlaqueScanDay
from .pdf import PAPER_SIZES, pages_pdf


def visible_communes(user):
    """Ids of the communes whose plaques ``user`` may see, or None for all of them (and the city's)."""
    if user.is_superuser:
        return None
    paths = list(GroupPagePermission.objects.filter(group__user=user).values_list("page__path", flat=True).distinct())
    city_paths = list(CityHomePage.objects.values_list("path", flat=True))
    if any(path for path in paths if any(city.startswith(path) for city in city_paths)):
        return None
    homes = HomePage.objects.values_list("path", "commune_id")
    return {
        commune_id
        for home_path, commune_id in homes
        if any(home_path.startswith(path) or path.startswith(home_path) for path in paths)
    }


def scoped(queryset, user, field="commune"):
    communes = visible_communes(user)
    return queryset if communes is None else queryset.filter(**{f"{field}__in": communes})


def _communes_for_filter(request):
    return scoped(Commune.objects.all(), request.user, field="pk") if request else Commune.objects.none()


class EditorReportView(ReportView):
    """A report any page editor may open; each one limits its rows to the editor's communes."""

    def dispatch(self, request, *args, **kwargs):
        if not user_has_any_page_permission(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScanFilterSet(WagtailFilterSet):
    day = django_filters.DateFromToRangeFilter(label=_("Day"), widget=DateRangePickerWidget)
    plaque__commune = django_filters.ModelChoiceFilter(
        label=_("Commune"), queryset=_communes_for_filter, empty_label=_("All communes")
    )
    plaque__code = django_filters.CharFilter(label=_("Code"), lookup_expr="icontains")

    class Meta:
        model = PlaqueScanDay
        fields = ["day", "plaque__commune", "plaque__code"]


def _edit_url(obj):
    page_id = getattr(obj, "page_id", None) or getattr(getattr(obj, "plaque", None), "page_id", None)
    return reverse("wagtailadmin_pages:edit", args=[page_id]) if page_id else None


class PlaqueScansView(EditorReportView):
    """Scans per code and day, newest first: what editors see of their plaques' use."""

    page_title = _("Plaque scans")
    header_icon = "view"
    model = PlaqueScanDay
    filterset_class = ScanFilterSet
    index_url_name = "plaque_scans"
    index_results_url_name = "plaque_scans_results"
    list_export = ["day", "plaque.code", "plaque.title", "count"]
    export_headings = {"day": _("Day"), "plaque.code": _("Code"), "plaque.title": _("Entry"), "count": _("Scans")}
    columns = [
        DateColumn("day", label=_("Day")),
        Column("code", label=_("Code"), accessor="plaque.code"),
        TitleColumn("title", label=_("Entry"), accessor="plaque.title", get_url=_edit_url),
        Column("count", label=_("Scans")),
    ]

    def get_filename(self):
        return f"plaque-scans-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self):
        rows = PlaqueScanDay.objects.select_related("plaque").order_by("-day", "plaque__code")
        return scoped(rows, self.request.user, field="plaque__commune")


class NeverScannedFilterSet(WagtailFilterSet):
    commune = django_filters.ModelChoiceFilter(
        label=_("Commune"), queryset=_communes_for_filter, empty_label=_("All communes")
    )

    class Meta:
        model = PlaqueCode
        fields = ["commune"]


class NeverScannedView(EditorReportView):
    """Codes no one has scanned yet: plaques never put up, hidden, or unreadable."""

    page_title = _("Plaques never scanned")
    header_icon = "warning"
    model = PlaqueCode
    filterset_class = NeverScannedFilterSet
    index_url_name = "plaques_never_scanned"
    index_results_url_name = "plaques_never_scanned_results"
    list_export = ["code", "title", "commune", "created_at"]
    export_headings = {"code": _("Code"), "title": _("Entry"), "commune": _("Commune"), "created_at": _("Given on")}
    columns = [
        Column("code", label=_("Code")),
        TitleColumn("title", label=_("Entry"), get_url=_edit_url),
        Column("commune", label=_("Commune")),
        DateColumn("created_at", label=_("Given on")),
    ]

    def get_filename(self):
        return f"plaques-never-scanned-{datetime.date.today():%Y-%m-%d}"

    def get_queryset(self):
        scanned = PlaqueScanDay.objects.filter(plaque=OuterRef("pk"), count__gt=0)
        rows = (
            PlaqueCode.objects.filter(~Exists(scanned), Q(page__isnull=False))
            .select_related("commune")
            .order_by("prefix", "number")
        )
        return scoped(rows, self.request.user)


class PrintPlaquesForm(forms.Form):
    paper = forms.ChoiceField(label=_("Paper size"), choices=[(key, key.upper()) for key in PAPER_SIZES], initial="a6")


@hooks.register("register_bulk_action")
class PrintPlaquesBulkAction(PageBulkAction):
    """Print the plaques of the selected entries: one PDF, one plaque per sheet."""

    display_name = _("Print plaques")
    action_type = "print_plaques"
    aria_label = _("Print the QR plaques of the selected pages")
    template_name = "heritage/plaques/confirm_bulk_print.html"
    action_priority = 80
    form_class = PrintPlaquesForm

    def check_perm(self, page):
        # A plaque needs a code, and a code comes with the first publication of an entry.
        return PlaqueCode.objects.filter(page_id=page.pk).exists()

    def prepare_action(self, objects, objects_without_access):
        pages = HeritagePage.objects.filter(pk__in=[page.pk for page in objects]).order_by("path")
        data, _skipped = pages_pdf(list(pages), self.cleaned_form.cleaned_data["paper"])
        if data is None:
            return None
        response = HttpResponse(data, content_type="application/pdf")
        response["Content-Disposition"] = 'attachment; filename="plaques.pdf"'
        return response

    @classmethod
    def execute_action(cls, objects, **kwargs):
        return len(objects), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return _("None of the selected pages has a plaque code yet: publish them first.")


class LegacyPlaqueCodeViewSet(SnippetViewSet):
    model = LegacyPlaqueCode
    icon = "link"
    menu_label = _("Old plaque codes")
    menu_name = "old-plaque-codes"
    add_to_admin_menu = False
    list_display = ["old_code", "page", "note"]
    search_fields = ["old_code", "note"]


register_snippet(LegacyPlaqueCodeViewSet)


@hooks.register("register_admin_urls")
def _register_report_urls():
    return [
        path("reports/plaque-scans/", PlaqueScansView.as_view(), name="plaque_scans"),
        path(
            "reports/plaque-scans/results/",
            PlaqueScansView.as_view(results_only=True),
            name="plaque_scans_results",
        ),
        path("reports/plaques-never-scanned/", NeverScannedView.as_view(), name="plaques_never_scanned"),
        path(
            "reports/plaques-never-scanned/results/",
            NeverScannedView.as_view(results_only=True),
            name="plaques_never_scanned_results",
        ),
    ]


class EditorMenuItem(MenuItem):
    def is_shown(self, request):
        return user_has_any_page_permission(request.user)


@hooks.register("register_reports_menu_item")
def _register_scans_menu_item():
    return EditorMenuItem(_("Plaque scans"), reverse("plaque_scans"), name="plaque-scans", icon_name="view", order=950)


@hooks.register("register_reports_menu_item")
def _register_never_scanned_menu_item():
    return EditorMenuItem(
        _("Plaques never scanned"),
        reverse("plaques_never_scanned"),
        name="plaques-never-scanned",
        icon_name="warning",
        order=960,
    )
