"""Search over published datasets: CKAN's query parameters (q, fq, sort, rows, start, facets) as ORM queries.

`fq` understands the Solr filter syntax harvesters and CKAN clients send: terms `field:value`,
`field:"quoted value"` and `field:[FROM TO UNTIL]` (dates, `*` for open ends, `NOW`), joined by spaces or
`AND`, each optionally negated with `-` (or required with `+`). Anything else is refused with a
SearchParameterError rather than guessed at.

On PostgreSQL `q` is a German full-text query over a stored tsvector (GIN index, migration 0002), ranked with
ts_rank; on SQLite every word must appear in the lower-cased search text.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from . import vocab
from .errors import SearchParameterError
from .models import Dataset, Theme

ROWS_DEFAULT = 10
ROWS_MAX = 1000
# The largest offset anyone may ask for (start, offset, a page): far beyond any catalogue, and well inside the
# databases' integers, which a larger number would overflow.
START_MAX = 1_000_000_000
FACET_LIMIT_DEFAULT = 50
FACET_FIELDS = ("organization", "groups", "tags", "res_format", "license_id")
# `municipality` (the slug) is Rathaus' own: all datasets of a municipality, whichever of its organisations.
FILTER_FIELDS = (*FACET_FIELDS, "municipality", "name", "id", "metadata_modified", "metadata_created")
RANGE_FIELDS = ("metadata_modified", "metadata_created")
SORT_FIELDS = {
    "score": None,  # relevance; without a query the same as metadata_modified
    "metadata_modified": "metadata_modified",
    "metadata_created": "metadata_created",
    "name": "name",
    "title_string": "title",
    "title": "title",
    "id": "id",
}
SORT_DEFAULT = "score desc, metadata_modified desc"
MATCH_ALL = ("", "*:*", "*")

_TERM = re.compile(
    r"""(?P<sign>[+-]?)(?P<field>[A-Za-z_][A-Za-z0-9_.]*):
        (?:"(?P<quoted>(?:[^"\\]|\\.)*)"
          |\[(?P<low>[^\s\]]+)\s+TO\s+(?P<high>[^\s\]]+)\]
          |(?P<bare>[^\s"\[\]()]+))""",
    re.VERBOSE,
)
_CONNECTIVE = re.compile(r"\s*(?:AND\s+|&&\s+)?")


@dataclass(frozen=True)
class Term:
    field: str
    value: str = ""
    low: datetime | None = None
    high: datetime | None = None
    negated: bool = False


@dataclass
class SearchParams:
    q: str = ""
    terms: list[Term] = field(default_factory=list)
    rows: int = ROWS_DEFAULT
    start: int = 0
    sort: str = SORT_DEFAULT
    facet_fields: list[str] = field(default_factory=list)
    facet_limit: int = FACET_LIMIT_DEFAULT
    facet_mincount: int = 1


@dataclass
class FacetItem:
    name: str
    display_name: str
    count: int


@dataclass
class SearchResult:
    count: int
    datasets: list[Dataset]
    facets: dict[str, list[FacetItem]]
    sort: str


def _date_bound(text: str, *, upper: bool) -> datetime | None:
    if text == "*":
        return None
    if text.upper() == "NOW":
        return timezone.now()
    try:  # both also raise ValueError for a well-formed but impossible date such as 2026-13-01
        moment = parse_datetime(text)
        day = parse_date(text) if moment is None else None
    except ValueError:
        raise ValueError(text) from None
    if moment is None:
        if day is None:
            raise ValueError(text)
        moment = datetime.combine(day, time.max if upper else time.min)
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)  # Solr dates are UTC
    return moment


