from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrustLevel(models.TextChoices):
    """Vertrauensniveau of a login, as eIDAS and BundID name them (ordered from weak to strong)."""

    NIEDRIG = "niedrig", _("low (niedrig)")
    SUBSTANZIELL = "substanziell", _("substantial (substanziell)")
    HOCH = "hoch", _("high (hoch)")

    @classmethod
    def rank(cls, level: str) -> int:
        return [choice.value for choice in cls].index(level)


class User(AbstractUser):
    """A citizen or a staff member. Staff have StaffRole rows; citizens have none."""

    email = models.EmailField(_("e-mail address"), unique=True)
    birthdate = models.DateField(_("date of birth"), null=True, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class StaffRole(models.Model):
    """A staff member's role in a municipality, optionally limited to one department."""

    class Role(models.TextChoices):
        CASEWORKER = "caseworker", _("caseworker")
        TEAM_LEAD = "team_lead", _("team lead")
        DEPARTMENT_ADMIN = "department_admin", _("department admin")
        MUNICIPALITY_ADMIN = "municipality_admin", _("municipality admin")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles")
    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="staff_roles")
    department = models.ForeignKey(
        "tenants.Department", on_delete=models.CASCADE, null=True, blank=True, related_name="staff_roles"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality", "department", "role"], name="staffrole_unique"),
            models.UniqueConstraint(
                fields=["user", "municipality", "role"],
                condition=models.Q(department__isnull=True),
                name="staffrole_unique_without_department",
            ),
            # Only a municipality admin works without a department.
            models.CheckConstraint(
                condition=models.Q(role="municipality_admin") | models.Q(department__isnull=False),
                name="staffrole_department_required",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.department or self.municipality})"
