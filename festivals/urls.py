"""Public addresses of the festival calendar; Vietnamese like the other public paths, and stable."""

from django.urls import path

from . import views

urlpatterns = [
    path("lich-le-hoi/", views.calendar_month, name="festival_calendar"),
    path("lich-le-hoi/<int:year>/<int:month>/", views.calendar_month, name="festival_calendar_month"),
    path("lich-le-hoi/am-lich/<int:year>/<str:month>/", views.calendar_lunar_month, name="festival_calendar_lunar"),
    path("lich-le-hoi.ics", views.site_feed, name="festival_calendar_feed"),
    path("lich-le-hoi/le-hoi/<int:page_id>.ics", views.festival_feed, name="festival_feed"),
]
