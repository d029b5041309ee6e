"""Background work of the core (django-tasks; `rathaus daily` enqueues)."""

from django_tasks import task

from . import ratelimit


@task()
def rate_counters_purge() -> int:
    """Delete the rate-limit windows that have ended (daily)."""
    return ratelimit.counters_purge()
