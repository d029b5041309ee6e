from django.core.management.base import BaseCommand, CommandParser

from rathaus.audit.verify import PROGRESS_EVERY, audit_verify, protection_installed


class Command(BaseCommand):
    help = (
        "Check the tamper-evident audit trail: recompute every entry's hash, check each link to the entry "
        "before and that no sequence number is missing. Exits 1 and names the first broken entry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--progress-every", type=int, default=PROGRESS_EVERY, help="print progress every N entries")

    def handle(self, *args, progress_every: int, **options) -> None:
        if progress_every < 1:
            progress_every = PROGRESS_EVERY
        if not protection_installed():
            self.stderr.write(
                self.style.WARNING(
                    "Warning: the triggers that keep the audit table append-only are missing or disabled. "
                    "Re-create them (migration audit 0002) and find out who removed them."
                )
            )
        result = audit_verify(
            progress=lambda checked: self.stdout.write(f"... {checked} entries checked"),
            progress_every=progress_every,
        )
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"OK: {result.checked} entries"))
            return
        where = f"entry #{result.first_broken}"
        if result.first_broken_id is not None:
            where += f" (id {result.first_broken_id})"
        self.stderr.write(self.style.ERROR(f"BROKEN: {where}, {result.kind}: {result.reason}."))
        self.stderr.write(
            f"{result.checked} entries checked. Entries before #{result.first_broken} are intact.\n"
            "What to do next: do not change the database further; keep a copy of it as evidence; compare the "
            "entry with the latest backup (restore the audit table from it if the backup's chain verifies); "
            "find out who had write access to the database (database logs, administrator accounts) and report "
            "the incident to the data protection officer and the IT security officer."
        )
        raise SystemExit(1)
