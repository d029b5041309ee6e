"""Signals other modules listen to. The case module connects to `application_submitted` for the handover."""

from django.dispatch import Signal

# Sent once per application, after the submission is committed; kwargs: application.
application_submitted = Signal()
