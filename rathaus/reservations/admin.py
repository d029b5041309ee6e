"""Operators set up resources, their bookable times and closing days in the admin; reservations are only shown
(they change through the services, which keep the audit trail and tell the citizen)."""

from django.contrib import admin

from .models import Closure, OpeningWindow, Reservation, Resource


class OpeningWindowInline(admin.TabularInline):
    model = OpeningWindow
    extra = 0


class ClosureInline(admin.TabularInline):
    model = Closure
    extra = 0


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "municipality", "department", "active"]
    list_filter = ["municipality", "kind", "active"]
    inlines = [OpeningWindowInline, ClosureInline]


@admin.register(Reservation)
class ReservationAdmin(admin.ModelAdmin):
    list_display = ["start", "resource", "status"]
    list_filter = ["resource", "status"]
    date_hierarchy = "start"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
