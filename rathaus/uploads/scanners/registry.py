"""Scanner plugins by identifier, and the one the settings switch on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import Scanner

_plugins: dict[str, type[Scanner]] = {}


def register(identifier: str) -> Callable[[type[Scanner]], type[Scanner]]:
    """Class decorator: make a Scanner plugin known under `identifier`."""

    def decorator(cls: type[Scanner]) -> type[Scanner]:
        if identifier in _plugins and _plugins[identifier] is not cls:
            raise ImproperlyConfigured(f"virus scanner {identifier!r} is registered twice")
        cls.identifier = identifier
        _plugins[identifier] = cls
        return cls

    return decorator


def plugin(identifier: str) -> type[Scanner]:
    try:
        return _plugins[identifier]
    except KeyError:
        known = ", ".join(sorted(_plugins)) or "none"
        raise ImproperlyConfigured(f"unknown virus scanner {identifier!r} (known: {known})") from None


def plugins() -> dict[str, type[Scanner]]:
    return dict(_plugins)


def scanner_configured() -> Scanner | None:
    """The scanner the settings switch on, or None when scanning is not configured.

    `RATHAUS_CLAMD = {"socket": "/run/clamav/clamd.ctl"}` or `{"host": "clamav", "port": 3310}` (optionally
    `"timeout"` in seconds) switches on the clamd plugin; without it uploads are stored as "not scanned".
    """
    options: dict[str, Any] | None = getattr(settings, "RATHAUS_CLAMD", None)
    if not options:
        return None
    return plugin("clamd").from_options(options)
