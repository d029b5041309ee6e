"""Typed refusals of defect reports; str() is translated and meant for the person who asked."""

from __future__ import annotations


class ReportError(Exception):
    """A request that cannot be carried out. `code` is a short machine-readable reason, `field` the form field
    the message belongs to ("" for the whole form)."""

    code = "invalid"

    def __init__(self, message: str, *, code: str = "", field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.field = field

    def __str__(self) -> str:
        return self.message


class OutsideArea(ReportError):
    """The location lies outside the municipality."""

    code = "outside_area"


class UnknownCategory(ReportError):
    """No active category with this code in the municipality."""

    code = "unknown_category"


class RateLimited(ReportError):
    """Too many reports from one address or client in a short time."""

    code = "rate_limited"
