from django.urls import path

from . import views

app_name = "analytics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("leistung/<slug:key>/", views.service_detail, name="service"),
    path("vergleich/", views.comparison, name="comparison"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("bericht/", views.report_form, name="report"),
    path("bericht/<int:year>-<int:month>.pdf", views.report_pdf, name="report_pdf"),
    path("einstellungen/", views.settings_view, name="settings"),
]
