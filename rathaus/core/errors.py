"""The base of every module's typed refusals: a translated message for the person who asked, a short code for
programs and statistics, and the form field it belongs to. Views turn them into 4xx answers."""

from __future__ import annotations


class Refusal(Exception):
    """A request that cannot be carried out. `code` is a short machine-readable reason (also the analytics code),
    `field` the form field the message belongs to ("" for the whole form). str() is the translated message."""

    code = "invalid"

    def __init__(self, message: str, *, code: str = "", field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        self.field = field

    def __str__(self) -> str:
        return self.message
