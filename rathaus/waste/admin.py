"""Operators set up districts, streets, waste types and rules in the admin; days come from the import or the rules."""

from django.contrib import admin

from .models import Collection, CollectionRule, District, DistrictStreet, WasteType


class DistrictStreetInline(admin.TabularInline):
    model = DistrictStreet
    fields = ["street", "number_from", "number_to", "parity"]
    extra = 1


class CollectionRuleInline(admin.TabularInline):
    model = CollectionRule
    fields = ["waste_type", "first_day", "interval_weeks", "last_day"]
    extra = 0


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["code", "name", "streets__street"]
    inlines = [DistrictStreetInline, CollectionRuleInline]


@admin.register(WasteType)
class WasteTypeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "colour", "on_request", "municipality"]
    list_filter = ["municipality"]


@admin.register(Collection)
class CollectionAdmin(admin.ModelAdmin):
    list_display = ["day", "waste_type", "district", "planned_day", "source"]
    list_filter = ["district__municipality", "waste_type__code", "source"]
    date_hierarchy = "day"
