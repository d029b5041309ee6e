"""Dataset generators by key (the registry other modules add their open data to)."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured

from .base import DatasetGenerator

_generators: dict[str, type[DatasetGenerator]] = {}


def register(key: str) -> Callable[[type[DatasetGenerator]], type[DatasetGenerator]]:
    """Class decorator: publish what the generator produces as the dataset `<municipality>-<key>`."""

    def decorator(cls: type[DatasetGenerator]) -> type[DatasetGenerator]:
        if key in _generators and _generators[key] is not cls:
            raise ImproperlyConfigured(f"open data generator {key!r} is registered twice")
        cls.key = key
        _generators[key] = cls
        return cls

    return decorator


def generators() -> dict[str, type[DatasetGenerator]]:
    return dict(_generators)


def generator(key: str) -> type[DatasetGenerator]:
    try:
        return _generators[key]
    except KeyError:
        known = ", ".join(sorted(_generators)) or "none"
        raise ImproperlyConfigured(f"unknown open data generator {key!r} (known: {known})") from None
