from django.urls import path

from . import views

app_name = "postbox"
urlpatterns = [
    path("", views.postbox, name="postbox"),
    path("<uuid:public_id>/", views.message_detail, name="message"),
    path("dokumente/<uuid:public_id>/", views.document_download, name="document"),
]
