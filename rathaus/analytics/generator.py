"""Synthetic but realistic traffic for the demo and the benchmark: citizens start services (popular ones more often,
more on Mondays than on Sundays, fewer in the summer holidays), stop at some step of the form (the
Bewohnerparkausweis loses most people at the proofs), pay, log in with some trust level, get decisions days later,
book, cancel and miss appointments and file defect reports.

The same seed gives the same events. Events are built as rows and written in bulk: COPY on PostgreSQL, bulk_create
batches on SQLite.
"""

from __future__ import annotations

import itertools
import json
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from rathaus.catalog.selectors import service_list
from rathaus.tenants.models import Municipality

from .models import Event

# Relative popularity of services (others weigh 1).
POPULARITY = {
    "anmeldung-wohnsitz": 12,
    "personalausweis": 10,
    "bewohnerparkausweis": 9,
    "sperrmuellanmeldung": 8,
    "meldebescheinigung": 7,
    "reisepass": 6,
    "wunschkennzeichen": 5,
    "kfz-abmeldung": 4,
    "fuehrungszeugnis": 4,
    "hundesteuer-anmeldung": 3,
    "geburtsurkunde": 3,
    "gewerbeanmeldung": 3,
    "maengelmeldung": 7,
    "kita-platz-anmeldung": 3,
    "halteverbotszone-umzug": 3,
}
# Probability of completing each step once reached (default 0.94), and of sending from the check page (0.9).
STEP_KEEP = {
    "bewohnerparkausweis": {"person": 0.96, "fahrzeug": 0.86, "ausweis": 0.97, "nachweise": 0.6},
}
SEND_KEEP = 0.9
# Fields that show errors most often (others: any field of the step).
TRICKY_FIELDS = {
    "bewohnerparkausweis": {"fahrzeug": ["kennzeichen", "halter_name"], "nachweise": ["fahrzeugschein"]},
}
PAYMENT_METHODS = (("card", 30), ("paypal", 25), ("giropay", 12), ("sepa", 10), ("invoice", 23))
REPORT_CATEGORIES = (
    ("strassenschaden", 30),
    ("beleuchtung", 22),
    ("muell", 25),
    ("gruenflaeche", 13),
    ("sonstiges", 10),
)
# Per weekday (Monday first) and per month (January first).
WEEKDAY = (1.35, 1.2, 1.1, 1.15, 1.0, 0.35, 0.25)
MONTH = (1.25, 1.1, 1.05, 1.0, 0.95, 0.9, 0.75, 0.7, 1.0, 1.05, 1.05, 0.85)
HOURS = [0.1] * 6 + [0.4, 1.0, 1.8, 2.0, 1.9, 1.6, 1.3, 1.3, 1.4, 1.4, 1.5, 1.7, 1.9, 1.8, 1.4, 1.0, 0.6, 0.3]


@dataclass(frozen=True)
class Profile:
    key: str
    weight: float
    kind: str  # "form", "appointment", "report"
    steps: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]  # (step, fields, upload fields)
    paid: bool
    trust_level: str
    guests: bool
    processing_days: int


Row = tuple[str, datetime, int, str, str, dict[str, Any]]  # name, occurred_at, municipality, service, visit, dims


def profiles_for(municipality: Municipality) -> list[Profile]:
    profiles = []
    for service in sorted(service_list(municipality=municipality), key=lambda s: s.key):
        form = service.data.get("form")
        uploads = {entry["id"] for entry in service.documents_upload}
        if service.key == "maengelmeldung":
            kind = "report"
        elif form and service.access != "appointment":
            kind = "form"
        else:
            kind = "appointment"
        steps: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()
        if form and kind == "form":
            steps = tuple(
                (step["id"], tuple(step["fields"]), tuple(f for f in step["fields"] if f in uploads))
                for step in form["layout"]["steps"]
            )
        profiles.append(
            Profile(
                key=service.key,
                weight=POPULARITY.get(service.key, 1),
                kind=kind,
                steps=steps,
                paid=bool(service.fees),
                trust_level=service.trust_level,
                guests=bool(service.data.get("guests_allowed")),
                processing_days=service.processing_time_days,
            )
        )
    return profiles


