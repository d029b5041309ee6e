from django.contrib import admin

from .models import AnalyticsSettings


@admin.register(AnalyticsSettings)
class AnalyticsSettingsAdmin(admin.ModelAdmin):
    """The opt-ins per municipality; municipality admins change them at /verwaltung/statistik/einstellungen/."""

    list_display = ("municipality", "compare", "publish_open_data", "updated_at")
    list_filter = ("compare", "publish_open_data")
