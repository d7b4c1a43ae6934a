from django.urls import path

from . import views

# Public addresses: the page is in Vietnamese like every other public path; the API paths are stable.
urlpatterns = [
    path("tim-kiem/", views.search_page, name="search"),
    path("api/search/", views.search_api, name="search_api"),
    path("api/search/suggest/", views.suggest_api, name="search_suggest_api"),
]
