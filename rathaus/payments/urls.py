from django.urls import path

from . import views

app_name = "payments"
urlpatterns = [
    path("sandbox/<uuid:public_id>/", views.sandbox_page, name="sandbox_page"),
    path("zurueck/<uuid:public_id>/", views.payment_return, name="return"),
    path("webhook/<slug:provider_code>/", views.webhook, name="webhook"),
]
