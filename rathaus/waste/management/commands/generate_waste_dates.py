from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations
from django.utils import timezone

from rathaus.tenants.models import Municipality
from rathaus.waste.models import CollectionRule
from rathaus.waste.services import waste_dates_generate


class Command(BaseCommand):
    help = (
        "Generate a year's waste collection days from the collection rules set up in the admin (every N weeks from "
        "a first day), moved for public holidays: a holiday on a working day moves that week's collections from "
        "the holiday on by one day (two holidays: by two), at most to Saturday. The generated days replace the "
        "stored ones of that year for every district and waste type that has a rule."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("municipality", help="slug of the municipality, e.g. musterstadt")
        parser.add_argument("--year", type=int, help="the year (default: next year)")

    @no_translations
    def handle(self, *args, municipality: str, year: int | None, **options) -> None:
        target = Municipality.objects.filter(slug=municipality).first()
        if target is None:
            known = ", ".join(Municipality.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"Unknown municipality {municipality!r} (known: {known}).")
        year = year or timezone.localdate().year + 1
        if not 2000 <= year <= 2100:
            raise CommandError(f"{year} is not a year between 2000 and 2100.")

        def progress(rule: CollectionRule, count: int) -> None:
            self.stdout.write(f"  district {rule.district.code}, {rule.waste_type.code}: {count} days")

        report = waste_dates_generate(municipality=target, year=year, actor=None, progress=progress)
        if not report.per_district:
            raise CommandError(f"{target.name} has no collection rules. Set them up in the admin (/admin/waste/).")
        self.stdout.write(
            self.style.SUCCESS(
                f"{target.name} {year}: {report.created} days new or changed, {report.removed} removed, "
                f"{report.unchanged} unchanged."
            )
        )