def parse_filter_query(text: str, *, parameter: str = "fq") -> list[Term]:
    """The terms of a Solr-style filter query; SearchParameterError with the position of what cannot be read."""
    terms: list[Term] = []
    position = 0
    text = text.strip()
    while position < len(text):
        match = _TERM.match(text, position)
        if match is None:
            raise SearchParameterError(
                parameter,
                f'Cannot read {parameter!s} at position {position + 1}: expected field:value, field:"value" '
                f"or field:[from TO until] with a field of {', '.join(FILTER_FIELDS)}.",
            )
        name = match["field"]
        if name not in FILTER_FIELDS:
            raise SearchParameterError(
                parameter, f"Unknown field {name!r} in {parameter}; known fields: {', '.join(FILTER_FIELDS)}."
            )
        negated = match["sign"] == "-"
        if match["low"] is not None:
            if name not in RANGE_FIELDS:
                raise SearchParameterError(parameter, f"Ranges are only possible for {', '.join(RANGE_FIELDS)}.")
            try:
                low = _date_bound(match["low"], upper=False)
                high = _date_bound(match["high"], upper=True)
            except ValueError as error:
                raise SearchParameterError(
                    parameter, f"{error} is not a date: use e.g. 2026-01-31T00:00:00Z, NOW or *."
                ) from None
            terms.append(Term(field=name, low=low, high=high, negated=negated))
        else:
            value = match["quoted"] if match["quoted"] is not None else match["bare"]
            value = re.sub(r"\\(.)", r"\1", value)
            if name in RANGE_FIELDS:
                raise SearchParameterError(parameter, f"{name} needs a range such as [2026-01-01T00:00:00Z TO *].")
            terms.append(Term(field=name, value=value, negated=negated))
        position = match.end()
        connective = _CONNECTIVE.match(text, position)
        if connective is not None and connective.end() > position:
            position = connective.end()
        elif position < len(text):
            raise SearchParameterError(parameter, f"Cannot read {parameter} at position {position + 1}.")
    return terms


def _as_int(data: dict[str, Any], name: str, default: int, *, low: int, high: int | None = None) -> int:
    value = data.get(name, default)
    if value in ("", None):
        return default
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise SearchParameterError(name, "Must be a whole number.")
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise SearchParameterError(name, "Must be a whole number.") from None
    if number < low:
        raise SearchParameterError(name, f"Must be at least {low}.")
    if high is not None and number > high:
        raise SearchParameterError(name, f"Must be less than or equal to {high}.")
    return number


def _as_list(data: dict[str, Any], name: str) -> list[str]:
    value = data.get(name)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [value]  # a single field name, as some clients send it
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SearchParameterError(name, 'Must be a list of field names, e.g. ["organization", "groups"].')
    return value


def _as_text(data: dict[str, Any], name: str) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise SearchParameterError(name, "Must be text.")
    if len(value) > 2000:
        raise SearchParameterError(name, "Must be at most 2000 characters.")
    return value


def params_from_request(data: dict[str, Any]) -> SearchParams:
    """package_search's parameters, checked; SearchParameterError names the parameter at fault."""
    params = SearchParams(
        q=_as_text(data, "q").strip(),
        rows=_as_int(data, "rows", ROWS_DEFAULT, low=0, high=ROWS_MAX),
        start=_as_int(data, "start", 0, low=0, high=START_MAX),
        sort=_as_text(data, "sort").strip() or SORT_DEFAULT,
        facet_fields=_as_list(data, "facet.field"),
        facet_limit=_as_int(data, "facet.limit", FACET_LIMIT_DEFAULT, low=-1, high=START_MAX),
        facet_mincount=_as_int(data, "facet.mincount", 1, low=0, high=START_MAX),
    )
    params.terms = parse_filter_query(_as_text(data, "fq"))
    unknown = [name for name in params.facet_fields if name not in FACET_FIELDS]
    if unknown:
        raise SearchParameterError(
            "facet.field", f"Unknown facet field {unknown[0]!r}; known: {', '.join(FACET_FIELDS)}."
        )
    _ordering(params.sort, with_query=False)  # checks the sort before anything is queried
    # A query made only of field:value terms (q=tags:wasser) is a filter, as in Solr.
    if params.q not in MATCH_ALL and _TERM.fullmatch(params.q.split()[0] if params.q.split() else ""):
        try:
            params.terms += parse_filter_query(params.q, parameter="q")
            params.q = ""
        except SearchParameterError:
            pass
    return params


