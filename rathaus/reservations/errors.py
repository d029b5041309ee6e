"""Typed refusals of reservation requests and decisions; str() is translated and meant for the person asking."""

from __future__ import annotations

from rathaus.core.errors import Refusal


class ReservationError(Refusal):
    """A refusal of reservations (core.errors.Refusal: message, code, field)."""


class WindowUnavailable(ReservationError):
    """The chosen time cannot be reserved (past, out of season, closed, not offered, too long, taken)."""

    code = "window"


class LinkInvalid(ReservationError):
    """A link from an e-mail that is forged, too old or already used. For a used link, `reservation` is the
    reservation it was for (so the page can say what became of it)."""

    code = "link"

    def __init__(self, message: str, *, code: str = "", reservation: object | None = None) -> None:
        super().__init__(message, code=code)
        self.reservation = reservation
