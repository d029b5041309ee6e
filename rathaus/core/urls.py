from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("branding.css", views.branding, name="branding"),
    path("health", views.health, name="health"),
]
