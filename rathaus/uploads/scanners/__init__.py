"""Virus scanner plugins. Importing this package registers the shipped plugins."""

from . import clamd
from .base import CLEAN, Scanner, ScannerUnavailable, ScanResult
from .registry import plugin, plugins, register, scanner_configured

__all__ = [
    "CLEAN",
    "ScanResult",
    "Scanner",
    "ScannerUnavailable",
    "clamd",
    "plugin",
    "plugins",
    "register",
    "scanner_configured",
]
