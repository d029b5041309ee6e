from django.urls import path, register_converter

from . import views


class PlaceToken:
    """A street's normalised name, with the house number where the street is split: hauptstr, hauptstr-12a."""

    regex = r"[a-z0-9]{1,150}(?:-[0-9]{1,5}[a-z]?)?"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(PlaceToken, "place")

app_name = "waste"
urlpatterns = [
    path("", views.start, name="start"),
    path("erinnerung/<str:token>/bestaetigen/", views.reminder_confirm_view, name="reminder_confirm"),
    path("erinnerung/<str:token>/abmelden/", views.reminder_unsubscribe_view, name="reminder_unsubscribe"),
    path("<place:token>.ics", views.feed, name="feed"),
    path("<place:token>/", views.place, name="place"),
    path("<place:token>/abonnieren/", views.subscribe, name="subscribe"),
    path("<place:token>/erinnerung/", views.reminder_request, name="reminder_request"),
    path("<place:token>/<int:year>/", views.year, name="year"),
    path("<place:token>/<int:year>.pdf", views.year_download, name="year_pdf"),
]
