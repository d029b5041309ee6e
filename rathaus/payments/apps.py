from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "rathaus.payments"
    verbose_name = _("Payments")

    def ready(self) -> None:
        # Providers register themselves when their module is imported.
        from .providers import invoice, sandbox  # noqa: F401
