"""Operators set up categories, the municipality's area and its street list in the admin; reports and keys are
only shown (they change through the back office, with an audit entry)."""

from django.contrib import admin

from .models import ApiKey, Category, Report, ReportArea, Street


@admin.register(ReportArea)
class ReportAreaAdmin(admin.ModelAdmin):
    list_display = ["municipality", "zoom"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "municipality", "department", "active", "position"]
    list_filter = ["municipality", "active"]
    search_fields = ["name", "code"]


@admin.register(Street)
class StreetAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "postal_code", "lat", "lon"]
    list_filter = ["municipality"]
    search_fields = ["name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["pk", "category", "municipality", "status", "created_at"]
    list_filter = ["municipality", "status"]
    exclude = ["reporter_name", "reporter_email"]


@admin.register(ApiKey)
class ApiKeyAdmin(ReadOnlyAdmin):
    list_display = ["name", "hint", "municipality", "created_at", "revoked_at"]
    list_filter = ["municipality"]
