from django.urls import path

from . import staff_views

app_name = "reservations_staff"
urlpatterns = [
    path("", staff_views.reservation_list, name="list"),
    path("entscheiden/<str:token>/", staff_views.decide, name="decide"),
    path("platz/<slug:slug>/", staff_views.resource_calendar, name="calendar"),
    path("<uuid:public_id>/", staff_views.reservation_detail, name="detail"),
    *(
        path(f"<uuid:public_id>/{segment}/", staff_views.reservation_act, {"action": action}, name=action)
        for segment, action in (
            ("bestaetigen", "confirm"),
            ("ablehnen", "decline"),
            ("stornieren", "cancel"),
            ("nicht-genutzt", "no_show"),
            ("bezahlt", "paid"),
        )
    ),
]
