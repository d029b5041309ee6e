from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import IdentityProvider, OidcIdentity, StaffRole, User


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    inlines = [StaffRoleInline]
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        (
            _("Citizen data"),
            {"fields": ("birthdate", "phone", "street", "house_number", "postal_code", "city", "email_verified_at")},
        ),
    )


@admin.register(IdentityProvider)
class IdentityProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "issuer", "enabled"]
    list_filter = ["municipality", "enabled"]


@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):
    list_display = ["provider", "subject", "user", "last_login_at"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "last_login_at"]
