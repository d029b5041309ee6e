"""Background work of appointments (django-tasks; `rathaus db_worker` runs the queue, `rathaus daily` enqueues)."""

from django_tasks import task

from . import services


@task()
def appointment_reminders_send() -> int:
    """Reminders for tomorrow's appointments (daily)."""
    return services.reminders_send()


@task()
def appointment_holds_expire() -> int:
    """Tidy up lapsed reservations (they stop blocking times at their expiry anyway)."""
    return services.holds_expire()