class Journeys:
    """Events of one municipality between `start` and `end` (local days, inclusive), journey by journey."""

    def __init__(self, *, municipality: Municipality, start: date, end: date, seed: int) -> None:
        self.municipality_id = municipality.pk
        self.rng = random.Random(f"{seed}:{municipality.slug}")  # noqa: S311 - synthetic data, not secrets
        self.profiles = profiles_for(municipality)
        self.tz = timezone.get_default_timezone()
        self.days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        weights = [WEEKDAY[d.weekday()] * MONTH[d.month - 1] * (1 + 0.15 * math.sin(d.toordinal())) for d in self.days]
        self.day_weights = _cumulative(weights)
        self.profile_weights = _cumulative([p.weight for p in self.profiles])
        self.hour_weights = _cumulative(HOURS)
        self.until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=self.tz)

    def _moment(self) -> datetime:
        rng = self.rng
        day = rng.choices(self.days, cum_weights=self.day_weights)[0]
        hour = rng.choices(range(24), cum_weights=self.hour_weights)[0]
        return datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), tzinfo=self.tz)

    def rows(self) -> Iterator[Row]:
        """Journey after journey, endlessly; the caller stops when it has enough."""
        if not self.profiles:
            return
        while True:
            profile = self.rng.choices(self.profiles, cum_weights=self.profile_weights)[0]
            moment = self._moment()
            if profile.kind == "form":
                yield from self._form(profile, moment)
            elif profile.kind == "appointment":
                yield from self._appointment(profile, moment)
            else:
                yield from self._report(profile, moment)

    def _event(self, name: str, at: datetime, key: str = "", visit: str = "", **dimensions: Any) -> Row | None:
        if at >= self.until:
            return None
        return (name, at, self.municipality_id, key, visit, dimensions)

    def _form(self, profile: Profile, at: datetime) -> Iterator[Row]:
        rng = self.rng
        visit = f"{rng.getrandbits(128):032x}"
        key = profile.key
        trust = profile.trust_level
        guest = profile.guests and trust == "niedrig" and rng.random() < 0.45
        events: list[Row | None] = []
        if not guest:
            if trust == "niedrig" and rng.random() < 0.5:
                events.append(self._event("login", at, login_method="password", trust_level="niedrig"))
                level = "niedrig"
            else:
                level = "hoch" if trust == "hoch" or rng.random() < 0.2 else "substanziell"
                events.append(self._event("login", at, login_method="oidc", trust_level=level))
        else:
            level = "niedrig"
        at += timedelta(seconds=rng.randint(10, 90))
        started = at
        events.append(self._event("service_started", at, key, visit, guest=guest))
        keep = STEP_KEEP.get(key, {})
        tricky = TRICKY_FIELDS.get(key, {})
        stopped = False
        for step, fields, uploads in profile.steps:
            at += timedelta(seconds=int(rng.lognormvariate(4.6, 0.6)))
            stays = rng.random() < keep.get(step, 0.94)
            errors = rng.random() < (0.7 if not stays else 0.18)
            if errors and fields:
                candidates = tricky.get(step) or list(fields)
                for field in rng.sample(candidates, k=min(len(candidates), rng.choice((1, 1, 2)))):
                    events.append(self._event("field_invalid", at, key, visit, step=step, field=field))
                events.append(self._event("draft_saved", at, key, visit, step=step))
                at += timedelta(seconds=rng.randint(20, 240))
            for upload in uploads:
                if rng.random() < 0.1:
                    events.append(
                        self._event(
                            "upload_rejected",
                            at,
                            key,
                            reason=rng.choice(("too_large", "type")),
                            field=upload,
                            guest=guest,
                        )
                    )
                if stays:
                    events.append(self._event("upload_accepted", at, key, field=upload, guest=guest))
            if not stays:
                stopped = True
                break
            events.append(self._event("step_completed", at, key, visit, step=step))
        if not stopped:
            at += timedelta(seconds=int(rng.lognormvariate(4.0, 0.5)))
            method = "none"
            if profile.paid:
                method = rng.choices([m for m, _w in PAYMENT_METHODS], weights=[w for _m, w in PAYMENT_METHODS])[0]
                provider = "invoice" if method == "invoice" else "sandbox"
                events.append(self._event("payment_method_chosen", at, key, method=method, provider=provider))
                if method != "invoice":
                    at += timedelta(seconds=rng.randint(30, 200))
                    if rng.random() < 0.06:
                        events.append(
                            self._event("payment_failed", at, key, method=method, provider=provider, reason="failed")
                        )
                        stopped = True
                    else:
                        events.append(self._event("payment_succeeded", at, key, method=method, provider=provider))
            if not stopped and rng.random() < SEND_KEEP:
                at += timedelta(seconds=rng.randint(5, 60))
                if rng.random() < 0.12:  # some finish another day from their saved draft
                    at += timedelta(days=rng.randint(1, 5))
                duration = int((at - started).total_seconds())
                events.append(
                    self._event(
                        "application_submitted", at, key, visit, method=method, trust_level=level, duration=duration
                    )
                )
                events.extend(self._case(profile, at))
        for event in events:
            if event is not None:
                yield event

    def _case(self, profile: Profile, submitted: datetime) -> list[Row | None]:
        rng = self.rng
        key = profile.key
        opened = submitted + timedelta(seconds=2)
        automatic = key == "bewohnerparkausweis" and rng.random() < 0.55
        if automatic:
            days = rng.uniform(0.0005, 0.01)
        else:
            days = rng.lognormvariate(math.log(max(0.5, profile.processing_days * 0.45)), 0.55)
        decided = opened + timedelta(days=days)
        duration = int((decided - opened).total_seconds())
        on_time = (decided.date() - opened.date()).days <= profile.processing_days
        how = "automatic" if automatic else "manual"
        step = "reject" if rng.random() < 0.07 else "approve"
        return [
            self._event("case_opened", opened, key),
            self._event("case_decided", decided, key, step=step, method=how, duration=duration, on_time=on_time),
            self._event("case_closed", decided + timedelta(hours=rng.randint(1, 72)), key, step="close", method=how),
        ]

    def _appointment(self, profile: Profile, at: datetime) -> Iterator[Row]:
        rng = self.rng
        key = profile.key
        events = [self._event("appointment_booked", at, key, count=1, method="online")]
        if rng.random() < 0.88:
            at += timedelta(minutes=rng.randint(1, 25))
            events.append(self._event("appointment_confirmed", at, key, count=1))
            later = at + timedelta(days=rng.randint(2, 20))
            chance = rng.random()
            if chance < 0.09:
                events.append(
                    self._event("appointment_cancelled", later - timedelta(days=1), key, count=1, reason="citizen")
                )
            elif chance < 0.15:
                events.append(self._event("appointment_no_show", later, key, count=1))
        for event in events:
            if event is not None:
                yield event

    def _report(self, profile: Profile, at: datetime) -> Iterator[Row]:
        rng = self.rng
        key = profile.key
        category = rng.choices([c for c, _w in REPORT_CATEGORIES], weights=[w for _c, w in REPORT_CATEGORIES])[0]
        events = [self._event("report_filed", at, key, category=category)]
        if rng.random() < 0.85:
            closed = at + timedelta(days=rng.lognormvariate(math.log(4), 0.8))
            events.append(
                self._event(
                    "report_closed", closed, key, category=category, duration=int((closed - at).total_seconds())
                )
            )
        for event in events:
            if event is not None:
                yield event


