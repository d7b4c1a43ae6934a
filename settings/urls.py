from django.conf import settings
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from heritage import routing
from heritage import views as heritage_views

urlpatterns = [
    path("", include("heritage.twofactor")),  # /admin/2fa/..., before the admin's own addresses
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("robots.txt", heritage_views.robots_txt, name="robots_txt"),
    path("healthz/", heritage_views.healthz, name="healthz"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("", include("search.urls")),
    path("", include("heritage.plaques.urls")),
    path("", include("heritage.geo.urls")),
    path("", include("festivals.urls")),
    path("", include("heritage.student_urls")),
]

# A database that does not answer gets a 503, a full disk a 507 (heritage/outages.py, docs/faults.md).
handler500 = "heritage.outages.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Pages are served by Wagtail's own view, with routes remembered (heritage.routing); Wagtail's
# patterns come after it for the rest (password-protected pages, front-end login).
urlpatterns += [
    re_path(r"^((?:[\w\-]+/)*)$", routing.serve, name="wagtail_serve"),
    path("", include(wagtail_urls)),
]
