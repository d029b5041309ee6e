"""`rathaus retention [--dry-run]`: anonymise closed cases whose retention period has ended (see cases/retention.py)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rathaus.cases.retention import Erasure, RetentionCandidate, retention_candidates, retention_run


class Command(BaseCommand):
    help = (
        "Anonymise closed cases whose retention period (retention_years of their service) has ended: documents, "
        "postbox messages, the application and its uploads are deleted; the case row stays for statistics. "
        "With --dry-run, only list what would go."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list the cases that are due; change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            self._list()
            return
        failed: list[str] = []

        def progress(candidate: RetentionCandidate, erasure: Erasure | None, error: Exception | None) -> None:
            case = candidate.case
            if error is not None:
                failed.append(case.reference)
                self.stderr.write(f"{case.reference}: failed ({error.__class__.__name__}); kept for the next run")
            elif erasure is None:
                self.stdout.write(f"{case.reference}: already anonymised")
            else:
                self.stdout.write(
                    f"{case.reference}: anonymised ({erasure.documents} documents, {erasure.messages} messages, "
                    f"{erasure.uploads} uploads deleted)"
                )

        done = retention_run(progress=progress)
        self.stdout.write(f"{done} cases anonymised, {len(failed)} failed.")
        if failed:
            self.stderr.write("Failed: " + ", ".join(failed))

    def _list(self) -> None:
        candidates = retention_candidates()
        for candidate in candidates:
            case = candidate.case
            self.stdout.write(
                f"{case.reference}\t{case.service_key}\tclosed on {candidate.closed_on.isoformat()}\t"
                f"retention {candidate.retention_years} years"
            )
        self.stdout.write(f"{len(candidates)} cases would be anonymised (dry run: nothing was changed).")
