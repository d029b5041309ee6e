"""The catalogue search understands German: stems, compound words, umlauts and typos."""

import pytest

from rathaus.catalog import selectors


def keys(municipality, query: str) -> list[str]:
    return [service.key for service in selectors.service_list(municipality=municipality, query=query)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("parken", "bewohnerparkausweis"),
        ("Parkausweis", "bewohnerparkausweis"),
        ("Bewohnerparkausweiss", "bewohnerparkausweis"),
        ("bewohnerparkasweis", "bewohnerparkausweis"),
        ("Gewerbeanmledung", "gewerbeanmeldung"),
        ("Hund anmelden", "hundesteuer-anmeldung"),
        ("Sperrmüll", "sperrmuellanmeldung"),
        ("Sperrmuell", "sperrmuellanmeldung"),
        ("Geburtsurkunde", "geburtsurkunde"),
        ("Reisepass", "reisepass"),
    ],
)
def test_finds_the_service_citizens_mean(catalog, musterstadt, query, expected):
    assert keys(musterstadt, query)[0] == expected


def test_parken_ranks_the_parking_permit_before_services_that_merely_mention_it(catalog, musterstadt):
    found = keys(musterstadt, "parken")
    assert found.index("bewohnerparkausweis") == 0


def test_every_word_of_the_query_must_match(catalog, musterstadt):
    assert "bewohnerparkausweis" not in keys(musterstadt, "parken Hund")


def test_nonsense_finds_nothing(catalog, musterstadt):
    assert keys(musterstadt, "Xylophonquartett") == []


def test_an_empty_query_lists_everything_alphabetically(catalog, musterstadt):
    services = selectors.service_list(municipality=musterstadt, query="  ")
    names = [service.name.lower() for service in services]
    assert names == sorted(names)
    assert len(services) >= 30


def test_filters_by_topic_and_life_situation(catalog, musterstadt):
    traffic = selectors.service_list(municipality=musterstadt, topic="verkehr")
    assert traffic and all("verkehr" in service.topics for service in traffic)
    moving = selectors.service_list(municipality=musterstadt, life_situation="umzug")
    assert "bewohnerparkausweis" in [service.key for service in moving]
