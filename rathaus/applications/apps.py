from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "rathaus.applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from rathaus.payments.signals import payment_succeeded

        from .receivers import complete_paid_application

        payment_succeeded.connect(complete_paid_application, dispatch_uid="applications.complete_paid_application")
