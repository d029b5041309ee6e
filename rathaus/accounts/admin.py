from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import StaffRole, User


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
            {"fields": ("birthdate", "phone", "street", "house_number", "postal_code", "city")},
        ),
    )
