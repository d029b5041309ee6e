"""Signals other modules listen to. The case module connects to `citizen_replied` (a waiting case resumes)."""

from django.dispatch import Signal

# Sent once per reply, after the reply is committed; kwargs: message (the administration's request), reply.
citizen_replied = Signal()
