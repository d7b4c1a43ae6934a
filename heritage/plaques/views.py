"""The short URL of a plaque, its QR images, and the page for a code typed by hand."""

from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ..models import HomePage
from ..structured_data import canonical_url
from .codes import find_legacy, find_plaque
from .qr import qr_png, qr_svg
from .scans import record_scan


def _live_url(page, request):
    """The page's canonical address, on its commune's site, whichever host the short URL was asked on."""
    if page is None or not page.live:
        return None
    return canonical_url(page)


def _noindex(response):
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
@never_cache
def plaque_redirect(request, code):
    """Send a scan to the entry's page wherever it lives now (302: the target moves with the page).

    An entry taken offline answers 200 with a page that says so and where to go instead: the code
    stays valid (the entry may come back, or an editor may link the code to a new entry), so it is
    not "gone" (410) and not "not found" (404); the page is kept out of search engines.
    """
    plaque = find_plaque(code)
    target = _live_url(plaque.page if plaque else None, request)
    legacy = None
    if target is None:
        legacy = find_legacy(code)
        target = _live_url(legacy.page if legacy else None, request)
    counted = plaque
    if counted is None and legacy is not None and legacy.page is not None:
        counted = getattr(legacy.page, "plaque_code", None)
    if plaque is None and legacy is None:
        return _noindex(
            render(
                request,
                "heritage/plaques/unknown.html",
                {"code": code},
                status=404,
            )
        )
    record_scan(request, counted)
    if target:
        return HttpResponseRedirect(target)
    entry_title = (plaque.title if plaque else "") or (legacy.page.title if legacy and legacy.page else "")
    commune = plaque.commune if plaque else None
    home = HomePage.objects.filter(commune=commune).live().first() if commune else None
    context = {
        "code": plaque.code if plaque else legacy.old_code,
        "entry_title": entry_title,
        "commune": commune,
        "commune_url": canonical_url(home) if home else None,
    }
    return _noindex(render(request, "heritage/plaques/offline.html", context))


@require_safe
def plaque_lookup(request):
    """The form where a visitor types the code printed under a plaque's QR."""
    typed = request.GET.get("code", "").strip()
    if typed:
        plaque = find_plaque(typed)
        if plaque is not None:
            return HttpResponseRedirect(reverse("plaque", args=[plaque.code]))
        legacy = find_legacy(typed)
        if legacy is not None:
            return HttpResponseRedirect(reverse("plaque", args=[legacy.old_code]))
    response = render(
        request,
        "heritage/plaques/unknown.html",
        {"code": typed},
        status=404 if typed else 200,
    )
    return _noindex(response)


def _qr_response(code, render_qr, content_type, extension):
    plaque = find_plaque(code)
    if plaque is None:
        raise Http404("No plaque has this code.")
    response = HttpResponse(render_qr(plaque.code), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{plaque.code}.{extension}"'
    # Codes never change; a day keeps a change of PUBLIC_BASE_URL from lingering for long.
    patch_cache_control(response, public=True, max_age=86400)
    return _noindex(response)


@require_safe
def plaque_qr_svg(request, code):
    return _qr_response(code, qr_svg, "image/svg+xml", "svg")


@require_safe
def plaque_qr_png(request, code):
    return _qr_response(code, qr_png, "image/png", "png")
