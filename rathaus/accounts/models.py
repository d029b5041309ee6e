from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
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
    # A citizen who registered with e-mail and password may log in once the address is confirmed.
    email_verified_at = models.DateTimeField(_("e-mail confirmed at"), null=True, blank=True)

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


class IdentityProvider(models.Model):
    """An OpenID Connect provider a municipality offers for citizen login (BundID, a Land's Servicekonto, ...).

    Usually an identity broker speaks OpenID Connect to Rathaus and SAML or eID to the actual account. The client
    secret is NOT stored in the database: `client_secret_env` names the environment variable that holds it, so
    database dumps and backups carry no secret and a secret is rotated with the deployment's configuration.
    """

    municipality = models.ForeignKey(
        "tenants.Municipality", on_delete=models.CASCADE, related_name="identity_providers"
    )
    slug = models.SlugField(_("short name"), max_length=40, help_text=_("Used in URLs and statistics."))
    name = models.CharField(_("name"), max_length=200)
    button_label = models.CharField(_("button label"), max_length=100, help_text=_("e.g. “Log in with BundID”"))
    issuer = models.URLField(
        _("issuer URL"), help_text=_("Its discovery document is at <issuer>/.well-known/openid-configuration.")
    )
    client_id = models.CharField(_("client ID"), max_length=200)
    client_secret_env = models.CharField(
        _("environment variable with the client secret"),
        max_length=100,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9_]*$", _("Use capital letters, digits and underscores."))],
        help_text=_("The name of the variable (e.g. OIDC_BUNDID_SECRET), never the secret itself."),
    )
    scopes = models.CharField(_("scopes"), max_length=200, default="openid profile email address")
    acr_mapping = models.JSONField(
        _("acr values and their trust levels"),
        default=dict,
        help_text=_(
            'Each acr value the provider sends and its trust level, e.g. {"urn:eidas:loa:substantial": '
            '"substanziell"}. A login with an acr value not listed here is refused.'
        ),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("identity provider")
        verbose_name_plural = _("identity providers")
        ordering = ["municipality", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="identityprovider_unique_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.municipality})"

    def clean(self) -> None:
        if not isinstance(self.acr_mapping, dict) or not self.acr_mapping:
            raise ValidationError({"acr_mapping": _("Map at least one acr value to a trust level.")})
        levels = set(TrustLevel.values)
        for acr, level in self.acr_mapping.items():
            if not isinstance(acr, str) or not acr or level not in levels:
                raise ValidationError(
                    {"acr_mapping": _("Every trust level must be one of: niedrig, substanziell, hoch.")}
                )
        from .oidc import url_allowed  # the OIDC client imports this module

        if self.issuer and not url_allowed(self.issuer):
            raise ValidationError({"issuer": _("Use an https:// address (plain http only on this machine).")})
        if "openid" not in self.scopes.split():
            raise ValidationError({"scopes": _("The scopes must contain “openid”.")})

    def trust_level_for(self, acr: object) -> str | None:
        """The trust level an acr value of this provider stands for; None when the value is unknown or missing."""
        if not isinstance(acr, str):
            return None
        level = self.acr_mapping.get(acr)
        return level if level in TrustLevel.values else None

    @property
    def highest_trust_level(self) -> str | None:
        levels = [level for level in self.acr_mapping.values() if level in TrustLevel.values]
        return max(levels, key=TrustLevel.rank) if levels else None

    def acr_values_for(self, required_trust_level: str) -> list[str]:
        """The acr values that reach `required_trust_level`, weakest first (the order of preference we ask for)."""
        required = TrustLevel.rank(required_trust_level)
        reaching = [
            (TrustLevel.rank(level), acr)
            for acr, level in self.acr_mapping.items()
            if level in TrustLevel.values and TrustLevel.rank(level) >= required
        ]
        return [acr for _rank, acr in sorted(reaching)]


class OidcIdentity(models.Model):
    """Links a user to the subject (`sub`) an identity provider knows them by."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="identities")
    subject = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="oidc_identities")
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("OpenID Connect identity")
        verbose_name_plural = _("OpenID Connect identities")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="oidcidentity_unique_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.provider.slug}:{self.subject}"


class StaffTotp(models.Model):
    """A staff member's TOTP secret (RFC 6238). Confirmed once the first code from the authenticator app matched."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="staff_totp")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0, help_text="Time step of the last accepted code (no replay).")

    class Meta:
        verbose_name = _("second factor (TOTP)")
        verbose_name_plural = _("second factors (TOTP)")

    def __str__(self) -> str:
        return f"TOTP {self.user}"
