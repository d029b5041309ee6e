"""Back office under /verwaltung/daten/ (namespace "opendata_staff")."""

from django.urls import path

from . import staff_views

app_name = "opendata_staff"

urlpatterns = [
    path("", staff_views.staff_list, name="list"),
    path("neu/", staff_views.staff_create, name="create"),
    path("<uuid:dataset_id>/", staff_views.staff_edit, name="edit"),
    path("<uuid:dataset_id>/dateien/", staff_views.staff_resource_file, name="resource_file"),
    path("<uuid:dataset_id>/links/", staff_views.staff_resource_link, name="resource_link"),
    path(
        "<uuid:dataset_id>/ressourcen/<uuid:resource_id>/entfernen/",
        staff_views.staff_resource_delete,
        name="resource_delete",
    ),
]
