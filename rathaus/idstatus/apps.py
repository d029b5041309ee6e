from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdStatusConfig(AppConfig):
    name = "rathaus.idstatus"
    label = "idstatus"
    verbose_name = _("ID document status")
    default_auto_field = "django.db.models.BigAutoField"
