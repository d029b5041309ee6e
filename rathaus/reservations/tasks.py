"""Background work of reservations (django-tasks; `rathaus db_worker` runs the queue, `rathaus daily` enqueues)."""

from django_tasks import task

from . import services


@task()
def reservation_requests_expire() -> int:
    """Requests nobody answered in time lapse, their times are freed and the citizens told (daily)."""
    return services.requests_expire()
