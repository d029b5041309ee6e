"""Typed refusals of ID status changes; str() is translated and meant for staff."""

from __future__ import annotations


class StatusRefused(Exception):
    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message
