from django.urls import path

from . import staff_views

app_name = "reservations_staff"
urlpatterns = [
    path("", staff_views.reservation_list, name="list"),
    path("entscheiden/<str:token>/", staff_views.decide, name="decide"),
    path("platz/<slug:slug>/", staff_views.resource_calendar, name="calendar"),
    path("<uuid:public_id>/", staff_views.reservation_detail, name="detail"),
    path("<uuid:public_id>/bestaetigen/", staff_views.reservation_confirm, name="confirm"),
    path("<uuid:public_id>/ablehnen/", staff_views.reservation_decline, name="decline"),
    path("<uuid:public_id>/stornieren/", staff_views.reservation_cancel, name="cancel"),
    path("<uuid:public_id>/nicht-genutzt/", staff_views.reservation_no_show, name="no_show"),
    path("<uuid:public_id>/bezahlt/", staff_views.reservation_paid, name="paid"),
]
