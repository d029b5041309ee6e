"""The DCAT-AP.de catalogue: valid against the official 2.0 shapes (pyshacl), paged with hydra, modified_since."""

from __future__ import annotations

from datetime import timedelta

import pyshacl
import pytest
from django.utils import timezone
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib import namespace as ns  # not `from ... import DCAT`: pytest probes module names, rdflib warns

from rathaus.opendata import dcat
from rathaus.opendata.models import Dataset

from .conftest import REFERENCE

pytestmark = [pytest.mark.opendata]

SH = Namespace("http://www.w3.org/ns/shacl#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
SHAPES = (
    "dcat-ap_2.1.1_shacl_shapes.ttl",
    "dcat-ap-spec-german-additions.ttl",
    "dcat-ap-de-deprecated.ttl",
    "dcat-ap-spec-german-messages.ttl",
)


@pytest.fixture(scope="module")
def shapes_and_vocabularies() -> tuple[Graph, Graph]:
    if not (REFERENCE / "shacl").is_dir() or not (REFERENCE / "vocabularies").is_dir():
        pytest.fail(f"The DCAT-AP.de reference is missing at {REFERENCE}: check out shared/ beside the repository.")
    shapes = Graph()
    for name in SHAPES:
        shapes.parse(REFERENCE / "shacl" / name, format="turtle")
    vocabularies = Graph()
    for path in sorted((REFERENCE / "vocabularies").iterdir()):
        vocabularies.parse(path, format="xml" if path.suffix == ".rdf" else "turtle")
    return shapes, vocabularies


def violations(data: Graph, shapes_and_vocabularies: tuple[Graph, Graph]) -> list[str]:
    """Top-level results of severity Violation (warnings are allowed, as GovData allows them).

    The vocabularies are the ont_graph; pyshacl mixes only their ontology axioms into the data graph, so they are
    also added to the data, where the shapes look up skos:inScheme of themes, licences, frequencies and formats.
    """
    shapes, vocabularies = shapes_and_vocabularies
    _conforms, report, _text = pyshacl.validate(
        data + vocabularies, shacl_graph=shapes, ont_graph=vocabularies, inference="none", allow_warnings=True
    )
    [validation_report] = report.subjects(ns.RDF.type, SH.ValidationReport)
    return [
        f"{report.value(result, SH.focusNode)} {report.value(result, SH.resultPath)}: "
        f"{report.value(result, SH.resultMessage)}"
        for result in report.objects(validation_report, SH.result)
        if report.value(result, SH.resultSeverity) == SH.Violation
    ]


def parsed(response, rdf_format: str) -> Graph:
    assert response.status_code == 200, response.content[:300]
    return Graph().parse(data=response.content, format=rdf_format)


def test_the_catalogue_validates_against_dcat_ap_de_with_datasets_of_both_municipalities(
    client, demo_datasets, shapes_and_vocabularies
):
    graph = parsed(client.get("/catalog.ttl"), "turtle")
    datasets = set(graph.subjects(ns.RDF.type, ns.DCAT.Dataset))
    assert len(datasets) == len(demo_datasets) == 6
    political = {str(graph.value(node, DCATDE.politicalGeocodingURI)) for node in datasets}
    assert political == {
        "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/06434990",
        "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/06435990",
    }
    media_types = {
        str(graph.value(node, ns.DCAT.mediaType)) for node in graph.subjects(ns.RDF.type, ns.DCAT.Distribution)
    }
    iana = "http://www.iana.org/assignments/media-types/"
    assert {iana + t for t in ("text/csv", "application/json", "application/geo+json", "text/calendar")} <= media_types
    assert {iana + "application/pdf", iana + "text/html"} <= media_types
    assert violations(graph, shapes_and_vocabularies) == []


def test_what_govdata_expects_is_in_every_dataset(client, demo_datasets):
    graph = parsed(client.get("/catalog.ttl"), "turtle")
    for node in graph.subjects(ns.RDF.type, ns.DCAT.Dataset):
        assert graph.value(node, DCATDE.contributorID) == URIRef("http://dcat-ap.de/def/contributors/hessen")
        assert (
            graph.value(node, ns.DCTERMS.publisher),
            ns.RDF.type,
            URIRef("http://xmlns.com/foaf/0.1/Organization"),
        ) in graph
        contact = graph.value(node, ns.DCAT.contactPoint)
        assert graph.value(contact, URIRef("http://www.w3.org/2006/vcard/ns#hasEmail")) is not None
        assert str(graph.value(node, ns.DCTERMS.accrualPeriodicity)).startswith(
            "http://publications.europa.eu/resource/authority/frequency/"
        )
        for distribution in graph.objects(node, ns.DCAT.distribution):
            assert graph.value(distribution, ns.DCTERMS.license) == URIRef(
                "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
            )
            assert graph.value(distribution, DCATDE.licenseAttributionByText) is not None


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
@pytest.mark.parametrize(("extension", "rdf_format"), [("rdf", "xml"), ("jsonld", "json-ld")])
def test_a_dataset_page_validates_in_rdf_xml_and_json_ld(
    client, demo_datasets, shapes_and_vocabularies, extension, rdf_format
):
    response = client.get(f"/dataset/beispielhausen-sitzungskalender.{extension}")
    assert response["Content-Type"].startswith(
        {"rdf": "application/rdf+xml", "jsonld": "application/ld+json"}[extension]
    )
    graph = parsed(response, rdf_format)
    [node] = graph.subjects(ns.RDF.type, ns.DCAT.Dataset)
    assert graph.value(node, ns.DCTERMS.title) == Literal(
        "Sitzungskalender der Stadtverordnetenversammlung Beispielhausen", lang="de"
    )
    period = graph.value(node, ns.DCTERMS.temporal)
    assert str(graph.value(period, ns.DCAT.startDate)) == "2026-01-01"
    assert violations(graph, shapes_and_vocabularies) == []


def test_the_catalogue_is_paged_with_hydra(client, demo_datasets, monkeypatch):
    monkeypatch.setattr(dcat, "PAGE_SIZE", 4)
    first = parsed(client.get("/catalog.ttl"), "turtle")
    [collection] = first.subjects(ns.RDF.type, HYDRA.PagedCollection)
    assert first.value(collection, HYDRA.totalItems).toPython() == 6
    assert first.value(collection, HYDRA.itemsPerPage).toPython() == 4
    next_page = str(first.value(collection, HYDRA.nextPage))
    assert next_page.endswith("/catalog.ttl?page=2")
    assert str(first.value(collection, HYDRA.lastPage)).endswith("page=2")
    second = parsed(client.get("/catalog.ttl?page=2"), "turtle")
    [collection] = second.subjects(ns.RDF.type, HYDRA.PagedCollection)
    assert second.value(collection, HYDRA.nextPage) is None
    assert str(second.value(collection, HYDRA.previousPage)).endswith("page=1")
    on_pages = set(first.subjects(ns.RDF.type, ns.DCAT.Dataset)) | set(second.subjects(ns.RDF.type, ns.DCAT.Dataset))
    assert len(on_pages) == 6


def test_modified_since_lists_only_datasets_changed_since_then(client, demo_datasets):
    long_ago = timezone.now() - timedelta(days=30)
    Dataset.objects.exclude(name="musterstadt-spielplaetze").update(metadata_modified=long_ago)
    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    graph = parsed(client.get(f"/catalog.ttl?modified_since={since}"), "turtle")
    assert [str(graph.value(node, ns.DCTERMS.title)) for node in graph.subjects(ns.RDF.type, ns.DCAT.Dataset)] == [
        "Spielplätze in Musterstadt"
    ]
    [collection] = graph.subjects(ns.RDF.type, HYDRA.PagedCollection)
    assert f"modified_since={since}" in str(graph.value(collection, HYDRA.firstPage))


def test_bad_catalogue_parameters_are_a_400_not_a_500(client, demo_datasets):
    assert client.get("/catalog.ttl?page=null").status_code == 400
    assert client.get("/catalog.ttl?page=0").status_code == 400
    assert client.get("/catalog.ttl?page=" + "9" * 25).status_code == 400
    assert client.get("/catalog.ttl?modified_since=2026-13-01").status_code == 400
    assert client.get("/catalog.ttl?modified_since=gestern").status_code == 400
    assert client.get("/dataset/gibt-es-nicht.ttl").status_code == 404


def test_the_base_url_setting_gives_every_host_the_same_uris(client, demo_datasets, settings):
    settings.RATHAUS_OPENDATA_BASE_URL = "https://daten.kooperation.example"
    graph = parsed(client.get("/catalog.ttl", HTTP_HOST="beispielhausen.localhost"), "turtle")
    assert all(
        str(node).startswith("https://daten.kooperation.example/dataset/")
        for node in graph.subjects(ns.RDF.type, ns.DCAT.Dataset)
    )
