"""Django's admin for the operators of the installation only (superusers).

Staff work in the back office behind the staff login with a second factor; the admin has no second factor, so a
staff role alone (is_staff) must not open it.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class OperatorAdminSite(admin.AdminSite):
    site_header = _("Rathaus administration")
    site_title = _("Rathaus administration")

    def has_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)


class OperatorAdminConfig(AdminConfig):
    default_site = "rathaus.core.adminsite.OperatorAdminSite"
