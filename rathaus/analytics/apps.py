from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "rathaus.analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from . import opendata  # noqa: F401 - registers the KPI dataset with the open data portal
