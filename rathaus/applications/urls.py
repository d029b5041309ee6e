from django.urls import path

from . import views

app_name = "applications"
urlpatterns = [
    path("leistungen/<slug:key>/antrag/", views.application_begin, name="begin"),
    path("antrag/<uuid:public_id>/schritt/<slug:step_id>/", views.application_step, name="step"),
    path("antrag/<uuid:public_id>/pruefen/", views.application_review, name="review"),
    path("antrag/<uuid:public_id>/bezahlt/", views.application_paid, name="paid"),
    path("antrag/<uuid:public_id>/", views.application_detail, name="detail"),
    path("antrag/<uuid:public_id>/eingangsbestaetigung.pdf", views.application_receipt, name="receipt"),
    path("antrag/fortsetzen/<str:token>/", views.application_resume, name="resume"),
    path("meine-antraege/", views.my_applications, name="mine"),
]
