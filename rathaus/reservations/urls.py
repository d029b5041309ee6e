from django.urls import path

from . import views

app_name = "reservations"
urlpatterns = [
    path("", views.start, name="start"),
    path("angefragt/", views.requested, name="requested"),
    path("r/<str:token>/", views.manage, name="manage"),
    path("r/<str:token>/absagen/", views.cancel, name="cancel"),
    path("r/<str:token>/reservierung.ics", views.calendar_file, name="ics"),
    path("<slug:slug>/", views.resource_page, name="resource"),
    path("<slug:slug>/anfragen/", views.request_page, name="request"),
]
