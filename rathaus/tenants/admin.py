from django.contrib import admin

from .models import Department, Domain, Municipality


class DepartmentInline(admin.TabularInline):
    model = Department
    extra = 0


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "official_key", "inhabitants"]
    search_fields = ["name", "slug", "official_key"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [DepartmentInline, DomainInline]
