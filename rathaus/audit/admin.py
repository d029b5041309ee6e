from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only for operators: entries are written by audit_append only, and the database refuses changes."""

    list_display = ["sequence", "occurred_at", "municipality", "actor_label", "action", "object_type", "object_id"]
    list_filter = ["municipality", "actor_kind", "action", "object_type"]
    search_fields = ["=object_id", "actor_label", "action"]
    list_select_related = ["municipality"]
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
