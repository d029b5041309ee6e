"""Portal pages under /daten/ (included with the namespace "opendata")."""

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.search_view, name="search"),
    path("schnittstellen/", views.api_view, name="api"),
    path("<slug:name>/", views.dataset_view, name="dataset"),
    path("<slug:name>/ressource/<uuid:resource_id>/<str:filename>", views.download_view, name="download"),
]
