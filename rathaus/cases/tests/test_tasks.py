"""In production the automation runs as tasks in the database queue, so that requests stay fast; a worker
(`rathaus db_worker`) runs them. Here the real database backend and the real worker command are used."""

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from rathaus.cases.models import Case

from .applying import submit

# The worker closes database connections between tasks, as it must in production; so these tests run outside a
# test transaction.
pytestmark = [pytest.mark.cases, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_the_automation_waits_in_the_queue_until_a_worker_runs_it(
    catalog, musterstadt, erika, caseworker, database_queue
):
    application = submit(
        municipality=musterstadt, key="bewohnerparkausweis", user=erika, answers={"kennzeichen": "MS-TT 1"}
    )
    case = Case.objects.get(application=application)
    assert case.assignee is None  # nothing ran during the request
    queued = DBTaskResult.objects.filter(task_path="rathaus.cases.tasks.case_automate")
    assert queued.count() == 1 and queued.get().status == "READY"

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    case.refresh_from_db()
    assert case.assignee == caseworker
    assert queued.get().status == "SUCCESSFUL"


def test_the_daily_jobs_are_queued_for_the_workers(database_queue, db, capsys):
    call_command("daily")
    paths = set(DBTaskResult.objects.values_list("task_path", flat=True))
    assert paths == {
        "rathaus.applications.tasks.drafts_housekeeping",
        "rathaus.cases.tasks.case_reminders_send",
        "rathaus.cases.tasks.case_retention_run",
        "rathaus.appointments.tasks.appointment_reminders_send",
        "rathaus.idstatus.tasks.id_statuses_purge",
        "rathaus.waste.tasks.waste_reminders_send",
        "rathaus.opendata.tasks.generated_datasets_refresh",
        "rathaus.reservations.tasks.reservation_requests_expire",
        "rathaus.analytics.tasks.analytics_rollup",
        "rathaus.core.tasks.rate_counters_purge",
    }
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
