from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistersConfig(AppConfig):
    name = "rathaus.registers"
    verbose_name = _("Registers")

    def ready(self) -> None:
        # Vehicle register plugins register themselves when their module is imported.
        from . import vehicles  # noqa: F401
