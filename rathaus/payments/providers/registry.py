"""Registered payment providers, and which of them this installation offers."""

from __future__ import annotations

from typing import TypeVar

from django.conf import settings

from .base import Provider

_providers: dict[str, Provider] = {}
P = TypeVar("P", bound=type[Provider])


class ProviderUnknown(LookupError):
    pass


def register(cls: P) -> P:
    """Class decorator: make the provider available under `cls.code`."""
    if cls.code in _providers and type(_providers[cls.code]) is not cls:
        raise ValueError(f"payment provider {cls.code!r} is registered twice")
    _providers[cls.code] = cls()
    return cls


def provider_get(code: str) -> Provider:
    try:
        return _providers[code]
    except KeyError:
        raise ProviderUnknown(code) from None


def providers_enabled() -> list[Provider]:
    """The providers settings.RATHAUS_PAYMENT_PROVIDERS names, in that order."""
    codes = getattr(settings, "RATHAUS_PAYMENT_PROVIDERS", ["sandbox", "invoice"])
    return [provider_get(code) for code in codes]
