"""Fairness against bots and slot trading.

- At most RATHAUS_APPOINTMENT_MAX_OPEN_PER_EMAIL upcoming appointments per e-mail address and municipality
  (checked by the services under a lock, so parallel requests cannot slip past it).
- Per IP address: at most RATHAUS_APPOINTMENT_BOOKINGS_PER_IP booking attempts an hour and
  RATHAUS_APPOINTMENT_QUERIES_PER_IP availability queries in ten minutes; beyond that, HTTP 429.
- Before a limit is reached (from half of it) the booking form carries a proof of work: the browser searches a
  number whose SHA-256 together with a signed challenge starts with RATHAUS_APPOINTMENT_POW_BITS zero bits. That
  costs a person a second once and a bot that books thousands of times hours; no third-party service is involved.
  Many people share one address (mobile networks, libraries), which is why the hard limits are generous and the
  challenge comes first.
- A cancelled time is offered again only after RATHAUS_APPOINTMENT_RELEASE_MINUTES plus a random share of that
  again, so that watching for cancellations does not pay (see services.booking_cancel).

IP addresses are hashed in the rate-limit counters (core.ratelimit) and never stored with a booking.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from rathaus.core.ratelimit import Limit

from .errors import AppointmentError

CHALLENGE_MAX_AGE = timedelta(minutes=30)
POW_SOLVED_ONCE = Limit("appointment-pow-used", 1, int(CHALLENGE_MAX_AGE.total_seconds()))
_SIGNER_SALT = "rathaus.appointments.pow"


def max_open_per_email() -> int:
    return int(settings.RATHAUS_APPOINTMENT_MAX_OPEN_PER_EMAIL)


def release_minutes() -> int:
    return int(settings.RATHAUS_APPOINTMENT_RELEASE_MINUTES)


def bookings_limit() -> Limit:
    return Limit("appointment-bookings-ip", int(settings.RATHAUS_APPOINTMENT_BOOKINGS_PER_IP), 3600)


def queries_limit() -> Limit:
    return Limit("appointment-queries-ip", int(settings.RATHAUS_APPOINTMENT_QUERIES_PER_IP), 600)


class RateLimited(AppointmentError):
    """Too many requests from one address: answered with HTTP 429."""

    code = "rate_limited"


def query_allow(ip: str) -> None:
    """Count one availability query of `ip`; RateLimited when it has asked too often."""
    if not queries_limit().consume(ip):
        raise RateLimited(
            _(
                "You have looked up free times very often in a short time. Please wait ten minutes and try again, "
                "or call us."
            ),
            code="queries_limited",
        )


def booking_allow(ip: str) -> None:
    """Count one booking attempt of `ip`; RateLimited when it has tried too often."""
    if not bookings_limit().consume(ip):
        raise RateLimited(
            _("Too many booking attempts from your connection. Please try again in an hour, or call us."),
            code="bookings_limited",
        )


def challenge_needed(ip: str) -> bool:
    """True from half of a limit on: the next booking needs a proof of work."""
    bookings, queries = bookings_limit(), queries_limit()
    return bookings.count(ip) * 2 >= bookings.limit or queries.count(ip) * 2 >= queries.limit


@dataclass(frozen=True)
class Challenge:
    token: str
    bits: int


def challenge_new() -> Challenge:
    bits = int(settings.RATHAUS_APPOINTMENT_POW_BITS)
    token = signing.TimestampSigner(salt=_SIGNER_SALT).sign(f"{secrets.token_urlsafe(12)}.{bits}")
    return Challenge(token=token, bits=bits)


def leading_zero_bits(digest: bytes) -> int:
    bits = 0
    for byte in digest:
        if byte == 0:
            bits += 8
            continue
        return bits + 8 - byte.bit_length()
    return bits


def solution_valid(token: str, solution: str, bits: int) -> bool:
    digest = hashlib.sha256(f"{token}:{solution}".encode()).digest()
    return leading_zero_bits(digest) >= bits


def challenge_check(token: str, solution: str) -> None:
    """Accept a solved challenge once; AppointmentError (field "pow") when it is missing, wrong, old or reused."""
    refused = AppointmentError(
        _(
            "Your browser could not finish the security check. Please allow JavaScript for this page and book "
            "again, or call us and we book the appointment for you."
        ),
        code="pow",
        field="pow",
    )
    try:
        payload = signing.TimestampSigner(salt=_SIGNER_SALT).unsign(token, max_age=CHALLENGE_MAX_AGE)
        bits = int(payload.rsplit(".", 1)[1])
    except (signing.BadSignature, ValueError, IndexError) as error:
        raise refused from error
    if len(solution) > 20 or not solution_valid(token, solution, bits):
        raise refused
    if not POW_SOLVED_ONCE.consume(token):  # a solved challenge counts once, on every worker
        raise refused
