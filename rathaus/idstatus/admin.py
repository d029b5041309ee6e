"""Operators see the statuses (no numbers, only hashes and the last characters); staff change them in the back
office at /verwaltung/ausweisstatus/."""

from django.contrib import admin

from .models import DocumentStatus


@admin.register(DocumentStatus)
class DocumentStatusAdmin(admin.ModelAdmin):
    list_display = ["number_hint", "kind", "status", "updated_at", "municipality"]
    list_filter = ["municipality", "status", "kind"]
    readonly_fields = ["number_digest", "number_hint", "updated_at", "updated_by", "picked_up_at"]

    def has_add_permission(self, request, obj=None):
        return False  # numbers are hashed on the way in: through the back office or the import
