"""`rathaus daily`: the daily jobs, queued as tasks for the workers (run it once a day from cron or a timer)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Queue the daily jobs as tasks: draft housekeeping, reminders before due dates and appointments, retention "
        "of closed cases, forgetting ID document statuses some weeks after pickup, waste collection reminders, "
        "regeneration of the open data Rathaus publishes, reservation requests nobody answered in time, analytics "
        "rollups, expired rate-limit windows. "
        "`rathaus db_worker` runs them. With --now they run in this process instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--now", action="store_true", help="run the jobs here and now instead of queueing them")

    def handle(self, *args, now: bool, **options):
        from rathaus.analytics.tasks import analytics_rollup
        from rathaus.applications.tasks import drafts_housekeeping
        from rathaus.appointments.tasks import appointment_reminders_send
        from rathaus.cases.tasks import case_reminders_send, case_retention_run
        from rathaus.core.tasks import rate_counters_purge
        from rathaus.idstatus.tasks import id_statuses_purge
        from rathaus.opendata.tasks import generated_datasets_refresh
        from rathaus.reservations.tasks import reservation_requests_expire
        from rathaus.waste.tasks import waste_reminders_send

        jobs = (
            drafts_housekeeping,
            case_reminders_send,
            case_retention_run,
            appointment_reminders_send,
            id_statuses_purge,
            waste_reminders_send,
            reservation_requests_expire,
            analytics_rollup,
            generated_datasets_refresh,
            rate_counters_purge,
        )
        for job in jobs:
            if now:
                self.stdout.write(f"{job.name}: {job.call()}")
            else:
                result = job.enqueue()
                self.stdout.write(f"{job.name}: queued as {result.id}")
