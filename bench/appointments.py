"""Appointments under load on PostgreSQL: availability queries and bookings per second, as ratios to a trivial
Django view (`/health`: one view, one `SELECT 1`) measured in the same run, with p50 and p95 latency.

    .venv/bin/python bench/appointments.py [--seconds 15] [--clients 8] [--counters 10]

It creates its own database (`rathaus_bench_appointments` on the local PostgreSQL, or DATABASE_URL), an office with
`--counters` counters open Monday to Friday 7:00-19:00, and serves it with `rathaus serve` (gunicorn, 2 x CPU + 1
workers) - the production set-up, mails included (delivered to a local SMTP sink). The clients are processes on the
same machine. Scenarios, in this order:

1. baseline: GET /health
2. availability: the "choose a time" page of a Personalausweis appointment (free days of two weeks and the times of
   one day), for days spread over the month, with an empty calendar
3. bookings: POST of the booking form (hold with the location lock, session, e-mail with the confirmation link);
   all clients book at once, each its own share of the month's times, like a rush after slots are released
4. availability again, with the calendar partly booked
5. baseline again (to see how much the machine drifted during the run)

Shared machines are noisy, so compare the ratios rather than the absolute rates.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from httpload import (
    GetLoop,
    Result,
    database_recreate,
    postgres_url,
    production_server,
    run_clients,
    server_environment,
    smtp_sink,
    timed_request,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rathaus.settings")

SLUG = "bench-buergeramt"
TIMES = f"/termine/{SLUG}/zeiten/"
QUERY = "?anliegen=personalausweis"
# Berlin's figures from the issue: about 5,500 appointments a day; a month of slots can be gone in 90 minutes.
BERLIN_PER_DAY = 5_500
WORKING_DAYS = 21


def set_up(counters: int) -> tuple[list[str], list[str]]:
    """The office and its catalogue; returns the bookable starts of the month (each once per counter) and the
    availability pages to ask for."""
    import django
    from django.core.management import call_command

    django.setup()
    from datetime import time as clock

    from django.conf import settings
    from django.utils import timezone

    from rathaus.appointments.demo import appointments_demo_load
    from rathaus.appointments.models import Counter as Desk
    from rathaus.appointments.models import OpeningHours
    from rathaus.appointments.selectors import concerns_resolve, free_days
    from rathaus.catalog.services import definitions_import, definitions_validate, offerings_add_missing
    from rathaus.tenants.services import department_ensure, municipality_ensure

    print("==> Migrating the benchmark database", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    municipality, _ = municipality_ensure(
        slug="bench", defaults={"name": "Benchstadt", "official_key": "06434990", "inhabitants": 3_800_000}
    )
    department_ensure(municipality=municipality, code="buergerbuero", name="Bürgeramt")
    taxonomy, definitions = definitions_validate(settings.RATHAUS_SERVICES_DIR)
    definitions_import(taxonomy=taxonomy, definitions=definitions)
    offerings_add_missing(municipality=municipality)
    location = appointments_demo_load(municipality=municipality)
    location.slug, location.name, location.lead_minutes, location.horizon_days = SLUG, "Bürgeramt", 0, 31
    location.save(update_fields=["slug", "name", "lead_minutes", "horizon_days"])
    OpeningHours.objects.filter(location=location).delete()
    OpeningHours.objects.bulk_create(
        OpeningHours(location=location, weekday=day, opens=clock(7), closes=clock(19)) for day in range(5)
    )
    for number in range(3, counters + 1):
        Desk.objects.get_or_create(location=location, name=f"Schalter {number}")
    concerns = concerns_resolve(location=location, service_keys=["personalausweis"])
    tomorrow = timezone.localdate() + timedelta(days=1)
    month = free_days(location=location, concerns=concerns, first=tomorrow, days=31)
    minutes = sum(concern.minutes for concern in concerns)
    starts = [  # back to back: a start every `minutes` from 7:00 on
        start.isoformat()
        for day_starts in month.values()
        for start in day_starts
        if (timezone.localtime(start).hour * 60 + timezone.localtime(start).minute - 7 * 60) % minutes == 0
    ]
    # Every start can be booked once per counter; interleaved, so that clients compete for the same times.
    slots = [start for start in starts for _ in range(counters)]
    pages = [
        TIMES + QUERY + "&" + urlencode({"ab": day.isoformat(), "tag": day.isoformat()}) for day in list(month)[:20]
    ]
    from django.db import connections

    connections.close_all()
    print(f"    {len(month)} working days, {counters} counters, {len(slots):,} bookable slots", flush=True)
    return slots, pages


@dataclass(frozen=True)
class BookingRush:
    """Each client books its share of the slots through the booking form, as a browser would (CSRF, session)."""

    slots: tuple[str, ...]

    def __call__(self, base_url: str, client: int, clients: int, seconds: float) -> tuple[list[float], Counter]:
        parts = urlsplit(base_url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        _latency, _status, response, content = timed_request(connection, "GET", TIMES + QUERY)
        cookies = {}
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                cookies[name] = rest.split(";", 1)[0]
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', content).group(1).decode()
        latencies: list[float] = []
        statuses: Counter = Counter()
        deadline = time.perf_counter() + seconds
        for n, start in enumerate(self.slots[client::clients]):
            if time.perf_counter() >= deadline:
                break
            body = urlencode(
                {
                    "csrfmiddlewaretoken": token,
                    "anliegen": "personalausweis",
                    "beginn": start,
                    "name": f"Person {client}-{n}",
                    "email": f"person-{client}-{n}@example.org",
                }
            )
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items()),
                "Referer": base_url + TIMES,
            }
            latency, status, response, _content = timed_request(connection, "POST", TIMES + QUERY, body, headers)
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    cookies[name] = rest.split(";", 1)[0]
            latencies.append(latency)
            statuses[status] += 1
        return latencies, statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15, help="length of each scenario (default 15)")
    parser.add_argument("--clients", type=int, default=8, help="client processes at once (default 8)")
    parser.add_argument("--counters", type=int, default=10, help="counters of the office (default 10)")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    options = parser.parse_args()

    database_url = postgres_url("rathaus_bench_appointments")
    print(f"==> Fresh database {urlsplit(database_url).path.lstrip('/')}", flush=True)
    database_recreate(database_url)
    with smtp_sink() as smtp_port, tempfile.TemporaryDirectory(prefix="rathaus-bench-") as data_dir:
        environment = server_environment(
            database_url,
            Path(data_dir),
            RATHAUS_DEFAULT_MUNICIPALITY="bench",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp_port),
            # The clients all come from 127.0.0.1: the per-connection limits would stop a benchmark at once.
            RATHAUS_APPOINTMENT_QUERIES_PER_IP="100000000",
            RATHAUS_APPOINTMENT_BOOKINGS_PER_IP="100000000",
        )
        os.environ.update(environment)
        slots, pages = set_up(options.counters)
        with production_server(environment, options.workers) as base_url:
            print(
                f"==> {options.workers} gunicorn workers, {options.clients} client processes, "
                f"{options.seconds:g} s per scenario",
                flush=True,
            )
            results: list[Result] = []

            def scenario(label: str, job) -> Result:
                run_clients(label, job, base_url, options.clients, min(2.0, options.seconds))  # warm-up
                result = run_clients(label, job, base_url, options.clients, options.seconds)
                results.append(result)
                print(result.line(results[0] if len(results) > 1 else None), flush=True)
                return result

            first = scenario("baseline: GET /health", GetLoop(("/health",)))
            empty = scenario("availability, empty calendar", GetLoop(tuple(pages)))
            rush = run_clients(
                "bookings (POST booking form)", BookingRush(tuple(slots)), base_url, options.clients, options.seconds
            )
            results.append(rush)
            print(rush.line(first), flush=True)
            booked = scenario("availability, calendar partly booked", GetLoop(tuple(pages)))
            last = scenario("baseline again", GetLoop(("/health",)))

    baseline_rate = (first.rate + last.rate) / 2
    successful = rush.statuses.get(302, 0)
    per_second = successful / rush.seconds if rush.seconds else 0.0
    print()
    print(f"baseline drift during the run: {last.rate / first.rate:.2f}")
    print(
        f"availability / baseline: {empty.rate / baseline_rate:.3f} (empty), {booked.rate / baseline_rate:.3f} (booked)"
    )
    print(f"bookings / baseline: {per_second / baseline_rate:.3f}  (statuses {dict(rush.statuses)})")
    month = BERLIN_PER_DAY * WORKING_DAYS
    if per_second:
        print(
            f"at {per_second:.1f} bookings/s one office on this machine books {per_second * 3600:,.0f} an hour: "
            f"Berlin's day ({BERLIN_PER_DAY:,}) in {BERLIN_PER_DAY / per_second / 60:.1f} min, "
            f"a month ({month:,}) in {month / per_second / 60:.0f} min (Berlin's release rush: 90 min)"
        )


if __name__ == "__main__":
    main()
