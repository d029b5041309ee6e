"""Background work of the ID document status (django-tasks; `rathaus daily` enqueues)."""

from django_tasks import task

from . import services


@task()
def id_statuses_purge() -> int:
    """Forget documents some weeks after pickup (daily)."""
    return services.statuses_purge()
