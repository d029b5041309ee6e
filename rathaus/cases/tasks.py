"""Background work of case processing (django-tasks; `rathaus db_worker` runs the queue)."""

from django_tasks import task

from . import automation


@task()
def case_automate(public_id: str) -> None:
    automation.case_automate(public_id=public_id)


@task()
def case_reminders_send() -> int:
    return automation.reminders_send()


@task()
def case_retention_run() -> int:
    from .retention import retention_run

    return retention_run()
