"""Reads of the postbox, always for the citizen asking: nobody sees another's messages or documents."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from rathaus.applications.models import Application
from rathaus.tenants.models import Municipality

from .models import Document, Message

TO_CITIZEN = Message.Direction.TO_CITIZEN


def _uuid(value: UUID | str) -> UUID | None:
    try:
        return value if isinstance(value, UUID) else UUID(str(value))
    except ValueError:
        return None


def _inbox(user: AbstractBaseUser) -> QuerySet[Message]:
    """The administration's messages to `user`, with whether they have been answered."""
    return (
        Message.objects.filter(recipient_id=user.pk, direction=TO_CITIZEN)
        .select_related("application__definition")
        .annotate(answered=Exists(Message.objects.filter(in_reply_to=OuterRef("pk"))))
        .order_by("-created_at", "-pk")
    )


def messages_for_user(*, user: AbstractBaseUser, municipality: Municipality) -> QuerySet[Message]:
    """The postbox: the administration's messages to `user` in `municipality`, newest first."""
    return _inbox(user).filter(municipality=municipality)


def message_get_for_user(
    *, user: AbstractBaseUser, municipality: Municipality, public_id: UUID | str
) -> Message | None:
    """One of the administration's messages to `user` in `municipality`, with its documents and the reply; else None."""
    uuid = _uuid(public_id)
    if uuid is None:
        return None
    return (
        _inbox(user)
        .filter(municipality=municipality, public_id=uuid)
        .prefetch_related(
            "documents",
            Prefetch(
                "replies",
                queryset=Message.objects.filter(recipient_id=user.pk).prefetch_related("attachments"),
            ),
        )
        .first()
    )


def unread_count(*, user: AbstractBaseUser, municipality: Municipality) -> int:
    return Message.objects.filter(
        recipient_id=user.pk, municipality=municipality, direction=TO_CITIZEN, read_at__isnull=True
    ).count()


def messages_for_application(*, user: AbstractBaseUser | AnonymousUser, application: Application) -> list[Message]:
    """The administration's messages about `application`, for its applicant only (guests have no postbox)."""
    if not user.is_authenticated or application.applicant_id != user.pk:
        return []
    return list(_inbox(user).filter(application=application))


def document_get_for_user(
    *, user: AbstractBaseUser, municipality: Municipality, public_id: UUID | str
) -> Document | None:
    """A document the administration sent to `user` in `municipality`; else None."""
    uuid = _uuid(public_id)
    if uuid is None:
        return None
    sent_to_user = Message.objects.filter(
        documents=OuterRef("pk"), recipient_id=user.pk, direction=TO_CITIZEN, municipality=municipality
    )
    return Document.objects.filter(public_id=uuid, municipality=municipality).filter(Exists(sent_to_user)).first()
