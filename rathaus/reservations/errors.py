"""Typed refusals of reservation requests and decisions; str() is translated and meant for the person asking."""

from __future__ import annotations


class ReservationError(Exception):
    """A request that cannot be carried out. `code` is a short machine-readable reason, `field` the form field the
    message belongs to ("" for the whole form)."""

    code = "invalid"

    def __init__(self, message: str, *, code: str = "", field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.field = field

    def __str__(self) -> str:
        return self.message


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
