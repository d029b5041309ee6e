from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from .models import ServiceDefinition, ServiceOffering, Taxon
from .services import offering_overrides_check, offering_update


@admin.register(ServiceDefinition)
class ServiceDefinitionAdmin(admin.ModelAdmin):
    """Definitions come from YAML files (`rathaus import_services`); here they are only read."""

    list_display = ["key", "__str__", "owner", "trust_level", "access", "updated_at"]
    list_filter = ["trust_level", "access", "owner"]
    search_fields = ["key", "leika"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ServiceOfferingForm(forms.ModelForm):
    class Meta:
        model = ServiceOffering
        fields = ["enabled", "department", "overrides"]

    def clean(self):
        cleaned = super().clean() or {}
        problems = offering_overrides_check(definition=self.instance.definition, overrides=cleaned.get("overrides"))
        if problems:
            self.add_error("overrides", problems)
        department = cleaned.get("department")
        if department is not None and department.municipality_id != self.instance.municipality_id:
            self.add_error("department", forms.ValidationError(_("The department belongs to another municipality.")))
        return cleaned


@admin.register(ServiceOffering)
class ServiceOfferingAdmin(admin.ModelAdmin):
    form = ServiceOfferingForm
    list_display = ["definition", "municipality", "enabled", "department"]
    list_filter = ["municipality", "enabled"]
    list_editable = ["enabled"]
    search_fields = ["definition__key"]
    readonly_fields = ["municipality", "definition"]

    def has_add_permission(self, request) -> bool:
        return False  # offerings are created by `rathaus enable_services`

    def save_model(self, request, obj: ServiceOffering, form, change: bool) -> None:
        # The department is a plain field; overrides and enabling go through the service, which validates.
        if "department" in form.changed_data:
            obj.save(update_fields=["department", "updated_at"])
        offering_update(
            offering=ServiceOffering.objects.get(pk=obj.pk),
            overrides=form.cleaned_data.get("overrides", obj.overrides),
            enabled=form.cleaned_data.get("enabled", obj.enabled),
        )


@admin.register(Taxon)
class TaxonAdmin(admin.ModelAdmin):
    list_display = ["code", "__str__", "kind", "position"]
    list_filter = ["kind"]
