from django.urls import path

from . import staff_views

app_name = "reports_staff"
urlpatterns = [
    path("", staff_views.report_list, name="list"),
    path("<int:pk>/", staff_views.report_detail, name="detail"),
    path("<int:pk>/status/", staff_views.report_status, name="status"),
    path("<int:pk>/zusammenfuehren/", staff_views.report_merge, name="merge"),
    path("<int:pk>/sichtbarkeit/", staff_views.report_visibility, name="visibility"),
    path("foto/<uuid:public_id>/", staff_views.photo, name="photo"),
    path("foto/<uuid:public_id>/freigeben/", staff_views.photo_release, name="photo_release"),
    path("foto/<uuid:public_id>/loeschen/", staff_views.photo_delete, name="photo_delete"),
    path("api-schluessel/", staff_views.api_keys, name="api_keys"),
    path("api-schluessel/<int:pk>/widerrufen/", staff_views.api_key_revoke, name="api_key_revoke"),
]
