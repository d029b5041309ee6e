"""Typed refusals of defect reports; str() is translated and meant for the person who asked."""

from __future__ import annotations

from rathaus.core.errors import Refusal


class ReportError(Refusal):
    """A refusal of defect reports (core.errors.Refusal: message, code, field)."""


class OutsideArea(ReportError):
    """The location lies outside the municipality."""

    code = "outside_area"


class UnknownCategory(ReportError):
    """No active category with this code in the municipality."""

    code = "unknown_category"


class RateLimited(ReportError):
    """Too many reports from one address or client in a short time."""

    code = "rate_limited"
