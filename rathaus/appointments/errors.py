"""Typed refusals of appointment requests; str() is translated and meant for the citizen."""

from __future__ import annotations

from rathaus.core.errors import Refusal


class AppointmentError(Refusal):
    """A refusal of appointments (core.errors.Refusal: message, code, field)."""


class SlotUnavailable(AppointmentError):
    """The chosen time cannot be booked (past, closed, outside the hours, too long, taken)."""

    code = "slot"


class LinkInvalid(AppointmentError):
    """A confirmation or cancellation link that is forged, outdated or already used."""

    code = "link"
