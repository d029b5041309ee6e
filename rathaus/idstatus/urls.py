from django.urls import path

from . import views

app_name = "idstatus"
urlpatterns = [path("", views.lookup, name="lookup")]
