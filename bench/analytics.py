"""How fast analytics takes in events and answers the dashboard (PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rathaus_bench_analytics \\
        .venv/bin/python bench/analytics.py [--events 10000000] [--rounds 30] [--keep]

In one run, on the database DATABASE_URL names (migrated by the benchmark; use a database of its own):

1. a plain COPY of the same rows into a table like analytics_event (same columns and indexes), from a file
   written beforehand - the baseline;
2. `generate_events`: generating the synthetic journeys and writing them with COPY into analytics_event;
3. the daily rollup of the whole year;
4. the dashboard over the full year (overview, the Bewohnerparkausweis funnel, the comparison), p50 and p95, and
   one GROUP BY over the raw events of the year for comparison - what the rollups save.

Prints rates and ratios to the baselines; shared machines are noisy, so compare ratios. The benchmark deletes its
events, rollups and the baseline table afterwards (unless --keep).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rathaus.settings")

PLAIN = "bench_analytics_plain_event"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def timed(label: str, work: Callable[[], object], rounds: int) -> tuple[float, float]:
    work()  # warm-up
    durations = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        durations.append(time.perf_counter() - started)
    p50, p95 = statistics.median(durations), percentile(durations, 0.95)
    print(f"  {label:<46} p50 {p50 * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms")
    return p50, p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the events and rollups for a look afterwards")
    arguments = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("The benchmark needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/a_database_of_its_own")

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from rathaus.analytics.generator import rows_for, rows_write
    from rathaus.analytics.models import (
        AnalyticsSettings,
        DailyCount,
        DailyDuration,
        Event,
        MonthlyCount,
        MonthlyDuration,
        RolledDay,
    )
    from rathaus.analytics.periods import period_of
    from rathaus.analytics.progress import ProgressBar
    from rathaus.analytics.rollup import rollup_days
    from rathaus.analytics.selectors import Scope, comparison, overview, service_figures, service_for_scope
    from rathaus.catalog.services import definitions_import, definitions_validate, offerings_add_missing
    from rathaus.core.demo import MUNICIPALITIES
    from rathaus.tenants.services import department_ensure, municipality_ensure

    def write(text: str) -> None:
        sys.stdout.write(text)
        sys.stdout.flush()

    print(f"Database {settings.DATABASES['default']['NAME']}: migrating, two municipalities, the catalogue")
    call_command("migrate", verbosity=0)
    taxonomy, definitions = definitions_validate(settings.RATHAUS_SERVICES_DIR)
    definitions_import(taxonomy=taxonomy, definitions=definitions)
    municipalities = []
    for spec in MUNICIPALITIES:
        municipality, _ = municipality_ensure(slug=spec["slug"], defaults=spec["fields"])
        for code, names in taxonomy.departments.items():
            department_ensure(municipality=municipality, code=code, name=names["de"])
        offerings_add_missing(municipality=municipality)
        municipalities.append(municipality)
    for model in (Event, DailyCount, DailyDuration, MonthlyCount, MonthlyDuration, RolledDay):
        model.objects.filter(municipality__in=municipalities).delete()
    for municipality in municipalities:  # both take part in the comparison
        AnalyticsSettings.objects.update_or_create(municipality=municipality, defaults={"compare": True})

    count, seed = arguments.events, 2026
    end = timezone.localdate() - timedelta(days=1)
    start = end - timedelta(days=arguments.days - 1)

    def rows():
        return rows_for(municipalities=municipalities, count=count, start=start, end=end, seed=seed)

    print(f"\n1. Baseline: plain COPY of {count:,} rows into {PLAIN} (same columns and indexes)")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {PLAIN}")
        cursor.execute(
            f"CREATE TABLE {PLAIN} (LIKE {Event._meta.db_table} "
            "INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES)"
        )
    with tempfile.TemporaryFile("w+", encoding="utf-8") as file:
        bar = ProgressBar(total=count, label="rows written to a file first (not timed)", write=write)
        for i, (name, occurred_at, municipality_id, key, visit, dimensions) in enumerate(rows(), start=1):
            file.write(
                f"{name}\t{occurred_at.isoformat()}\t{municipality_id}\t{key}\t{visit}\t{json.dumps(dimensions)}\n"
            )
            if i % 50_000 == 0:
                bar.update(i)
        bar.update(count)
        bar.finish()
        file.seek(0)
        started = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.copy(
                f"COPY {PLAIN} (name, occurred_at, municipality_id, service_key, visit, dimensions) FROM STDIN"
            ) as copy,
        ):
            while block := file.read(1 << 20):
                copy.write(block)
        plain_seconds = time.perf_counter() - started
    plain_rate = count / plain_seconds
    print(f"  plain COPY: {plain_seconds:.1f} s, {plain_rate:,.0f} rows/s")

    print(f"\n2. generate_events: {count:,} events (journeys generated and written with COPY)")
    bar = ProgressBar(total=count, label="events", write=write)
    started = time.perf_counter()
    rows_write(rows(), progress=bar.update, batch=50_000)
    generate_seconds = time.perf_counter() - started
    bar.finish()
    generate_rate = count / generate_seconds
    print(f"  generate_events: {generate_seconds:.1f} s, {generate_rate:,.0f} events/s")

    print(f"\n3. Rollup of {arguments.days} days")
    days = [start + timedelta(days=i) for i in range(arguments.days)]
    bar = ProgressBar(total=len(days), label="days", write=write)
    started = time.perf_counter()
    result = rollup_days(days=days, progress=lambda done, _total: bar.update(done))
    rollup_seconds = time.perf_counter() - started
    bar.finish()
    print(
        f"  rollup: {rollup_seconds:.1f} s, {result.events / rollup_seconds:,.0f} events/s, {result.rows:,} rollup rows"
    )
    with connection.cursor() as cursor:  # what autovacuum soon does in production: statistics, visibility map
        for model in (DailyCount, DailyDuration, MonthlyCount, MonthlyDuration):
            cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")

    print(f"\n4. Dashboard over the full year ({arguments.rounds} rounds each, after one warm-up)")
    musterstadt = municipalities[0]
    scope = Scope(municipality=musterstadt, service_keys=None)
    year = period_of("frei", start, end)
    parking = service_for_scope(scope=scope, key="bewohnerparkausweis")
    assert parking is not None
    results = [
        timed("overview (all services, trends)", lambda: overview(scope=scope, period=year), arguments.rounds),
        timed(
            "Bewohnerparkausweis funnel",
            lambda: service_figures(scope=scope, service=parking, period=year),
            arguments.rounds,
        ),
        timed("comparison of municipalities", lambda: comparison(period=year, service_keys=None), arguments.rounds),
    ]

    def raw_scan() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT name, service_key, count(*) FROM {Event._meta.db_table} "  # noqa: S608
                "WHERE municipality_id = %s AND occurred_at >= %s GROUP BY name, service_key",
                [musterstadt.pk, timezone.now() - timedelta(days=arguments.days)],
            )
            cursor.fetchall()

    raw = timed("baseline: one GROUP BY over the raw events", raw_scan, max(3, arguments.rounds // 10))

    print("\nSummary")
    print(f"  ingestion: generate_events / plain COPY = {generate_rate / plain_rate:.2f}")
    print(f"  rollup: {result.events / rollup_seconds / plain_rate:.2f} of the plain COPY rate")
    worst = max(p95 for _p50, p95 in results)
    print(f"  dashboard p95 (worst page) {worst * 1000:.0f} ms, target 300 ms: {'met' if worst < 0.3 else 'MISSED'}")
    print(f"  raw GROUP BY / overview p50 = {raw[0] / results[0][0]:.1f}")

    if not arguments.keep:
        print("\nCleaning up (use --keep to keep the data)")
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {PLAIN}")
        for model in (Event, DailyCount, DailyDuration, MonthlyCount, MonthlyDuration, RolledDay):
            model.objects.filter(municipality__in=municipalities).delete()


if __name__ == "__main__":
    main()
