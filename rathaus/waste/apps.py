from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WasteConfig(AppConfig):
    name = "rathaus.waste"
    label = "waste"
    verbose_name = _("Waste calendar")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import opendata  # noqa: F401 - registers the open data generator
