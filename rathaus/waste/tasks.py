"""Background work of the waste calendar (django-tasks; `rathaus daily` enqueues)."""

from django_tasks import task

from . import reminders


@task()
def waste_reminders_send() -> int:
    """E-mail reminders for tomorrow's collections (daily, in the afternoon or evening)."""
    return reminders.reminders_send()
