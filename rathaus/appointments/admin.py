"""Operators set up citizens' offices in the admin; bookings are only shown (they change through the services)."""

from django.contrib import admin

from .models import BlockedTime, Booking, ClosingDay, Counter, Location, LocationService, OpeningHours


class OpeningHoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ClosingDayInline(admin.TabularInline):
    model = ClosingDay
    extra = 0


class BlockedTimeInline(admin.TabularInline):
    model = BlockedTime
    extra = 0
    fields = ["start", "end", "counter", "reason"]


class CounterInline(admin.TabularInline):
    model = Counter
    extra = 0


class LocationServiceInline(admin.TabularInline):
    model = LocationService
    extra = 0


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "department", "active"]
    list_filter = ["municipality", "active"]
    inlines = [OpeningHoursInline, ClosingDayInline, BlockedTimeInline, CounterInline, LocationServiceInline]


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["start", "location", "counter", "status"]
    list_filter = ["location", "status"]
    date_hierarchy = "start"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
