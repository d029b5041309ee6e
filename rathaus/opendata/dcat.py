"""The DCAT-AP.de 2.0 catalogue: every published dataset as dcat:Dataset with its distributions, for GovData.

What GovData expects (the reference examples in shared/reference/dcat-ap-de-2.0/examples): dct:publisher as
foaf:Organization, dcat:contactPoint as vcard:Organization with vcard:fn and vcard:hasEmail, dcat:theme from the
EU data-theme table, dct:accrualPeriodicity from the EU frequency table, dcatde:politicalGeocodingURI with the
Amtlicher Gemeindeschlüssel, dcatde:contributorID (when configured), and on every distribution dct:license from
the dcat-ap.de licence list with dcatde:licenseAttributionByText and dct:format from the EU file-type table.

The catalogue is paged like ckanext-dcat (which GovData's harvester reads): `?page=N` with a hydra:PagedCollection
naming first, previous, next and last page; `?modified_since=` limits it to datasets changed since then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from django.conf import settings
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from rathaus.tenants.models import Municipality

from . import urls_of, vocab
from .ckan import attribution
from .models import Dataset, Resource

DCATDE = Namespace("http://dcat-ap.de/def/dcatde/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
PAGE_SIZE = 100

FORMATS = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "rdf": ("pretty-xml", "application/rdf+xml; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json; charset=utf-8"),
}


@dataclass(frozen=True)
class Page:
    number: int
    size: int
    total: int

    @property
    def last(self) -> int:
        return max(1, -(-self.total // self.size))


def new_graph() -> Graph:
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("dcatde", DCATDE),
        ("vcard", VCARD),
        ("hydra", HYDRA),
    ):
        graph.bind(prefix, namespace)
    return graph


def _datetime(moment: datetime) -> Literal:
    return Literal(moment.isoformat(timespec="seconds"), datatype=XSD.dateTime)


def _date(day: date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)


def _publisher(graph: Graph, base: str, dataset: Dataset) -> URIRef:
    organization = dataset.organization
    node = URIRef(urls_of.organization_uri(base, organization))
    if (node, RDF.type, FOAF.Organization) not in graph:
        graph.add((node, RDF.type, FOAF.Organization))
        graph.add((node, FOAF.name, Literal(organization.title)))
        if organization.email:
            graph.add((node, FOAF.mbox, URIRef(f"mailto:{organization.email}")))
        if organization.website:
            graph.add((node, FOAF.homepage, URIRef(organization.website)))
            graph.add((URIRef(organization.website), RDF.type, FOAF.Document))
    return node


def _contact_point(graph: Graph, dataset: Dataset) -> BNode:
    node = BNode()
    graph.add((node, RDF.type, VCARD.Organization))
    graph.add((node, VCARD.fn, Literal(dataset.contact_name)))
    graph.add((node, VCARD.hasEmail, URIRef(f"mailto:{dataset.contact_email}")))
    if dataset.contact_phone:
        phone = BNode()
        graph.add((node, VCARD.hasTelephone, phone))
        graph.add((phone, RDF.type, VCARD.Voice))
        graph.add((phone, VCARD.hasValue, URIRef("tel:" + "".join(dataset.contact_phone.split()))))
    return node


def _distribution(graph: Graph, base: str, resource: Resource, dataset: Dataset) -> URIRef:
    node = URIRef(urls_of.resource_uri(base, resource))
    fmt = resource.format_info
    access = URIRef(urls_of.resource_download(base, resource))
    graph.add((node, RDF.type, DCAT.Distribution))
    graph.add((node, DCTERMS.title, Literal(resource.name, lang="de")))
    if resource.description:
        graph.add((node, DCTERMS.description, Literal(resource.description, lang="de")))
    graph.add((node, DCAT.accessURL, access))
    if resource.is_file:
        graph.add((node, DCAT.downloadURL, access))
    if fmt.file_type:
        graph.add((node, DCTERMS.format, URIRef(fmt.file_type_iri)))
    media_type = URIRef(fmt.media_type_iri)
    graph.add((node, DCAT.mediaType, media_type))
    graph.add((media_type, RDF.type, DCTERMS.MediaType))
    graph.add((node, DCTERMS.license, URIRef(dataset.licence.iri)))
    graph.add((node, DCATDE.licenseAttributionByText, Literal(attribution(dataset))))
    graph.add((node, DCTERMS.issued, _datetime(resource.created)))
    graph.add((node, DCTERMS.modified, _datetime(resource.last_modified)))
    if resource.size is not None:
        graph.add((node, DCAT.byteSize, Literal(resource.size, datatype=XSD.decimal)))
    return node


def dataset_add(graph: Graph, base: str, dataset: Dataset) -> URIRef:
    """The dataset's triples; expects organization (with municipality), themes, tags and resources prefetched."""
    node = URIRef(urls_of.dataset_uri(base, dataset))
    municipality: Municipality = dataset.organization.municipality
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(str(dataset.pk))))
    graph.add((node, DCTERMS.title, Literal(dataset.title, lang="de")))
    graph.add((node, DCTERMS.description, Literal(dataset.notes, lang="de")))
    graph.add((node, DCTERMS.publisher, _publisher(graph, base, dataset)))
    graph.add((node, DCAT.contactPoint, _contact_point(graph, dataset)))
    graph.add((node, DCTERMS.issued, _datetime(dataset.metadata_created)))
    graph.add((node, DCTERMS.modified, _datetime(dataset.metadata_modified)))
    graph.add((node, DCTERMS.language, URIRef(vocab.LANGUAGE_GERMAN)))
    graph.add((node, DCTERMS.accrualPeriodicity, URIRef(vocab.FREQUENCY_BASE + dataset.frequency)))
    landing = URIRef(urls_of.dataset_page(base, dataset))
    graph.add((node, DCAT.landingPage, landing))
    graph.add((landing, RDF.type, FOAF.Document))
    for theme in dataset.themes.all():
        graph.add((node, DCAT.theme, URIRef(theme.info.iri)))
    for tag in dataset.tags.all():
        graph.add((node, DCAT.keyword, Literal(tag.name, lang="de")))
    graph.add((node, DCATDE.politicalGeocodingURI, URIRef(vocab.municipality_key_iri(municipality.official_key))))
    graph.add((node, DCATDE.politicalGeocodingLevelURI, URIRef(vocab.GEOCODING_LEVEL_MUNICIPALITY)))
    graph.add((node, DCATDE.geocodingDescription, Literal(municipality.name, lang="de")))
    if settings.RATHAUS_OPENDATA_CONTRIBUTOR_ID:
        graph.add(
            (node, DCATDE.contributorID, URIRef(vocab.CONTRIBUTOR_BASE + settings.RATHAUS_OPENDATA_CONTRIBUTOR_ID))
        )
    if dataset.temporal_start or dataset.temporal_end:
        period = BNode()
        graph.add((node, DCTERMS.temporal, period))
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if dataset.temporal_start:
            graph.add((period, DCAT.startDate, _date(dataset.temporal_start)))
        if dataset.temporal_end:
            graph.add((period, DCAT.endDate, _date(dataset.temporal_end)))
    for resource in sorted(dataset.resources.all(), key=lambda r: (r.position, r.created)):
        graph.add((node, DCAT.distribution, _distribution(graph, base, resource, dataset)))
    return node


