"""German full-text search over the (small) catalogue of one municipality.

A catalogue has tens to a few hundred services, so the index is built in memory per query. German needs
three things a plain LIKE cannot do: stemming ("parken" finds "Parkausweis"), parts of compound words
("Bewohnerparkausweis" contains "park") and typo tolerance ("Gewerbeanmledung").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, TypeVar

from rapidfuzz.distance import OSA
from snowballstemmer import stemmer

_GERMAN = stemmer("german")
_WORD = re.compile(r"[\w]+", re.UNICODE)
STOP_WORDS = frozenset(
    (
        "der die das den dem des ein eine einen einem einer und oder für fur mit von vom zum zur im in am an auf "
        "ich mein meine meinen wie was wo wann ist sind bei aus nach zu"
    ).split()
)

# Weights: where a word is found matters more than how.
FIELD_WEIGHTS = {"name": 5.0, "keywords": 4.0, "taxa": 2.0, "summary": 2.0, "description": 1.0}


class Searchable(Protocol):
    def search_texts(self) -> dict[str, str]: ...


T = TypeVar("T", bound=Searchable)


def fold(text: str) -> str:
    """Lowercase and fold umlauts and ß, so 'Straße', 'strasse' and 'Strasse' are one word."""
    text = text.lower().replace("ß", "ss").replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    text = unicodedata.normalize("NFKD", text)
    return "".join(char for char in text if not unicodedata.combining(char))


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    # The snowball stemmer expects umlauts; fold after stemming.
    return fold(_GERMAN.stemWord(word.lower()))


def terms(text: str) -> list[str]:
    """The stemmed, folded words of `text`, without stop words."""
    return [stem(word) for word in _WORD.findall(text) if word.lower() not in STOP_WORDS and len(word) > 1]


@dataclass(frozen=True)
class _Entry:
    fields: dict[str, tuple[str, ...]]


def _typo_budget(length: int) -> int:
    if length >= 9:
        return 2
    if length >= 5:
        return 1
    return 0


def _term_score(query_term: str, words: Sequence[str]) -> float:
    """1.0 exact, 0.8 prefix, 0.6 part of a compound word; typos score less the more letters are off."""
    best = 0.0
    budget = _typo_budget(len(query_term))
    for word in words:
        if word == query_term:
            return 1.0
        if word.startswith(query_term) and len(query_term) >= 3:
            best = max(best, 0.8)
        elif len(query_term) >= 4 and query_term in word:
            best = max(best, 0.6)
        elif budget and abs(len(word) - len(query_term)) <= budget:
            distance = OSA.distance(query_term, word, score_cutoff=budget)
            if distance <= budget:
                best = max(best, 0.6 - 0.1 * distance)
        if budget and best < 0.5 and len(word) > len(query_term) + budget:
            # a misspelt part of a compound word ("parkausweiss" in "bewohnerparkausweis")
            distance = _fuzzy_infix_distance(query_term, word, budget)
            if distance <= budget:
                best = max(best, 0.5 - 0.1 * distance)
    return best


def _fuzzy_infix_distance(query_term: str, word: str, budget: int) -> int:
    """The smallest edit distance between `query_term` and any part of `word` (budget + 1 if none is close)."""
    size = len(query_term)
    best = budget + 1
    for length in range(max(3, size - budget), size + budget + 1):
        for start in range(0, len(word) - length + 1):
            best = min(best, OSA.distance(query_term, word[start : start + length], score_cutoff=budget + 1))
            if best == 0:
                return 0
    return best


def rank(items: Iterable[T], query: str) -> list[T]:
    """Items matching every meaningful word of `query`, best first."""
    query_terms = terms(query)
    if not query_terms:
        return list(items)
    scored = []
    for position, item in enumerate(items):
        entry = _Entry({name: tuple(terms(text)) for name, text in item.search_texts().items()})
        total = 0.0
        for query_term in query_terms:
            term_best = max(
                (FIELD_WEIGHTS.get(name, 1.0) * _term_score(query_term, words) for name, words in entry.fields.items()),
                default=0.0,
            )
            if term_best == 0.0:
                break
            total += term_best
        else:
            scored.append((-total, position, item))
    return [item for _score, _position, item in sorted(scored, key=lambda row: row[:2])]
