from django.urls import include, path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<uuid:public_id>/", views.case_detail, name="detail"),
    path("<uuid:public_id>/aktion/", views.case_transition, name="transition"),
    path("<uuid:public_id>/zuweisung/", views.case_assign, name="assign"),
    path("<uuid:public_id>/bescheid-vorschau/", views.case_letter_preview, name="letter_preview"),
    path("<uuid:public_id>/zahlung/", views.case_payment_book, name="payment_book"),
    path("<uuid:public_id>/akte/", include("rathaus.cases.document_urls")),
]
