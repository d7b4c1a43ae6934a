"""Public addresses for students: Vietnamese paths, the same on every site (commune or city)."""

from django.urls import path, re_path

from . import student_views

urlpatterns = [
    path("dong-thoi-gian/", student_views.timeline, name="timeline"),
    re_path(
        r"^trich-dan/(?P<source_id>[\w-]{1,64})\.(?P<extension>bib|ris|json)$",
        student_views.citation_file,
        name="citation_file",
    ),
    re_path(r"^bao-cao/(?P<source_id>[\w-]{1,64})\.pdf$", student_views.entry_report, name="entry_report"),
]
