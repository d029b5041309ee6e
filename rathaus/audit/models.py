"""The tamper-evident audit trail: one hash-chained, append-only log per installation.

Each entry carries the SHA-256 of the entry before it (`previous_hash`) and its own hash over a canonical
JSON serialisation of all its fields (rathaus.audit.chain). `rathaus verify_audit` recomputes the chain.
The table is append-only in the database: triggers refuse UPDATE and DELETE (migration 0002).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class ActorKind(models.TextChoices):
    USER = "user", _("person")
    SYSTEM = "system", _("system")


class AuditEntry(models.Model):
    """Who did what to which object, when, with the old and new values. Never changed, never deleted."""

    sequence = models.BigIntegerField(_("sequence number"), unique=True, editable=False)
    occurred_at = models.DateTimeField(_("time"), editable=False)
    # PROTECT: a municipality with an audit history cannot be deleted by accident; its log must be archived first.
    municipality = models.ForeignKey(
        "tenants.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The user may be deleted later (staff leave, data protection). SET_NULL would UPDATE this append-only row and
    # change its hash, so the row keeps the id without a database constraint; `actor_label` keeps it readable.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_kind = models.CharField(_("kind of actor"), max_length=10, choices=ActorKind.choices)
    actor_label = models.CharField(_("actor name"), max_length=200)
    action = models.CharField(_("action"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object ID"), max_length=100)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    rule = models.CharField(_("automation rule"), max_length=200, blank=True)
    previous_hash = models.CharField(_("hash of the previous entry"), max_length=64)
    entry_hash = models.CharField(_("hash of this entry"), max_length=64)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "sequence"], name="audit_entry_object"),
            models.Index(fields=["municipality", "sequence"], name="audit_entry_municipality"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(sequence__gte=1), name="audit_entry_sequence_positive"),
            models.CheckConstraint(
                condition=models.Q(actor_kind__in=ActorKind.values), name="audit_entry_actor_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_type}:{self.object_id} by {self.actor_label}"


class AuditChainHead(models.Model):
    """The single row (pk=1) that names the last entry of the chain.

    Appends lock this row (SELECT ... FOR UPDATE) so that two transactions can never both link to the same
    predecessor; it is updated in the appending transaction, so a rolled-back append leaves no gap. It also
    lets verification notice entries cut off at the end of the log.
    """

    last_sequence = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="audit_chain_head_singleton")]

    def __str__(self) -> str:
        return f"audit chain head at #{self.last_sequence}"
