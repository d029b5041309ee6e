from django.urls import path

from . import views

app_name = "appointments"
urlpatterns = [
    path("", views.start, name="start"),
    path("vorgemerkt/", views.held, name="held"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("termin/<str:token>/", views.manage, name="manage"),
    path("termin/<str:token>/absagen/", views.cancel, name="cancel"),
    path("termin/<str:token>/verschieben/", views.rebook, name="rebook"),
    path("termin/<str:token>/termin.ics", views.calendar_file, name="ics"),
    path("<slug:slug>/", views.concerns, name="concerns"),
    path("<slug:slug>/zeiten/", views.times, name="times"),
    path("<slug:slug>/aufruf/", views.display, name="display"),
]