def catalog_graph(*, base: str, datasets: Iterable[Dataset], page: Page, page_url: str, query: dict[str, str]) -> Graph:
    """One page of the catalogue: dcat:Catalog with its datasets, and the hydra paging."""
    graph = new_graph()
    catalog = URIRef(f"{base}/catalog")
    publisher = URIRef(f"{base}/catalog#publisher")
    names = list(Municipality.objects.order_by("name").values_list("name", flat=True))
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, DCTERMS.title, Literal("Offene Daten – " + ", ".join(names), lang="de")))
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal("Datensätze der Kommunen " + ", ".join(names) + ", veröffentlicht mit Rathaus.", lang="de"),
        )
    )
    graph.add((catalog, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, Literal(" und ".join(names) or "Rathaus")))
    graph.add((catalog, DCTERMS.language, URIRef(vocab.LANGUAGE_GERMAN)))
    graph.add((catalog, DCAT.themeTaxonomy, URIRef(vocab.THEME_BASE.rstrip("/"))))
    homepage = URIRef(f"{base}/daten/")
    graph.add((catalog, FOAF.homepage, homepage))
    graph.add((homepage, RDF.type, FOAF.Document))
    for dataset in datasets:
        graph.add((catalog, DCAT.dataset, dataset_add(graph, base, dataset)))

    def page_link(number: int) -> Literal:
        return Literal(f"{page_url}?{urlencode({**query, 'page': number})}")

    collection = URIRef(str(page_link(page.number)))
    graph.add((collection, RDF.type, HYDRA.PagedCollection))
    graph.add((collection, HYDRA.totalItems, Literal(page.total, datatype=XSD.integer)))
    graph.add((collection, HYDRA.itemsPerPage, Literal(page.size, datatype=XSD.integer)))
    graph.add((collection, HYDRA.firstPage, page_link(1)))
    graph.add((collection, HYDRA.lastPage, page_link(page.last)))
    if page.number > 1:
        graph.add((collection, HYDRA.previousPage, page_link(min(page.number - 1, page.last))))
    if page.number < page.last:
        graph.add((collection, HYDRA.nextPage, page_link(page.number + 1)))
    return graph


def dataset_graph(*, base: str, dataset: Dataset) -> Graph:
    graph = new_graph()
    dataset_add(graph, base, dataset)
    return graph


def serialize(graph: Graph, extension: str) -> tuple[bytes, str]:
    rdflib_format, content_type = FORMATS[extension]
    return graph.serialize(format=rdflib_format, encoding="utf-8"), content_type
