"""Finding a street of the waste calendar however it is typed: spelling variants and typos.

Street names are compared in their normalised form (rathaus.core.addresses.street_key: case, ß/ss, umlauts,
"Straße"/"Str." do not matter), so "Hauptstrase" already is "Hauptstraße". What remains are typos
("Lindenalee", "Haupstraße"), which RapidFuzz's edit-based similarity tolerates, as the catalogue search does.
A municipality has a few hundred streets, so the ranking runs in memory.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from rathaus.core.addresses import street_key

# Below this similarity (0–100) a street is not offered at all.
FUZZY_CUTOFF = 80.0
# A single candidate at least this similar is taken without asking "did you mean".
SURE = 90.0


@dataclass(frozen=True)
class StreetName:
    key: str  # street_key of the name
    name: str  # as signposted


@dataclass(frozen=True)
class StreetMatch:
    street: StreetName
    score: float  # 100 for the same key


def _score(query: str, key: str) -> float:
    if query == key:
        return 100.0
    if len(query) >= 3 and key.startswith(query):
        return 95.0 - min(10.0, (len(key) - len(query)) / 2)
    if len(query) >= 4 and query in key:
        return 85.0
    if len(query) < 5:
        return 0.0
    return fuzz.ratio(query, key)


def streets_rank(streets: Iterable[StreetName], query: str, *, limit: int = 8) -> list[StreetMatch]:
    """The streets that may be meant by `query`, best first (ties by name)."""
    key = street_key(query)
    if not key:
        return []
    matches = [StreetMatch(street, _score(key, street.key)) for street in streets]
    good = [match for match in matches if match.score >= FUZZY_CUTOFF]
    return sorted(good, key=lambda match: (-match.score, match.street.name))[:limit]
