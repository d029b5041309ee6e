from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.accounts.selectors import staff_roles_for

from .models import CaseworkerArea, DemoVehicleRecord, ParkingZone, ParkingZoneStreet


class ParkingZoneStreetInline(admin.TabularInline):
    model = ParkingZoneStreet
    fields = ["street", "number_from", "number_to", "parity", "postal_code"]
    extra = 1


@admin.register(ParkingZone)
class ParkingZoneAdmin(admin.ModelAdmin):
    """Zones are usually imported (`rathaus import_parking_zones SLUG FILE.csv`); single changes are made here."""

    list_display = ["code", "name", "municipality", "street_count"]
    list_filter = ["municipality"]
    search_fields = ["code", "name", "streets__street"]
    inlines = [ParkingZoneStreetInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ParkingZone]:
        return super().get_queryset(request).select_related("municipality").annotate(street_total=Count("streets"))

    @admin.display(description=gettext_lazy("streets"), ordering="street_total")
    def street_count(self, zone: ParkingZone) -> int:
        return getattr(zone, "street_total", 0)


@admin.register(ParkingZoneStreet)
class ParkingZoneStreetAdmin(admin.ModelAdmin):
    """All streets of all zones in one list, to answer "which zone is this street in?"."""

    list_display = ["street", "numbers", "zone", "municipality"]
    list_filter = ["zone__municipality", "parity"]
    search_fields = ["street", "street_key"]
    list_select_related = ["zone__municipality"]
    fields = ["zone", "street", "number_from", "number_to", "parity", "postal_code"]

    @admin.display(description=gettext_lazy("house numbers"))
    def numbers(self, street: ParkingZoneStreet) -> str:
        return street.numbers_label() or _("all numbers")

    @admin.display(description=gettext_lazy("municipality"), ordering="zone__municipality__name")
    def municipality(self, street: ParkingZoneStreet) -> str:
        return str(street.zone.municipality)


class CaseworkerAreaForm(forms.ModelForm):
    class Meta:
        model = CaseworkerArea
        fields = ["department", "user", "postal_codes", "initials_from", "initials_to", "position"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only staff can take cases; citizens never appear in the choice.
        self.fields["user"].queryset = (  # type: ignore[attr-defined]
            get_user_model().objects.filter(is_active=True, staff_roles__isnull=False).distinct().order_by("username")
        )

    def clean(self):
        cleaned = super().clean() or {}
        department, user = cleaned.get("department"), cleaned.get("user")
        if department is not None and user is not None:
            roles = staff_roles_for(user=user, municipality=department.municipality)
            if not any(role.department_id == department.pk for role in roles):
                self.add_error("user", _("This person does not work in the department."))
        return cleaned


@admin.register(CaseworkerArea)
class CaseworkerAreaAdmin(admin.ModelAdmin):
    form = CaseworkerAreaForm
    list_display = ["department", "position", "user", "postal_codes", "letters"]
    list_display_links = ["user"]
    list_editable = ["position"]
    list_filter = ["department__municipality", "department"]
    search_fields = ["user__username", "user__last_name", "postal_codes"]
    list_select_related = ["department__municipality", "user"]
    ordering = ["department", "position", "pk"]

    @admin.display(description=gettext_lazy("family names"))
    def letters(self, area: CaseworkerArea) -> str:
        return area.initials_label


@admin.register(DemoVehicleRecord)
class DemoVehicleRecordAdmin(admin.ModelAdmin):
    """The SIMULATED vehicle register of the demo plugin; a real register is connected through a plugin."""

    list_display = ["plate", "family_name", "given_names", "birthdate", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["plate", "family_name", "given_names"]
    list_select_related = ["municipality"]
