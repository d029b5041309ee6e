from django.contrib import admin

from .models import Payment, WebhookEvent


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Payments change only through providers and services; here they are read."""

    list_display = ["public_id", "municipality", "amount", "method", "status", "provider", "created_at"]
    list_filter = ["status", "method", "provider", "municipality"]
    search_fields = ["public_id", "purpose", "provider_reference"]
    readonly_fields = [field.name for field in Payment._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookEvent)
class WebhookEventAdmin(admin.ModelAdmin):
    list_display = ["provider", "event_id", "payment", "outcome", "received_at"]
    list_filter = ["provider", "outcome"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
