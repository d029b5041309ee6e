"""package_search's parameters: the Solr-style filter syntax and its limits."""

from __future__ import annotations

import pytest

from rathaus.opendata import search
from rathaus.opendata.errors import SearchParameterError

pytestmark = [pytest.mark.opendata]


def test_filter_terms_quoted_ranges_and_negation():
    terms = search.parse_filter_query(
        'organization:musterstadt AND tags:"Freizeit und Sport" -res_format:PDF '
        "metadata_modified:[2026-01-01T00:00:00Z TO *]"
    )
    assert [(t.field, t.value, t.negated) for t in terms[:3]] == [
        ("organization", "musterstadt", False),
        ("tags", "Freizeit und Sport", False),
        ("res_format", "PDF", True),
    ]
    assert terms[3].low is not None and terms[3].low.year == 2026 and terms[3].high is None


@pytest.mark.parametrize(
    "fq",
    [
        'organization:"musterstadt',
        "organization",
        "owner:x",
        "tags:[a TO b]",
        "metadata_modified:gestern",
        "metadata_modified:[gestern TO *]",
        "organization:a)",
    ],
)
def test_malformed_filters_are_refused(fq):
    with pytest.raises(SearchParameterError) as refused:
        search.parse_filter_query(fq)
    assert refused.value.field == "fq"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"rows": "1001"}, "rows"),
        ({"rows": "-1"}, "rows"),
        ({"rows": "viele"}, "rows"),
        ({"start": "-5"}, "start"),
        ({"sort": "name sideways"}, "sort"),
        ({"facet.field": '["owner"]'}, "facet.field"),
        ({"facet.field": "{}"}, "facet.field"),
        ({"q": ["a"]}, "q"),
        ({"start": "99999999999999999999999"}, "start"),
        ({"start": float("inf")}, "start"),
        ({"rows": 1.5}, "rows"),
        ({"facet.limit": "99999999999999999999999"}, "facet.limit"),
    ],
)
def test_parameters_out_of_range_name_the_parameter(data, field):
    with pytest.raises(SearchParameterError) as refused:
        search.params_from_request(data)
    assert refused.value.field == field


def test_an_impossible_date_in_a_range_is_named_as_sent():
    with pytest.raises(SearchParameterError) as refused:
        search.parse_filter_query("metadata_modified:[2026-13-01 TO *]")
    assert refused.value.message.startswith("2026-13-01 is not a date")


@pytest.mark.django_db
def test_an_id_that_is_no_uuid_finds_nothing():
    found = search.dataset_search(search.params_from_request({"fq": "id:abc", "facet.field": '["tags"]'}))
    assert (found.count, found.datasets) == (0, [])


def test_defaults_follow_ckan():
    params = search.params_from_request({})
    assert (params.rows, params.start, params.sort) == (10, 0, "score desc, metadata_modified desc")
    assert search.params_from_request({"q": "tags:Parken"}).terms[0].value == "Parken"


@pytest.mark.django_db
def test_facets_over_every_dataset_come_from_the_cache_until_a_dataset_changes(
    demo_datasets, django_assert_num_queries
):
    from django.core.cache import cache
    from django.utils import timezone

    from rathaus.opendata.models import Dataset

    cache.clear()
    params = search.params_from_request({"facet.field": '["organization", "res_format"]', "rows": "2"})
    first = search.dataset_search(params)
    again = search.dataset_search(params)
    assert (again.count, again.facets) == (first.count, first.facets)
    assert [d.id for d in again.datasets] == [d.id for d in first.datasets]
    changed = Dataset.objects.filter(published=True).first()
    Dataset.objects.filter(pk=changed.pk).update(published=False, metadata_modified=timezone.now())
    after = search.dataset_search(params)
    assert after.count == first.count - 1  # a change is seen at once, not after the cache's time
    filtered = search.params_from_request({"q": "Spielplatz", "facet.field": '["organization"]'})
    assert search.dataset_search(filtered).count <= after.count  # a query is never answered from that cache
