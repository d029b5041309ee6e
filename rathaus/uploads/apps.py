from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UploadsConfig(AppConfig):
    name = "rathaus.uploads"
    verbose_name = _("Uploads")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete

        from . import scanners  # registers the shipped scanner plugins
        from .models import Upload
        from .receivers import claim_guest_uploads, delete_stored_file

        del scanners
        post_delete.connect(delete_stored_file, sender=Upload, dispatch_uid="uploads.delete_stored_file")
        user_logged_in.connect(claim_guest_uploads, dispatch_uid="uploads.claim_guest_uploads")
