"""`rathaus daily`: the daily jobs, queued as tasks for the workers (run it once a day from cron or a timer)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Queue the daily jobs as tasks: draft housekeeping, reminders before due dates and appointments, retention "
        "of closed cases, analytics rollups. "
        "`rathaus db_worker` runs them. With --now they run in this process instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run the jobs here and now instead of queueing them")

    def handle(self, *args, now: bool, **options):
        from rathaus.analytics.tasks import analytics_rollup
        from rathaus.applications.tasks import drafts_housekeeping
        from rathaus.appointments.tasks import appointment_reminders_send
        from rathaus.cases.tasks import case_reminders_send, case_retention_run

        for job in (
            drafts_housekeeping,
            case_reminders_send,
            case_retention_run,
            appointment_reminders_send,
            analytics_rollup,
        ):
            if now:
                self.stdout.write(f"{job.name}: {job.call()}")
            else:
                result = job.enqueue()
                self.stdout.write(f"{job.name}: queued as {result.id}")
