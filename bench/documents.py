"""How fast Rathaus writes its documents (decision letters as PDF/A-3b).

    .venv/bin/python bench/documents.py [--rounds 30]

Prints documents per second with p50 and p95 latency for a decision letter with the KERN UX fonts, the same
letter with the fonts decompressed anew each time (what the per-process font cache saves), and a baseline
measured in the same run: a one-line PDF/A without web fonts. Shared machines are noisy,
so compare the ratio, not the absolute numbers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rathaus.settings")


def measure(label: str, work: Callable[[], bytes], rounds: int) -> float:
    work()  # warm-up: templates compiled, fonts decompressed once per process
    durations = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        durations.append(time.perf_counter() - started)
    durations.sort()
    p50 = statistics.median(durations)
    p95 = durations[min(len(durations) - 1, int(len(durations) * 0.95))]
    rate = len(durations) / sum(durations)
    print(f"{label:<40} {rate:8.1f}/s   p50 {p50 * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    rounds = parser.parse_args().rounds

    import django

    django.setup()
    from rathaus.letters import LetterData, html_to_pdf_a, letter_pdf
    from rathaus.tenants.models import Municipality

    municipality = Municipality(
        name="Musterstadt",
        slug="musterstadt",
        official_key="06434001",
        inhabitants=50000,
        street="Rathausplatz 1",
        postal_code="61348",
        city="Musterstadt",
        email="info@musterstadt.example",
        phone="06172 100-0",
    )
    data = LetterData(
        municipality=municipality,
        department="Straßenverkehrsbehörde",
        reference="MUS-2026-000001",
        service_key="bewohnerparkausweis",
        service_name="Bewohnerparkausweis",
        recipient_name="Erika Mustermann",
        recipient_address=("Heidestraße 17", "61348 Musterstadt"),
        letter_date=date(2026, 11, 22),
        received_on=date(2026, 11, 20),
        decision_text="Der Ausweis kommt mit der Post.",
        fee_amount=Decimal("30.70"),
        fee_label="Gebühr nach Gültigkeitsdauer",
        details={"Gültigkeit": "12 Monate"},
    )
    print(f"{rounds} rounds each, after one warm-up")
    baseline = measure(
        "baseline: one-line PDF/A, no web fonts", lambda: html_to_pdf_a(html="<title>x</title><p>Bescheid</p>"), rounds
    )
    letter = measure(
        "decision letter (approval, fee, fonts)", lambda: letter_pdf(data=data, template="approval"), rounds
    )
    from rathaus.letters.pdf import _woff2_as_ttf

    def uncached() -> bytes:
        _woff2_as_ttf.cache_clear()
        return letter_pdf(data=data, template="approval")

    cold = measure("decision letter, fonts decompressed anew", uncached, rounds)
    print(f"ratio letter / baseline: {letter / baseline:.2f}; font cache speed-up: {letter / cold:.1f}x")


if __name__ == "__main__":
    main()
