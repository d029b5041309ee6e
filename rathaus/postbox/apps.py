from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PostboxConfig(AppConfig):
    name = "rathaus.postbox"
    verbose_name = _("Postbox")

    def ready(self) -> None:
        from django.db.models.signals import post_delete

        from .models import Document
        from .receivers import delete_stored_document

        post_delete.connect(delete_stored_document, sender=Document, dispatch_uid="postbox.delete_stored_document")
