"""Typed refusals of appointment requests; str() is translated and meant for the citizen."""

from __future__ import annotations


class AppointmentError(Exception):
    """A request that cannot be carried out. `code` is a short machine-readable reason (also the analytics code),
    `field` the form field the message belongs to ("" for the whole form)."""

    code = "invalid"

    def __init__(self, message: str, *, code: str = "", field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.field = field

    def __str__(self) -> str:
        return self.message


class SlotUnavailable(AppointmentError):
    """The chosen time cannot be booked (past, closed, outside the hours, too long, taken)."""

    code = "slot"


class LinkInvalid(AppointmentError):
    """A confirmation or cancellation link that is forged, outdated or already used."""

    code = "link"
