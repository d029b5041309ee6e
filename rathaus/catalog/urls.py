from django.urls import path

from . import views

app_name = "catalog"
urlpatterns = [
    path("leistungen/", views.service_list, name="service_list"),
    path("leistungen/<slug:key>/", views.service_detail, name="service_detail"),
    path("leistungen/<slug:key>/start/", views.service_start, name="service_start"),
]
