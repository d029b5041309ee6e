"""The CKAN Action API, spoken to by the real client `ckanapi` (RemoteCKAN) against a running server."""

from __future__ import annotations

import ckanapi
import pytest

from rathaus.opendata import services
from rathaus.opendata.models import Dataset, Organization

pytestmark = [pytest.mark.opendata, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def ckan(live_server, demo_datasets) -> ckanapi.RemoteCKAN:
    """ckanapi POSTs JSON bodies to /api/action/<name>, as against any CKAN."""
    with ckanapi.RemoteCKAN(live_server.url, user_agent="rathaus-tests") as remote:
        yield remote


@pytest.fixture
def ckan_get(live_server, demo_datasets) -> ckanapi.RemoteCKAN:
    with ckanapi.RemoteCKAN(live_server.url, user_agent="rathaus-tests", get_only=True) as remote:
        yield remote


def test_package_list_names_the_demo_datasets_of_both_municipalities(ckan, demo_datasets):
    names = ckan.action.package_list()
    assert names == sorted(dataset.name for dataset in demo_datasets)
    assert {"musterstadt-spielplaetze", "beispielhausen-trinkbrunnen"} <= set(names)


def test_package_show_gives_ckans_package_dict_with_organization_groups_tags_and_resources(ckan):
    package = ckan.action.package_show(id="musterstadt-spielplaetze")
    assert package["name"] == "musterstadt-spielplaetze"
    assert package["title"] == "Spielplätze in Musterstadt"
    assert package["organization"]["name"] == "musterstadt"
    assert package["owner_org"] == package["organization"]["id"]
    assert {group["name"] for group in package["groups"]} == {"educ", "soci"}
    assert [(tag["name"], tag["display_name"]) for tag in package["tags"]] == [
        ("Freizeit", "Freizeit"),
        ("Kinder", "Kinder"),
        ("Spielplatz", "Spielplatz"),
    ]
    assert package["license_id"] == "dl-by-de/2.0"
    assert package["license_title"].startswith("Datenlizenz Deutschland")
    assert [resource["format"] for resource in package["resources"]] == ["GeoJSON", "CSV"]
    assert package["num_resources"] == 2
    assert package["metadata_modified"] >= package["metadata_created"]
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert extras["politicalGeocodingURI"].endswith("/municipalityKey/06434990")
    assert extras["contributorID"] == '["hessen"]'
    # by id as well as by name
    assert ckan.action.package_show(id=package["id"])["name"] == package["name"]


def test_resource_download_address_serves_the_file(ckan, live_server):
    import requests

    resource = ckan.action.package_show(id="musterstadt-haushalt-2026")["resources"][0]
    assert ckan.action.resource_show(id=resource["id"])["url"] == resource["url"]
    response = requests.get(resource["url"], timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.content.decode().startswith("produktbereich,bezeichnung")


def test_package_search_with_query_filters_and_facets(ckan):
    result = ckan.action.package_search(
        q="Spielplätze", **{"facet.field": ["organization", "groups", "res_format", "license_id"]}
    )
    assert [package["name"] for package in result["results"]] == ["musterstadt-spielplaetze"]
    assert result["count"] == 1
    assert result["facets"]["organization"] == {"musterstadt": 1}
    assert result["facets"]["res_format"] == {"GeoJSON": 1, "CSV": 1}
    organization_items = result["search_facets"]["organization"]["items"]
    assert organization_items == [{"name": "musterstadt", "display_name": "Musterstadt", "count": 1}]

    geojson = ckan.action.package_search(fq='res_format:"GeoJSON"', rows=50)
    assert {package["name"] for package in geojson["results"]} == {
        "musterstadt-spielplaetze",
        "musterstadt-bewohnerparkzonen",
        "beispielhausen-trinkbrunnen",
    }
    beispielhausen = ckan.action.package_search(fq="organization:beispielhausen groups:gove")
    assert [package["name"] for package in beispielhausen["results"]] == ["beispielhausen-sitzungskalender"]
    tagged = ckan.action.package_search(fq="tags:Parken")
    assert [package["name"] for package in tagged["results"]] == ["musterstadt-bewohnerparkzonen"]
    everything_but = ckan.action.package_search(fq="-organization:musterstadt municipality:musterstadt")
    assert [package["name"] for package in everything_but["results"]] == ["musterstadt-bewohnerparkzonen"]


def test_package_search_filters_by_metadata_modified_range(ckan):
    dataset = Dataset.objects.get(name="beispielhausen-trinkbrunnen")
    since = dataset.metadata_modified.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    Dataset.objects.exclude(pk=dataset.pk).update(metadata_modified=dataset.metadata_modified.replace(year=2020))
    result = ckan.action.package_search(fq=f"metadata_modified:[{since} TO *]")
    assert [package["name"] for package in result["results"]] == ["beispielhausen-trinkbrunnen"]
    older = ckan.action.package_search(fq="metadata_modified:[* TO 2021-01-01T00:00:00Z]", rows=0)
    assert older["count"] == len(Dataset.objects.all()) - 1 and older["results"] == []


def test_a_harvester_pages_through_all_datasets_sorted_by_id(ckan, musterstadt):
    organization = Organization.objects.get(name="musterstadt")
    for number in range(205):
        Dataset.objects.create(
            name=f"zusatz-{number:03d}",
            title=f"Zusatzdatensatz {number}",
            notes="Für den Harvester-Test.",
            organization=organization,
            contact_name="Musterstadt",
            contact_email="info@musterstadt.example",
            published=True,
            metadata_created=organization.created_at,
            metadata_modified=organization.created_at,
        )
    seen: list[str] = []
    start = 0
    while True:
        page = ckan.action.package_search(rows=100, start=start, sort="id asc")
        seen += [package["id"] for package in page["results"]]
        if len(page["results"]) < 100:
            break
        start += 100
    assert page["count"] == Dataset.objects.count() == len(seen) == len(set(seen))
    assert seen == sorted(seen)
    assert start == 200


def test_lists_and_shows_of_organizations_groups_and_tags(ckan):
    organizations = ckan.action.organization_list()
    assert {"musterstadt", "beispielhausen", "musterstadt-strassenverkehr"} <= set(organizations)
    assert "musterstadt-bauamt" not in organizations  # departments appear once they publish something
    full = ckan.action.organization_list(all_fields=True, sort="package_count desc")
    assert full[0]["package_count"] >= full[-1]["package_count"]
    shown = ckan.action.organization_show(id="beispielhausen", include_datasets=True)
    assert shown["title"] == "Beispielhausen"
    assert {package["name"] for package in shown["packages"]} == {
        "beispielhausen-trinkbrunnen",
        "beispielhausen-sitzungskalender",
    }
    assert ckan.action.group_list() == sorted(ckan.action.group_list())
    assert "envi" in ckan.action.group_list()
    group = ckan.action.group_show(id="envi", include_datasets=True)
    assert [package["name"] for package in group["packages"]] == ["beispielhausen-trinkbrunnen"]
    assert ckan.action.group_show(id=group["id"])["name"] == "envi"
    assert "Spielplatz" in ckan.action.tag_list()
    assert ckan.action.tag_list(query="brunnen") == ["Brunnen"]
    assert ckan.action.status_show()["ckan_version"].startswith("2.")


def test_get_requests_work_like_posts(ckan_get, ckan):
    assert ckan_get.action.package_list() == ckan.action.package_list()
    by_get = ckan_get.action.package_search(fq="organization:musterstadt", rows=2, sort="name asc")
    by_post = ckan.action.package_search(fq="organization:musterstadt", rows=2, sort="name asc")
    assert by_get["results"] == by_post["results"] and len(by_get["results"]) == 2


def test_errors_come_in_ckans_envelope(ckan):
    with pytest.raises(ckanapi.NotFound):
        ckan.call_action("no_such_action", {})
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id="gibt-es-nicht")
    with pytest.raises(ckanapi.NotFound):
        ckan.action.resource_show(id="00000000-0000-0000-0000-000000000000")
    with pytest.raises(ckanapi.ValidationError) as missing:
        ckan.action.package_show()
    assert "id" in missing.value.error_dict
    with pytest.raises(ckanapi.ValidationError) as malformed:
        ckan.action.package_search(fq='organization:"musterstadt')
    assert "fq" in malformed.value.error_dict
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.package_search(fq="owner:someone")
    with pytest.raises(ckanapi.ValidationError) as too_many:
        ckan.action.package_search(rows=1001)
    assert too_many.value.error_dict["rows"] == ["Must be less than or equal to 1000."]
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.package_search(sort="popularity desc")
    # numbers beyond the database's integers, or not whole, are refused rather than overflowing into a 500
    with pytest.raises(ckanapi.ValidationError) as far:
        ckan.action.package_search(start=10**23)
    assert "start" in far.value.error_dict
    for numbers in ({"offset": 10**23}, {"limit": 10**23}, {"limit": 1.5}, {"limit": True}):
        with pytest.raises(ckanapi.ValidationError):
            ckan.action.package_list(**numbers)


def test_unpublished_datasets_are_not_in_the_api(ckan):
    Dataset.objects.filter(name="musterstadt-haushalt-2026").update(published=False)
    assert "musterstadt-haushalt-2026" not in ckan.action.package_list()
    with pytest.raises(ckanapi.NotFound):
        ckan.action.package_show(id="musterstadt-haushalt-2026")


def test_generated_service_catalogue_is_a_dataset_when_the_catalogue_is_offered(ckan, catalog, musterstadt):
    assert services.generated_dataset_refresh(municipality=musterstadt, generator_key="leistungskatalog") == "created"
    package = ckan.action.package_show(id="musterstadt-leistungskatalog")
    assert [resource["format"] for resource in package["resources"]] == ["CSV", "JSON"]
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert extras["frequency"].endswith("/frequency/DAILY") and extras["generated_by"] == "leistungskatalog"


def test_other_methods_are_refused_in_ckans_envelope(musterstadt):
    from django.test import Client

    response = Client(HTTP_HOST="musterstadt.localhost").put("/api/3/action/package_list", "{}")
    assert response.status_code == 405 and response["Allow"] == "GET, POST"
    body = response.json()
    assert body["success"] is False and body["error"]["__type"] == "Bad Request"