def _cumulative(weights: list[float]) -> list[float]:
    total, result = 0.0, []
    for weight in weights:
        total += weight
        result.append(total)
    return result


def rows_for(*, municipalities: list[Municipality], count: int, start: date, end: date, seed: int) -> Iterator[Row]:
    """`count` events, shared among the municipalities by inhabitants.

    The catalogue is read here, before the first row: while COPY writes the rows, the connection can run no query."""
    inhabitants = sum(m.inhabitants for m in municipalities) or 1
    shares, remaining = [], count
    for i, municipality in enumerate(municipalities):
        share = remaining if i == len(municipalities) - 1 else round(count * municipality.inhabitants / inhabitants)
        remaining -= share
        shares.append((Journeys(municipality=municipality, start=start, end=end, seed=seed), share))
    return itertools.chain.from_iterable(itertools.islice(journeys.rows(), share) for journeys, share in shares)


def rows_write(rows: Iterator[Row], *, progress: Callable[[int], None] | None = None, batch: int = 5000) -> int:
    """Write the rows as events in bulk; returns how many."""
    if connection.vendor == "postgresql":
        return _copy(rows, progress=progress, batch=batch)
    written = 0
    adapt = connection.ops.adapt_datetimefield_value
    table = Event._meta.db_table
    sql = (
        f"INSERT INTO {table} (name, occurred_at, municipality_id, service_key, visit, dimensions) "  # noqa: S608
        "VALUES (%s, %s, %s, %s, %s, %s)"
    )
    chunk: list[tuple[Any, ...]] = []
    for name, occurred_at, municipality_id, key, visit, dimensions in rows:
        chunk.append((name, adapt(occurred_at), municipality_id, key, visit, json.dumps(dimensions)))
        if len(chunk) >= batch:
            written += _insert(sql, chunk)
            chunk = []
            if progress:
                progress(written)
    written += _insert(sql, chunk)
    if progress:
        progress(written)
    return written


def _insert(sql: str, chunk: list[tuple[Any, ...]]) -> int:
    """One transaction per batch (a plain multi-row insert, as bulk_create would do, without building models)."""
    if chunk:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, chunk)
    return len(chunk)


COPY_SQL = "COPY {table} (name, occurred_at, municipality_id, service_key, visit, dimensions) FROM STDIN"


def _copy(rows: Iterator[Row], *, progress: Callable[[int], None] | None, batch: int, table: str = "") -> int:
    written = 0
    sql = COPY_SQL.format(table=table or Event._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor, cursor.copy(sql) as copy:
        for name, occurred_at, municipality_id, key, visit, dimensions in rows:
            copy.write_row((name, occurred_at, municipality_id, key, visit, json.dumps(dimensions)))
            written += 1
            if progress and written % batch == 0:
                progress(written)
    if progress:
        progress(written)
    return written
