from django.urls import path

from . import views

app_name = "idstatus_staff"
urlpatterns = [
    path("", views.staff_list, name="list"),
    path("setzen/", views.staff_set, name="set"),
    path("import/", views.staff_import, name="import"),
]
