"""Reads of the audit trail."""

from django.db.models import QuerySet

from .models import AuditEntry


def entries_for_object(*, object_type: str, object_id: str) -> QuerySet[AuditEntry]:
    """Every entry about one object, oldest first. The caller checks that its user may see that object."""
    return AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by("sequence")
