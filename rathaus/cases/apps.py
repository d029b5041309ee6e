from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "rathaus.cases"
    verbose_name = _("Case processing")

    def ready(self) -> None:
        from rathaus.applications.signals import application_submitted
        from rathaus.payments.signals import payment_succeeded
        from rathaus.postbox.signals import citizen_replied

        from . import receivers

        application_submitted.connect(receivers.open_case_for_submitted_application, dispatch_uid="cases.open_case")
        citizen_replied.connect(receivers.resume_case_after_reply, dispatch_uid="cases.resume_after_reply")
        payment_succeeded.connect(receivers.automate_after_payment, dispatch_uid="cases.automate_after_payment")
