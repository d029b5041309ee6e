"""How fast package_search answers with 50,000 datasets on PostgreSQL (query plus facets).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/rathaus_bench .venv/bin/python bench/opendata_search.py \
        [--datasets 50000] [--rounds 60] [--keep]

Creates a fresh test database (`test_<name of DATABASE_URL's database>`, dropped at the end unless --keep), fills
it with datasets of two municipalities (titles, descriptions, tags, themes, one to three resources), then calls
the CKAN Action API through Django's test client (the whole middleware stack, no network): package_search with a
full-text query, fq and four facet fields, and as the baseline status_show, in the same run. Prints p50 and p95
and the ratio to the baseline; compare ratios, since shared machines are noisy.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rathaus.settings")

WORDS = (
    "Spielplatz Haushalt Abfall Parken Radweg Brunnen Schule Kita Baum Friedhof Wahl Bevölkerung Verkehr Lärm "
    "Wasser Energie Solar Bus Bahnhof Sitzung Bebauungsplan Straße Brücke Sport Bad Bibliothek Museum Markt "
    "Feuerwehr Hochwasser Wetter Luft Denkmal Gewerbe Tourismus Parkhaus Ladesäule Haltestelle Grünfläche"
).split()
PLACES = "Nord Süd Ost West Altstadt Kernstadt Oberdorf Unterau Heideviertel Mühlbach".split()
QUERIES = ["Spielplatz", "Haushalt Schule", "Radweg Altstadt", "Brunnen", "Ladesäule Nord", "Parken"]
FACETS = '["organization","groups","res_format","license_id"]'


def measure(label: str, work: Callable[[], object], rounds: int) -> tuple[float, float]:
    work()  # warm-up
    durations = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        durations.append(time.perf_counter() - started)
    durations.sort()
    p50 = statistics.median(durations)
    p95 = durations[min(len(durations) - 1, int(len(durations) * 0.95))]
    print(f"{label:<58} p50 {p50 * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms")
    return p50, p95


def fill(count: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from rathaus.opendata import services, vocab
    from rathaus.opendata.models import Dataset, Resource, Tag, Theme
    from rathaus.tenants.services import department_ensure, municipality_ensure

    rng = random.Random(2026)  # noqa: S311 - made-up test data, reproducible
    organizations = []
    for slug, name, key in (
        ("musterstadt", "Musterstadt", "06434990"),
        ("beispielhausen", "Beispielhausen", "06435990"),
    ):
        municipality, _ = municipality_ensure(
            slug=slug,
            defaults={"name": name, "official_key": key, "inhabitants": 50_000, "email": f"info@{slug}.example"},
        )
        for code, title in (("bauamt", "Bauamt"), ("umweltamt", "Umweltamt"), ("strassenverkehr", "Verkehr")):
            department_ensure(municipality=municipality, code=code, name=title)
        services.organizations_ensure(municipality=municipality)
        organizations += list(municipality.opendata_organizations.all())
    tags = [Tag.objects.get_or_create(name=word)[0] for word in WORDS + PLACES]
    themes = [Theme.objects.get_or_create(name=name)[0] for name in vocab.THEMES]
    formats = ["CSV", "JSON", "GeoJSON", "ICS", "PDF", "HTML"]
    now = timezone.now()
    batch = 5000
    for offset in range(0, count, batch):
        datasets, resources, dataset_tags, dataset_themes = [], [], [], []
        for number in range(offset, min(count, offset + batch)):
            organization = rng.choice(organizations)
            words = rng.sample(WORDS, 3)
            place = rng.choice(PLACES)
            title = f"{words[0]} {words[1]} {place} {number}"
            notes = f"Daten zu {words[0]}, {words[1]} und {words[2]} im Ortsteil {place} von {organization.title}."
            chosen_tags = rng.sample(tags, 3)
            dataset = Dataset(
                id=uuid.uuid4(),
                name=f"bench-{number:06d}",
                title=title,
                notes=notes,
                organization=organization,
                license_id=rng.choice(list(vocab.LICENCES)),
                contact_name=organization.title,
                contact_email="daten@example.org",
                frequency=rng.choice(list(vocab.FREQUENCIES)),
                published=True,
                metadata_created=now - timedelta(days=rng.randint(0, 2000)),
                metadata_modified=now - timedelta(days=rng.randint(0, 1000)),
            )
            dataset_formats = rng.sample(formats, rng.randint(1, 3))
            dataset.search_text = " ".join(
                [title, notes, organization.title, " ".join(t.name for t in chosen_tags), " ".join(dataset_formats)]
            ).lower()
            chosen_themes = rng.sample(themes, 2)
            dataset.facet_values = sorted(
                [f"groups:{theme.name}" for theme in chosen_themes]
                + [f"tags:{tag.name}" for tag in chosen_tags]
                + [f"res_format:{code}" for code in dataset_formats]
            )
            datasets.append(dataset)
            dataset_tags += [Dataset.tags.through(dataset_id=dataset.id, tag_id=tag.pk) for tag in chosen_tags]
            dataset_themes += [
                Dataset.themes.through(dataset_id=dataset.id, theme_id=theme.pk) for theme in chosen_themes
            ]
            resources += [
                Resource(
                    dataset=dataset,
                    name=f"{title} ({code})",
                    format=code,
                    url=f"https://daten.example.org/{dataset.name}.{code.lower()}",
                    position=position,
                    created=dataset.metadata_created,
                    last_modified=dataset.metadata_modified,
                )
                for position, code in enumerate(dataset_formats)
            ]
        with transaction.atomic():
            Dataset.objects.bulk_create(datasets)
            Dataset.tags.through.objects.bulk_create(dataset_tags)
            Dataset.themes.through.objects.bulk_create(dataset_themes)
            Resource.objects.bulk_create(resources)
        print(f"  {min(count, offset + batch):>6} of {count} datasets", flush=True)
    with connection.cursor() as cursor:
        # what autovacuum does soon after such a load in production: statistics and the visibility map
        cursor.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--keep", action="store_true", help="keep the test database afterwards")
    arguments = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit(
            "This benchmark needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/name "
            "(it creates and drops its own test database)."
        )

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    print(f"Creating the test database for {settings.DATABASES['default']['NAME']} (migrations) ...", flush=True)
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        print(f"Filling in {arguments.datasets} datasets ...", flush=True)
        started = time.perf_counter()
        fill(arguments.datasets)
        print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
        client = Client()
        queries = iter(range(10**9))

        def search() -> object:
            q = QUERIES[next(queries) % len(QUERIES)]
            response = client.get(
                "/api/3/action/package_search",
                {"q": q, "fq": "-license_id:odbl", "rows": 20, "facet.field": FACETS},
            )
            assert response.status_code == 200, response.content[:300]
            return response

        def search_facets_only() -> object:
            return client.get("/api/3/action/package_search", {"rows": 20, "facet.field": FACETS})

        def status() -> object:
            return client.get("/api/3/action/status_show")

        result = client.get("/api/3/action/package_search", {"q": "Spielplatz", "rows": 0}).json()["result"]
        print(f"'Spielplatz' matches {result['count']} of {arguments.datasets} datasets\n")
        base50, base95 = measure("status_show (baseline)", status, arguments.rounds)
        q50, q95 = measure("package_search q + fq + 4 facets, 20 rows", search, arguments.rounds)
        a50, a95 = measure("package_search all datasets + 4 facets, 20 rows", search_facets_only, arguments.rounds)
        print()
        print(f"query + facets:  p95 {q95 * 1000:.0f} ms = {q95 / base95:.1f} x status_show (p50 {q50 / base50:.1f} x)")
        print(f"all + facets:    p95 {a95 * 1000:.0f} ms = {a95 / base95:.1f} x status_show (p50 {a50 / base50:.1f} x)")
        print(f"target: p95 under 200 ms -> {'met' if q95 < 0.2 else 'NOT met'}")
    finally:
        if not arguments.keep:
            connection.creation.destroy_test_db(old_name, verbosity=0)
        else:
            print(f"kept the test database {connection.settings_dict['NAME']}")


if __name__ == "__main__":
    main()
