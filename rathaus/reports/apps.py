from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "rathaus.reports"
    label = "reports"
    verbose_name = _("Defect reports")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import opendata  # noqa: F401 - registers the open data generator
