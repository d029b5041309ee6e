from django.urls import path

from . import views

app_name = "uploads"
urlpatterns = [
    path("<uuid:public_id>/", views.upload_download, name="download"),
]
