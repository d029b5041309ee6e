"""Open311 GeoReport v2: every JSON answer validates against the shared schemas, every XML answer is well-formed
with the standard's element names, bad input gets the standard's error format, and POSTed requests reach staff."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import hypothesis
import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from rathaus.reports.models import Report

from .conftest import HOST, IN_BEISPIELHAUSEN, INSIDE, OTHER_HOST

pytestmark = [pytest.mark.reports, pytest.mark.django_db]

SCHEMAS = settings.BASE_DIR.parent / "shared" / "reference" / "open311-georeport-v2"
BASE = "/open311/v2"


def _schema(name: str) -> dict:
    path = Path(SCHEMAS) / name
    if not path.exists():
        pytest.fail(f"{path} is missing: the Open311 schemas must lie in ../shared/reference/open311-georeport-v2/")
    return json.loads(path.read_text())


def validator(name: str) -> Draft202012Validator:
    """A validator for one of the shared schemas; their "$ref": "request.json" resolve to the files beside it."""
    resources = [
        (file, Resource.from_contents(_schema(file), default_specification=DRAFT202012))
        for file in ("request.json", "requests.json", "service.json", "services.json", "service-definition.json")
    ]
    schema = _schema(name)
    return Draft202012Validator(schema, registry=Registry().with_resources(resources))


def swagger_definition(name: str) -> dict:
    """A definition of the shared swagger.json that has no schema file of its own (POST answer, token answer)."""
    return _schema("swagger.json")["definitions"][name]


def parse_xml(content: bytes) -> ElementTree.Element:
    """Our own answer, parsed strictly: a document that is not well-formed raises ParseError."""
    return ElementTree.fromstring(content)  # noqa: S314 - the server under test wrote it


def assert_w3c(value: str) -> None:
    moment = datetime.fromisoformat(value)
    assert moment.tzinfo is not None, value


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST=HOST)


def post(client: Client, fmt: str = "json", **data: str):
    return client.post(f"{BASE}/requests.{fmt}", data)


def valid_post(key: str, /, **extra: str) -> dict[str, str]:
    return {
        "api_key": key,
        "service_code": "strassenlaterne",
        "lat": str(INSIDE[0]),
        "long": str(INSIDE[1]),
        "description": "Laterne am Rathausplatz ist aus.",
        "email": "app-user@example.org",
        "first_name": "Paula",
        "last_name": "Privat",
        **extra,
    }


def errors_of(response, status: int) -> list[dict]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body, list) and body, body
    for error in body:
        assert set(error) == {"code", "description"}
        assert error["code"] == status and error["description"]
    return body


# --- schemas ------------------------------------------------------------------------------------------------


def test_services_validate_against_the_schema(client, towns):
    response = client.get(f"{BASE}/services.json")
    assert response.status_code == 200
    services = response.json()
    validator("services.json").validate(services)
    for service in services:
        validator("service.json").validate(service)
    assert {service["service_code"] for service in services} >= {"ampel", "strassenlaterne", "wilder-muell"}
    assert all(service["type"] == "realtime" and service["metadata"] is False for service in services)


def test_a_service_definition_validates_against_the_schema(client, towns):
    response = client.get(f"{BASE}/services/schlagloch.json")
    assert response.status_code == 200
    validator("service-definition.json").validate(response.json())
    assert response.json() == {"service_code": "schlagloch", "attributes": []}


def test_requests_single_request_and_token_validate_against_the_schemas(client, towns, api_key):
    created = post(client, **valid_post(api_key)).json()
    Draft202012Validator({"type": "array", "items": swagger_definition("RequestResponse")}).validate(created)
    [answer] = created
    assert answer["service_request_id"] and answer["token"] and answer["service_notice"]
    assert "account_id" not in answer  # no account behind Open311 reports; the schema allows no null

    listing = client.get(f"{BASE}/requests.json").json()
    validator("requests.json").validate(listing)
    assert len(listing) == 5  # four demo reports and the new one
    for item in listing:
        validator("request.json").validate(item)
        assert_w3c(item["requested_datetime"])
        assert_w3c(item["updated_datetime"])

    single = client.get(f"{BASE}/requests/{answer['service_request_id']}.json").json()
    validator("requests.json").validate(single)
    [request] = single
    validator("request.json").validate(request)
    assert request["service_code"] == "strassenlaterne"
    assert request["status"] == "open"
    assert request["lat"] == pytest.approx(INSIDE[0]) and request["long"] == pytest.approx(INSIDE[1])
    assert request["agency_responsible"] == "Tiefbauamt"

    token = client.get(f"{BASE}/tokens/{answer['token']}.json").json()
    Draft202012Validator({"type": "array", "items": swagger_definition("TokenResponse")}).validate(token)
    assert token == [{"service_request_id": answer["service_request_id"], "token": answer["token"]}]


def test_answers_never_carry_personal_data(client, towns, api_key):
    post(client, **valid_post(api_key))
    for url in (f"{BASE}/requests.json", f"{BASE}/requests.xml", "/maengelmelder/"):
        text = client.get(url).content.decode()
        assert "app-user@example.org" not in text
        assert "Paula" not in text and "Privat" not in text


def test_the_discovery_document_names_the_endpoint_and_formats(client, towns):
    document = client.get(f"{BASE}/discovery.json").json()
    [endpoint] = document["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == f"http://{HOST}{BASE}"
    assert endpoint["formats"] == ["application/json", "text/xml"]
    assert "Musterstadt" in document["contact"]


# --- XML ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "root", "item"),
    [
        ("discovery.xml", "discovery", None),
        ("services.xml", "services", "service"),
        ("services/ampel.xml", "service_definition", None),
        ("requests.xml", "service_requests", "request"),
        ("requests.xml?status=closed", "service_requests", None),
        ("services/nothing.xml", "errors", "error"),
        ("requests.xml?start_date=yesterday", "errors", "error"),
    ],
)
def test_xml_answers_are_well_formed_with_the_standard_names(client, towns, path, root, item):
    response = client.get(f"{BASE}/{path}")
    assert response["Content-Type"].startswith("text/xml")
    document = parse_xml(response.content)
    assert document.tag == root
    if item:
        assert document.findall(item), response.content


def test_xml_of_a_request_has_the_standard_fields_and_survives_markup_in_texts(client, towns, api_key):
    description = 'Laterne <b>aus</b> & "kaputt" \x07 ]]>'
    created = parse_xml(post(client, "xml", **valid_post(api_key, description=description)).content)
    assert created.tag == "service_requests"
    identifier = created.findtext("request/service_request_id")
    assert created.findtext("request/token")
    document = parse_xml(client.get(f"{BASE}/requests/{identifier}.xml").content)
    request = document.find("request")
    assert request is not None
    names = [child.tag for child in request]
    assert names[:4] == ["service_request_id", "status", "status_notes", "service_name"]
    assert {"lat", "long", "requested_datetime", "agency_responsible", "media_url"} <= set(names)
    assert request.findtext("description") == 'Laterne <b>aus</b> & "kaputt"  ]]>'  # the control character is gone
    token = parse_xml(client.get(f"{BASE}/tokens/{created.findtext('request/token')}.xml").content)
    assert token.findtext("request/service_request_id") == identifier


# --- POST reaches staff -------------------------------------------------------------------------------------


def test_a_request_posted_over_open311_appears_in_the_staff_list(towns, api_key, roads_clerk, staff_log_in):
    app = Client(HTTP_HOST=HOST)
    answer = post(app, **valid_post(api_key, description="Laterne vor Hausnummer 3 flackert.")).json()
    identifier = answer[0]["service_request_id"]
    report = Report.objects.get(pk=identifier)
    assert report.channel == "open311" and report.reporter_email == "app-user@example.org"
    assert report.reporter_name == "Paula Privat"

    staff = Client(HTTP_HOST=HOST)
    staff_log_in(staff, roads_clerk)
    listing = staff.get("/verwaltung/maengel/")
    assert listing.status_code == 200
    assert f'data-report="{identifier}"' in listing.content.decode()
    detail = staff.get(f"/verwaltung/maengel/{identifier}/").content.decode()
    assert "Laterne vor Hausnummer 3 flackert." in detail
    assert "app-user@example.org" in detail  # staff see who reported


def test_a_request_posted_with_an_address_is_placed_on_the_street(client, towns, api_key):
    data = valid_post(api_key, address_string="Heidestr. 21", lat="", long="")
    [answer] = post(client, **data).json()
    report = Report.objects.get(pk=answer["service_request_id"])
    assert report.precision == "street" and report.address == "Heidestraße 21"


# --- bad input ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "start_date=2026-13-45T10:00:00Z",
        "start_date=yesterday",
        "end_date=2026-05-04T25:00",
        "start_date=2026-05-04T10:00:00Z&end_date=2026-05-01T10:00:00Z",
        "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",
        # days at the edge of the calendar: their window or their time in UTC lies outside it
        "start_date=0001-01-01T00:00:00%2B14:00",
        "end_date=0001-01-02",
        "start_date=9999-12-31",
        "status=pending",
        "status=open,solved",
        "service_request_id=1,abc",
        "service_code=unknown-code",
    ],
)
def test_malformed_queries_are_refused_in_the_standard_format(client, towns, query):
    errors_of(client.get(f"{BASE}/requests.json?{query}"), 400)


def test_date_filters_and_status_select_requests(client, towns, api_key):
    [answer] = post(client, **valid_post(api_key)).json()
    old = Report.objects.filter(municipality=towns[0]).exclude(pk=answer["service_request_id"]).first()
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=120))
    ids = {item["service_request_id"] for item in client.get(f"{BASE}/requests.json").json()}
    assert answer["service_request_id"] in ids and str(old.pk) not in ids  # default: the last 90 days
    start = (timezone.now() - timedelta(days=130)).isoformat(timespec="seconds")
    end = (timezone.now() - timedelta(days=100)).isoformat(timespec="seconds")
    window = client.get(f"{BASE}/requests.json", {"start_date": start, "end_date": end}).json()
    assert [item["service_request_id"] for item in window] == [str(old.pk)]
    assert client.get(f"{BASE}/requests.json?status=closed").json() == []
    both = client.get(f"{BASE}/requests.json?service_request_id={old.pk},{answer['service_request_id']}").json()
    assert {item["service_request_id"] for item in both} == {str(old.pk), answer["service_request_id"]}
    only = client.get(f"{BASE}/requests.json?service_code=schlagloch").json()
    assert only and {item["service_code"] for item in only} == {"schlagloch"}


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({"api_key": ""}, 403),
        ({"api_key": "r311_guessed"}, 403),
        ({"service_code": ""}, 400),
        ({"service_code": "unknown-code"}, 400),
        ({"lat": "52.52", "long": "13.40"}, 400),  # Berlin: outside Musterstadt
        ({"lat": "north", "long": "8.6"}, 400),
        ({"lat": "95", "long": "8.6"}, 400),
        ({"lat": "50.2268", "long": ""}, 400),
        ({"lat": "", "long": ""}, 400),
        ({"lat": "", "long": "", "address_id": "4711"}, 400),
        ({"lat": "", "long": "", "address_string": "Unbekannter Weg 1"}, 400),
        ({"description": "x" * 4001}, 400),
        ({"email": "not an address"}, 400),
        ({"media_url": "javascript:alert(1)"}, 400),
        ({"jurisdiction_id": "atlantis"}, 404),
        ({"jurisdiction_id": "beispielhausen"}, 403),  # the key is Musterstadt's
    ],
)
def test_bad_posts_are_refused_in_the_standard_format_and_file_nothing(client, towns, api_key, changes, status):
    before = Report.objects.count()
    errors_of(post(client, **valid_post(api_key, **changes)), status)
    assert Report.objects.count() == before


def test_unknown_codes_ids_tokens_and_jurisdictions_are_404(client, towns):
    for path in (
        "services/nothing.json",
        "requests/999999.json",
        "requests/abc.json",
        "tokens/not-a-token.json",
        "tokens/8f0f3b5e-9d7e-4d36-9a8e-2a4e1c1b6f00.json",
        "services.json?jurisdiction_id=atlantis",
        "no-such-endpoint.json",
        "requests.csv",
    ):
        errors_of(client.get(f"{BASE}/{path}"), 404)


def test_other_methods_are_refused_in_the_standard_format(client, towns):
    response = client.put(f"{BASE}/requests.json")
    errors_of(response, 405)
    assert response["Allow"] == "GET, POST"


def test_posts_are_rate_limited_per_key(client, towns, api_key, settings):
    settings.RATHAUS_OPEN311_POSTS_PER_KEY_HOUR = 2
    assert post(client, **valid_post(api_key)).status_code == 200
    assert post(client, **valid_post(api_key)).status_code == 200
    errors_of(post(client, **valid_post(api_key)), 429)


def test_a_revoked_key_no_longer_files(client, towns, api_key, town_admin):
    from rathaus.reports import selectors, services

    services.api_key_revoke(key=selectors.api_key_find(plain=api_key), actor=town_admin)
    errors_of(post(client, **valid_post(api_key)), 403)


# --- jurisdictions ------------------------------------------------------------------------------------------


def test_jurisdiction_id_selects_the_municipality_and_the_host_is_the_default(client, towns):
    own = {item["service_request_id"] for item in client.get(f"{BASE}/requests.json").json()}
    other = client.get(f"{BASE}/requests.json", {"jurisdiction_id": "beispielhausen"}).json()
    by_host = Client(HTTP_HOST=OTHER_HOST).get(f"{BASE}/requests.json").json()
    assert other == by_host and other
    assert own.isdisjoint(item["service_request_id"] for item in other)
    by_domain = client.get(f"{BASE}/requests.json", {"jurisdiction_id": OTHER_HOST}).json()
    assert by_domain == other
    # A request of one municipality is not found under another.
    errors_of(Client(HTTP_HOST=OTHER_HOST).get(f"{BASE}/requests/{next(iter(own))}.json"), 404)


def test_a_key_files_only_in_its_own_municipality(towns, api_key):
    errors_of(post(Client(HTTP_HOST=OTHER_HOST), **valid_post(api_key)), 403)
    lat, lon = IN_BEISPIELHAUSEN
    errors_of(post(Client(HTTP_HOST=HOST), **valid_post(api_key, lat=str(lat), long=str(lon))), 400)


def test_hidden_reports_are_not_served(client, towns, town_admin):
    from rathaus.reports import services

    report = Report.objects.filter(municipality=towns[0]).first()
    services.report_visibility_set(report=report, public=False, actor=town_admin)
    errors_of(client.get(f"{BASE}/requests/{report.pk}.json"), 404)
    assert str(report.pk) not in {item["service_request_id"] for item in client.get(f"{BASE}/requests.json").json()}


# --- fuzzing ------------------------------------------------------------------------------------------------
# Open311 is not part of the ninja OpenAPI (its paths end in .json/.xml), so schemathesis does not reach it:
# hypothesis sends arbitrary parameters instead. No answer may be a 500 or leave the standard's formats.

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40)
PARAMETERS = st.dictionaries(
    st.sampled_from(
        ["service_request_id", "service_code", "start_date", "end_date", "status", "jurisdiction_id", "lat", "long"]
    ),
    TEXT,
    max_size=5,
)


@hypothesis.settings(max_examples=60, deadline=None, suppress_health_check=list(hypothesis.HealthCheck))
@hypothesis.given(query=PARAMETERS, fmt=st.sampled_from(["json", "xml"]))
def test_arbitrary_query_parameters_never_cause_a_server_error(client, towns, query, fmt):
    response = client.get(f"{BASE}/requests.{fmt}", query)
    assert response.status_code in (200, 400, 404), response.content
    if fmt == "json":
        assert isinstance(response.json(), list)
    else:
        assert parse_xml(response.content).tag in ("service_requests", "errors")


@hypothesis.settings(max_examples=60, deadline=None, suppress_health_check=list(hypothesis.HealthCheck))
@hypothesis.given(form=st.dictionaries(st.sampled_from(list(valid_post("k"))), TEXT, max_size=8))
def test_arbitrary_posts_never_cause_a_server_error(client, towns, api_key, form):
    response = post(client, **{**form, "api_key": api_key if form.get("api_key") != "" else ""})
    assert response.status_code in (200, 400, 403, 404, 429), response.content
    assert isinstance(response.json(), list)
