from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("melden/", views.report_new, name="new"),
    path("melden/absenden/", views.report_submit, name="submit"),
    path("gemeldet/", views.report_filed, name="filed"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/auch-gesehen/", views.report_support, name="support"),
    path("foto/<uuid:public_id>/", views.photo, name="photo"),
]
