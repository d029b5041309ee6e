from django.urls import path, re_path

from . import views

app_name = "open311"
FMT = r"(?P<fmt>[A-Za-z0-9]{1,10})"
urlpatterns = [
    re_path(rf"^discovery\.{FMT}$", views.discovery, name="discovery"),
    re_path(rf"^services\.{FMT}$", views.service_list, name="services"),
    re_path(rf"^services/(?P<service_code>[^/]{{1,100}})\.{FMT}$", views.service_definition, name="service"),
    re_path(rf"^requests\.{FMT}$", views.requests, name="requests"),
    re_path(rf"^requests/(?P<service_request_id>[^/]{{1,60}})\.{FMT}$", views.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[^/]{{1,100}})\.{FMT}$", views.token_detail, name="token"),
    path("<path:path>", views.not_found),
    path("", views.not_found),
]
