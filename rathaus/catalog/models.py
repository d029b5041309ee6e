from django.db import models
from django.utils.translation import gettext_lazy as _

from rathaus.accounts.models import TrustLevel
from rathaus.core.i18n import localized


class Taxon(models.Model):
    """A topic (Thema) or life situation (Lebenslage) that services are filed under."""

    class Kind(models.TextChoices):
        TOPIC = "topic", _("topic")
        LIFE_SITUATION = "life_situation", _("life situation")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.SlugField(max_length=60)
    name = models.JSONField(help_text=_('{"de": "...", "en": "..."}'))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["kind", "position"]
        constraints = [models.UniqueConstraint(fields=["kind", "code"], name="taxon_unique_code")]

    def __str__(self) -> str:
        return localized(self.name)


class ServiceDefinition(models.Model):
    """A service definition imported from YAML. Shared when `owner` is empty, else one municipality's own."""

    class Access(models.TextChoices):
        ONLINE = "online", _("fully online")
        ONLINE_WITH_APPOINTMENT = "online_with_appointment", _("online, then an appointment")
        APPOINTMENT = "appointment", _("appointment only")
        RESERVATION = "reservation", _("reservation online")
        REPORT = "report", _("report online")

    key = models.SlugField(max_length=60)
    owner = models.ForeignKey(
        "tenants.Municipality",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_definitions",
    )
    leika = models.CharField(_("LeiKa key"), max_length=14, blank=True)
    name = models.JSONField()
    trust_level = models.CharField(max_length=20, choices=TrustLevel.choices)
    access = models.CharField(max_length=30, choices=Access.choices)
    department_code = models.SlugField(max_length=60)
    data = models.JSONField(help_text=_("The whole validated definition"))
    content_hash = models.CharField(max_length=64)
    source = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service definition")
        verbose_name_plural = _("service definitions")
        ordering = ["key"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(owner__isnull=True), name="definition_unique_shared_key"
            ),
            models.UniqueConstraint(fields=["owner", "key"], name="definition_unique_own_key"),
            models.CheckConstraint(
                condition=models.Q(leika="") | models.Q(leika__regex=r"^[0-9]{14}$"),
                name="definition_leika_format",
            ),
        ]

    def __str__(self) -> str:
        return localized(self.name)


class ServiceOffering(models.Model):
    """A municipality offers a definition; it may override fees and texts ("Einer für Alle")."""

    OVERRIDABLE = ("name", "summary", "description", "fees")

    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE, related_name="offerings")
    definition = models.ForeignKey(ServiceDefinition, on_delete=models.CASCADE, related_name="offerings")
    enabled = models.BooleanField(_("offered"), default=True)
    department = models.ForeignKey(
        "tenants.Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offerings",
        help_text=_("Responsible department; empty means the one named by the definition."),
    )
    overrides = models.JSONField(
        _("overrides"),
        default=dict,
        blank=True,
        help_text=_('Own fees and texts: name, summary, description (as {"de": ...}) and fees (as in the definition).'),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("service offering")
        verbose_name_plural = _("service offerings")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "definition"], name="offering_unique_definition"),
        ]

    def __str__(self) -> str:
        return f"{self.definition} ({self.municipality})"
