"""Operators add publishing organisations (e.g. a municipal company) in the admin; datasets are only shown there
(staff change them in the back office, through the services, so that every change is audited)."""

from django.contrib import admin

from .models import Dataset, Organization


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["title", "name", "kind", "municipality"]
    list_filter = ["municipality", "kind"]
    search_fields = ["title", "name"]


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    list_display = ["title", "name", "organization", "published", "metadata_modified"]
    list_filter = ["published", "organization__municipality"]
    search_fields = ["title", "name"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
