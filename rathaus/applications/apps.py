from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "rathaus.applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from rathaus.payments.signals import payment_succeeded

        from .receivers import claim_guest_applications, complete_paid_application

        payment_succeeded.connect(complete_paid_application, dispatch_uid="applications.complete_paid_application")
        user_logged_in.connect(claim_guest_applications, dispatch_uid="applications.claim_guest_applications")