def _term_condition(term: Term) -> Q:
    if term.field in RANGE_FIELDS:
        condition = Q()
        if term.low is not None:
            condition &= Q(**{f"{term.field}__gte": term.low})
        if term.high is not None:
            condition &= Q(**{f"{term.field}__lte": term.high})
        return condition
    value = term.value
    lookups = {
        "organization": Q(organization__name=value),
        "groups": Q(themes__name=value),
        "tags": Q(tags__name=value),
        "res_format": Q(resources__format=_format_code(value)),
        "license_id": Q(license_id=value),
        "name": Q(name=value),
        "municipality": Q(organization__municipality__slug=value),
    }
    if term.field == "id":
        return Q(id=value) if _is_uuid(value) else Q(id__isnull=True)  # matches nothing (an empty IN cannot be SQL)
    if term.field in ("groups", "tags", "res_format"):
        # Through a subquery, so that several terms on related rows neither multiply rows nor exclude each other.
        return Q(pk__in=Dataset.objects.filter(lookups[term.field]).values("pk"))
    return lookups[term.field]


def _format_code(value: str) -> str:
    """The stored spelling of a format ("geojson" -> "GeoJSON"), so the index on it serves the filter."""
    known = vocab.format_for(value)
    return known.code if known else value


def _is_uuid(value: str) -> bool:
    return (
        re.fullmatch(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}", value)
        is not None
    )


def _with_query(datasets: QuerySet[Dataset], q: str) -> tuple[QuerySet[Dataset], bool]:
    """The datasets matching the text query, annotated with `score` on PostgreSQL."""
    if q in MATCH_ALL:
        return datasets, False
    if connection.vendor == "postgresql":
        matched = datasets.extra(where=["search_vector @@ websearch_to_tsquery('german', %s)"], params=[q]).annotate(
            score=RawSQL("ts_rank(search_vector, websearch_to_tsquery('german', %s))", [q])
        )
        return matched, True
    for word in q.lower().split():
        word = word.strip("\"'()+-*")
        if word and word not in ("and", "or", "not"):
            datasets = datasets.filter(search_text__contains=word)
    return datasets, False


def _ordering(sort: str, *, with_query: bool) -> list[tuple[str, bool]]:
    """(column, descending) pairs for `sort`, ending with the id, so that paging never skips or repeats one."""
    ordering: list[tuple[str, bool]] = []
    for part in sort.split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2 or words[0] not in SORT_FIELDS or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise SearchParameterError(
                "sort", f'Cannot sort by {part.strip()!r}: use e.g. "metadata_modified desc" or "name asc".'
            )
        descending = (len(words) == 1 and words[0] == "score") or (len(words) == 2 and words[1] == "desc")
        column = SORT_FIELDS[words[0]]
        if column is None:
            if not with_query:
                continue
            column = "score"
        ordering.append((column, descending))
    ordering.append(("id", False))
    return ordering


def published() -> QuerySet[Dataset]:
    return Dataset.objects.filter(published=True)


def dataset_search(params: SearchParams) -> SearchResult:
    """The page of published datasets the parameters ask for, with the count and the asked-for facets."""
    filtered = published()
    for term in params.terms:
        condition = _term_condition(term)
        filtered = filtered.exclude(condition) if term.negated else filtered.filter(condition)
    filtered, scored = _with_query(filtered, params.q)
    if params.q.strip() in MATCH_ALL and not params.terms and params.facet_fields:
        count, facets, page_ids = _everything_summary(filtered, params)
    else:
        count, facets, page_ids = _matched_summary(filtered, params, scored=scored)
    found = (
        Dataset.objects.filter(id__in=page_ids)
        .select_related("organization__municipality", "organization__department")
        .prefetch_related("themes", "tags", "resources")
        .in_bulk()
    )
    return SearchResult(
        count=count, datasets=[found[i] for i in page_ids if i in found], facets=facets, sort=params.sort
    )


# How long the facets over all datasets are kept at most; any change of a dataset makes new ones at once.
EVERYTHING_CACHE_SECONDS = 300


def _everything_summary(
    filtered: QuerySet[Dataset], params: SearchParams
) -> tuple[int, dict[str, list[FacetItem]], list[uuid.UUID]]:
    """The portal's landing page and harvesters without a query ask for facets over every dataset, which costs the
    most; they only change when a dataset does, so they are kept in the cache under the catalogue's state (the
    number of published datasets and the latest modification) and only the page of ids is read each time."""
    state = published().aggregate(count=Count("id"), latest=Max("metadata_modified"))
    key = (
        "rathaus:opendata:everything:"
        + hashlib.sha256(
            json.dumps(
                [
                    state["count"],
                    str(state["latest"]),
                    sorted(params.facet_fields),
                    params.facet_limit,
                    params.facet_mincount,
                ]
            ).encode()
        ).hexdigest()[:32]
    )
    cached = cache.get(key)
    if cached is None:
        count, facets, page_ids = _matched_summary(filtered, params, scored=False)
        cache.set(key, (count, facets), EVERYTHING_CACHE_SECONDS)
        return count, facets, page_ids
    count, facets = cached
    ordering = [
        f"-{column}" if descending else column for column, descending in _ordering(params.sort, with_query=False)
    ]
    page_ids = list(
        filtered.order_by(*ordering).values_list("id", flat=True)[params.start : params.start + params.rows]
    )
    return count, facets, page_ids


