"""Portal pages without JavaScript: search with facets as links, the dataset page with previews and downloads."""

from __future__ import annotations

import re

import pytest

from rathaus.opendata.models import Dataset

pytestmark = [pytest.mark.opendata, pytest.mark.django_db]


def _main(response) -> str:
    assert response.status_code == 200
    return response.content.decode().split('<main id="inhalt"', 1)[1].split("</main>", 1)[0]


def test_the_search_page_lists_datasets_of_both_municipalities_with_facets(client, demo_datasets):
    page = _main(client.get("/daten/"))
    assert "6 Datensätze gefunden" in page or "6 datasets found" in page
    assert "Spielplätze in Musterstadt" in page and "Trinkwasserbrunnen in Beispielhausen" in page
    facet_link = re.search(r'href="(/daten/\?organisation=beispielhausen)"', page)
    assert facet_link, page[:2000]
    filtered = _main(client.get(facet_link.group(1)))
    assert "Trinkwasserbrunnen in Beispielhausen" in filtered and "Spielplätze in Musterstadt" not in filtered
    assert 'aria-current="true"' in filtered


def test_query_and_facets_combine(client, demo_datasets):
    page = _main(client.get("/daten/", {"q": "Zonen", "format": "GeoJSON"}))
    assert "Bewohnerparkzonen in Musterstadt" in page and "Spielplätze in Musterstadt" not in page
    nothing = _main(client.get("/daten/", {"q": "Raumfahrt"}))
    assert "Spielplätze in Musterstadt" not in nothing


def test_odd_search_input_is_no_error(client, demo_datasets):
    assert client.get("/daten/", {"seite": "x", "q": "a" * 500, "thema": "gibtsnicht"}).status_code == 200
    assert client.get("/daten/", {"seite": "999"}).status_code == 200
    assert client.get("/daten/", {"seite": "9" * 25}).status_code == 200


def test_the_dataset_page_previews_tables_and_draws_geojson(client, demo_datasets):
    page = _main(client.get("/daten/musterstadt-spielplaetze/"))
    assert "<svg" in page and page.count("<circle") == 4
    assert "<title>Spielplatz am Stadtpark</title>" in page
    assert "<th" in page and "Wasserspielplatz Mühlbach" in page
    dataset = Dataset.objects.get(name="musterstadt-spielplaetze")
    csv_resource = dataset.resources.get(format="CSV")
    assert f"/daten/musterstadt-spielplaetze/ressource/{csv_resource.pk}/spielplaetze.csv" in page
    assert "/api/3/action/package_show?id=musterstadt-spielplaetze" in page
    areas = _main(client.get("/daten/musterstadt-bewohnerparkzonen/"))
    assert areas.count("<polygon") == 2


def test_the_json_preview_is_a_table(client, demo_datasets):
    page = _main(client.get("/daten/beispielhausen-einwohner-ortsteile/"))
    assert page.count("<table") == 2 and "Oberdorf" in page


def test_the_api_page_explains_ckan_and_dcat(client, demo_datasets):
    page = _main(client.get("/daten/schnittstellen/", HTTP_ACCEPT_LANGUAGE="de"))
    assert "/api/3/action/package_search" in page and "/catalog.ttl" in page
    assert "Suche; fq filtert nach organization" in page  # every row in German, also the one with quotes


def test_unpublished_and_unknown_datasets_are_not_found(client, demo_datasets):
    Dataset.objects.filter(name="musterstadt-haushalt-2026").update(published=False)
    assert client.get("/daten/musterstadt-haushalt-2026/").status_code == 404
    assert client.get("/daten/gibt-es-nicht/").status_code == 404
    dataset = Dataset.objects.get(name="musterstadt-spielplaetze")
    assert client.get(f"/dataset/{dataset.pk}").status_code == 302
