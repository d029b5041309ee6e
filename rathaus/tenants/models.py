from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from .validators import validate_colour, validate_official_key


class Municipality(models.Model):
    """A Kommune served by this installation."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    official_key = models.CharField(
        _("official municipality key (AGS)"), max_length=8, unique=True, validators=[validate_official_key]
    )
    inhabitants = models.PositiveIntegerField(_("inhabitants"))
    brand_colour = models.CharField(_("brand colour"), max_length=7, default="#004B76", validators=[validate_colour])
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    opening_hours = models.TextField(_("opening hours"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(official_key__regex=r"^(0[1-9]|1[0-6])[0-9]{6}$"),
                name="municipality_official_key_format",
            ),
            models.CheckConstraint(
                condition=models.Q(brand_colour__regex=r"^#[0-9a-fA-F]{6}$"),
                name="municipality_brand_colour_format",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A Fachamt. `code` ties it to the department codes of service definitions."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="departments")
    code = models.SlugField(_("code"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="department_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"


class Domain(models.Model):
    """A host name under which a municipality is served, e.g. `service.musterstadt.de`."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="domains")
    host = models.CharField(_("host name"), max_length=253, help_text=_("Without port, e.g. service.musterstadt.de"))
    is_primary = models.BooleanField(_("primary host"), default=False)

    class Meta:
        verbose_name = _("host name")
        verbose_name_plural = _("host names")
        constraints = [
            models.UniqueConstraint(Lower("host"), name="domain_unique_host"),
        ]

    def __str__(self) -> str:
        return self.host

    def save(self, *args, **kwargs) -> None:
        self.host = self.host.strip().lower()
        super().save(*args, **kwargs)