# Grouped counts over the common table expression `matched`. The multi-valued facets (groups, tags, res_format)
# come from the list kept on each row (services.facet_values: "groups:envi", "res_format:CSV", ...), unnested
# once for all three.
FACET_SQL = {
    "organization": "SELECT 'organization', o.name, o.title, COUNT(*) FROM matched m "
    "JOIN opendata_organization o ON o.id = m.organization_id GROUP BY o.name, o.title",
    "license_id": "SELECT 'license_id', m.license_id, m.license_id, COUNT(*) FROM matched m GROUP BY m.license_id",
}
LIST_FACETS = ("groups", "tags", "res_format")
LIST_FACET_SQL = {
    "postgresql": "SELECT 'list', v, '', COUNT(*) FROM matched m, "
    "jsonb_array_elements_text(m.facet_values) v GROUP BY v",
    "sqlite": "SELECT 'list', j.value, '', COUNT(*) FROM matched m, json_each(m.facet_values) j GROUP BY j.value",
}


def _facet_selects(names: list[str]) -> list[str]:
    selects = [FACET_SQL[name] for name in names if name in FACET_SQL]
    if any(name in LIST_FACETS for name in names):
        selects.append(LIST_FACET_SQL["postgresql" if connection.vendor == "postgresql" else "sqlite"])
    return selects


def _matched_summary(
    filtered: QuerySet[Dataset], params: SearchParams, *, scored: bool
) -> tuple[int, dict[str, list[FacetItem]], list[uuid.UUID]]:
    """Count, facets and the ids of the asked-for page in ONE statement.

    The filtered set (full-text match included) is computed once as a common table expression; the count, each
    facet (grouped over the matched rows and the facet values kept on them) and the sorted page are read from it.
    The page's datasets are then fetched by id.
    """
    columns = ["id", "organization_id", "license_id", "facet_values", "metadata_modified", "metadata_created"]
    columns += ["name", "title", *(["score"] if scored else [])]
    matched_sql, matched_params = filtered.order_by().values(*columns).query.sql_with_params()
    order = ", ".join(
        f"{column} {'DESC' if descending else 'ASC'}"
        for column, descending in _ordering(params.sort, with_query=scored)
    )
    selects = [
        "SELECT 'count', '', '', COUNT(*) FROM matched",
        # the columns are fixed names from SORT_FIELDS; rows and start are bound parameters
        f"SELECT * FROM (SELECT 'page', CAST(id AS TEXT), '', 0 FROM matched ORDER BY {order} LIMIT %s OFFSET %s) p",  # noqa: S608
        *_facet_selects(params.facet_fields),
    ]
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    sql = f"WITH matched AS {materialized}({matched_sql}) " + " UNION ALL ".join(selects)
    with connection.cursor() as cursor:
        cursor.execute(sql, (*matched_params, params.rows, params.start))
        rows = cursor.fetchall()
    count = 0
    page_ids: list[uuid.UUID] = []
    facets: dict[str, list[FacetItem]] = {name: [] for name in params.facet_fields}
    for kind, key, label, number in rows:
        if kind == "count":
            count = number
        elif kind == "page":
            page_ids.append(uuid.UUID(key))
        elif kind == "list":
            kind, _colon, key = key.partition(":")
            label = str(Theme(name=key)) if kind == "groups" else key
        if kind in facets and number >= params.facet_mincount:
            facets[kind].append(FacetItem(name=key, display_name=label, count=number))
    for name, items in facets.items():
        items.sort(key=lambda item: (-item.count, item.name))
        if params.facet_limit >= 0:
            facets[name] = items[: params.facet_limit]
    return count, facets, page_ids
