"""Background work of applications (django-tasks)."""

from django_tasks import task

from .housekeeping import housekeeping


@task()
def drafts_housekeeping() -> str:
    report = housekeeping()
    return f"{report.reminded} reminders sent, {report.expired} drafts expired"
