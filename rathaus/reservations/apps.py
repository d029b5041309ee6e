from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReservationsConfig(AppConfig):
    name = "rathaus.reservations"
    label = "reservations"
    verbose_name = _("Reservations")
    default_auto_field = "django.db.models.BigAutoField"
