from django.core.management.base import BaseCommand

from rathaus.applications.housekeeping import housekeeping


class Command(BaseCommand):
    help = "Remind applicants of drafts that expire soon and delete the entries of expired drafts (run daily)."

    def handle(self, *args, **options):
        report = housekeeping()
        self.stdout.write(f"{report.reminded} reminders sent, {report.expired} drafts expired.")
