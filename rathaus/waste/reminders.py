"""E-mail reminders of the waste calendar: double opt-in by a signed link, a reminder the day before collections,
an unsubscribe link in every mail. Links carry the subscription's id and nonce, signed with SECRET_KEY."""

from __future__ import annotations

import logging
import smtplib
from datetime import date, timedelta
from typing import Literal

from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rathaus.analytics.services import event_emit
from rathaus.postbox.services import site_url
from rathaus.tenants.models import Municipality

from .models import Collection, ReminderSubscription, WasteType, new_nonce
from .selectors import (
    Place,
    PlaceError,
    place_from_token,
    waste_type_list,
    waste_types_at,
    waste_types_from_codes,
)

logger = logging.getLogger(__name__)
Purpose = Literal["confirm", "unsubscribe"]
CONFIRM_DAYS = 7


class ReminderLinkInvalid(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _signer(purpose: Purpose) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"rathaus.waste.reminder.{purpose}")


def reminder_path(subscription: ReminderSubscription, purpose: Purpose) -> str:
    token = _signer(purpose).sign_object({"s": subscription.pk, "n": subscription.nonce}, compress=True)
    return reverse("waste:reminder_confirm" if purpose == "confirm" else "waste:reminder_unsubscribe", args=[token])


def subscription_from_token(*, municipality: Municipality, token: str, purpose: Purpose) -> ReminderSubscription:
    max_age = timedelta(days=CONFIRM_DAYS) if purpose == "confirm" else None
    try:
        payload = _signer(purpose).unsign_object(token, max_age=max_age)
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        raise ReminderLinkInvalid(_("This link is not valid or too old. Please subscribe again.")) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("s"), int):
        raise ReminderLinkInvalid(_("This link is not valid or too old. Please subscribe again."))
    subscription = ReminderSubscription.objects.filter(municipality=municipality, pk=payload["s"]).first()
    if subscription is None or subscription.nonce != payload.get("n"):
        raise ReminderLinkInvalid(_("This link is not valid any more. Perhaps the reminder was already ended."))
    return subscription


def _send(subscription: ReminderSubscription, template: str, **context: object) -> bool:
    with translation.override(subscription.language):
        base = site_url(subscription.municipality)
        context.update(
            subscription=subscription,
            municipality=subscription.municipality,
            confirm_url=base + reminder_path(subscription, "confirm"),
            unsubscribe_url=base + reminder_path(subscription, "unsubscribe"),
        )
        subject = " ".join(render_to_string(f"waste/mail/{template}_subject.txt", context).split())
        body = render_to_string(f"waste/mail/{template}.txt", context)
    try:
        EmailMessage(subject, body, None, [subscription.email]).send()
    except (smtplib.SMTPException, OSError):
        logger.exception("the %s e-mail of waste reminder %s could not be sent", template, subscription.pk)
        return False
    return True


@transaction.atomic
def reminder_subscribe(
    *, municipality: Municipality, place: Place, email: str, codes: list[str], language: str
) -> ReminderSubscription:
    """Ask for a reminder (nothing is sent before the address is confirmed by the link in the mail sent now)."""
    subscription, _created = ReminderSubscription.objects.update_or_create(
        municipality=municipality,
        email=email.strip().lower(),
        place_token=place.token,
        defaults={"waste_types": ",".join(codes), "language": language, "nonce": new_nonce()},
    )
    transaction.on_commit(lambda: _send(subscription, "reminder_confirm", place=place))
    return subscription


def _types_at(subscription: ReminderSubscription) -> list[WasteType]:
    """The waste types collected at the subscription's place (all of the municipality if the place is gone)."""
    municipality = subscription.municipality
    try:
        place = place_from_token(municipality=municipality, token=subscription.place_token)
    except PlaceError:
        return waste_type_list(municipality=municipality)
    return waste_types_at(municipality=municipality, place=place) or waste_type_list(municipality=municipality)


@transaction.atomic
def reminder_confirm(*, subscription: ReminderSubscription) -> None:
    if subscription.confirmed_at is None:
        subscription.confirmed_at = timezone.now()
        subscription.save(update_fields=["confirmed_at"])
        codes = subscription.codes or [waste_type.code for waste_type in _types_at(subscription)]
        event_emit(
            name="waste_calendar_subscribed",
            municipality=subscription.municipality,
            waste_types=".".join(sorted(codes)),
            method="email",
        )


@transaction.atomic
def reminder_unsubscribe(*, subscription: ReminderSubscription) -> None:
    subscription.delete()


def reminders_send(*, today: date | None = None) -> int:
    """Mail every confirmed subscription whose place has collections tomorrow (once a day); forget subscriptions
    that were never confirmed. Returns the number of reminders sent."""
    today = today or timezone.localdate()
    tomorrow = today + timedelta(days=1)
    ReminderSubscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=timezone.now() - timedelta(days=CONFIRM_DAYS)
    ).delete()
    sent = 0
    due = ReminderSubscription.objects.filter(confirmed_at__isnull=False).exclude(last_sent_on=today)
    for subscription in due.select_related("municipality").order_by("pk"):
        try:
            place = place_from_token(municipality=subscription.municipality, token=subscription.place_token)
            types = waste_types_from_codes(municipality=subscription.municipality, codes=subscription.codes)
        except PlaceError:
            continue  # the street left the calendar; the citizen can still unsubscribe
        collections = list(
            Collection.objects.filter(district=place.district, day=tomorrow, waste_type__in=types)
            .select_related("waste_type")
            .order_by("waste_type__position")
        )
        if collections and _send(
            subscription,
            "reminder",
            place=place,
            collections=collections,
            day=tomorrow,
            names=", ".join(collection.waste_type.name for collection in collections),
        ):
            ReminderSubscription.objects.filter(pk=subscription.pk).update(last_sent_on=today)
            sent += 1
    return sent
