"""Filing without JavaScript, nearby suggestions, staff status and merging with mails and audit entries, photos
without metadata, and who sees what."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from rathaus.analytics.models import Event
from rathaus.audit.models import AuditEntry
from rathaus.reports import selectors, services
from rathaus.reports.models import ApiKey, Category, Report, ReportPhoto
from rathaus.testing import samples

from .conftest import HOST, INSIDE, OTHER_HOST, jpeg_with_gps

pytestmark = [pytest.mark.reports, pytest.mark.django_db(transaction=True)]


def place(**extra: str) -> dict[str, str]:
    return {"kategorie": "strassenlaterne", "strasse": "Schulberg", "hausnummer": "4", **extra}


def file_by_address(client: Client, **extra) -> Report:
    details = client.post("/maengelmelder/melden/", place())
    assert details.status_code == 200, details.content.decode()[:2000]
    response = client.post(
        "/maengelmelder/melden/absenden/", {**place(), "beschreibung": "Die Laterne ist seit Tagen aus.", **extra}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Report.objects.latest("pk")


def test_a_citizen_files_by_street_and_house_number_without_javascript(towns, smtp):
    client = Client(HTTP_HOST=HOST)
    report = file_by_address(client, email="erika@example.org", name="Erika")
    assert report.address == "Schulberg 4" and report.precision == "street"
    assert report.department.code == "tiefbauamt" and report.channel == "web"
    assert client.get("/maengelmelder/gemeldet/").status_code == 200
    [receipt] = smtp.to("erika@example.org")
    assert f"/maengelmelder/{report.pk}/" in smtp.text_of(receipt)
    assert Event.objects.filter(name="report_filed", dimensions__category="strassenlaterne").exists()
    page = client.get(f"/maengelmelder/{report.pk}/").content.decode()
    assert "Die Laterne ist seit Tagen aus." in page
    assert "erika@example.org" not in page and "Erika" not in page


def test_mistakes_keep_everything_typed(towns):
    client = Client(HTTP_HOST=HOST)
    response = client.post("/maengelmelder/melden/", place(strasse="Gibtsnichtweg", ort="am Brunnen"))
    assert response.status_code == 422
    text = response.content.decode()
    assert "Gibtsnichtweg" in text and "am Brunnen" in text and 'aria-invalid="true"' in text
    outside = client.post("/maengelmelder/melden/", place(lat="52.52", lon="13.40"))
    assert outside.status_code == 422 and "außerhalb von Musterstadt" in outside.content.decode()
    short = client.post("/maengelmelder/melden/absenden/", {**place(), "beschreibung": "x", "email": "kaputt"})
    assert short.status_code == 422 and "kaputt" in short.content.decode()
    assert not Report.objects.filter(address="Schulberg 4").exists()


def test_coordinates_with_a_decimal_comma_are_understood(towns):
    client = Client(HTTP_HOST=HOST)
    lat, lon = (str(value).replace(".", ",") for value in INSIDE)
    response = client.post(
        "/maengelmelder/melden/absenden/",
        {"kategorie": "graffiti", "lat": lat, "lon": lon, "beschreibung": "Graffiti am Brunnen."},
    )
    assert response.status_code == 302
    report = Report.objects.latest("pk")
    assert (report.lat, report.lon) == INSIDE and report.precision == "point"
    # Without an address the public page names the coordinates: without JavaScript there is no map to "see".
    page = client.get(f"/maengelmelder/{report.pk}/").content.decode()
    assert "Breitengrad 50,22680, Längengrad 8,61820" in page


def test_open_reports_of_the_same_kind_nearby_are_suggested_and_can_be_supported(towns, smtp):
    client = Client(HTTP_HOST=HOST)
    lamp = Report.objects.get(municipality=towns[0], category__code="strassenlaterne")  # Heidestraße 21
    step_two = client.post("/maengelmelder/melden/", {"kategorie": "strassenlaterne", "strasse": "Heidestraße"})
    assert "Schon gemeldet?" in step_two.content.decode()
    assert f'action="/maengelmelder/{lamp.pk}/auch-gesehen/"' in step_two.content.decode()
    other_kind = client.post("/maengelmelder/melden/", {"kategorie": "graffiti", "strasse": "Heidestraße"})
    assert "Schon gemeldet?" not in other_kind.content.decode()
    client.post(f"/maengelmelder/{lamp.pk}/auch-gesehen/", {"email": "nachbar@example.org"})
    lamp.refresh_from_db()
    assert lamp.supporters == 1 and lamp.followers.filter(email="nachbar@example.org").exists()


def test_staff_set_a_status_with_a_public_note_and_everybody_who_asked_is_told(towns, smtp, roads_clerk):
    client = Client(HTTP_HOST=HOST)
    report = file_by_address(client, email="erika@example.org")
    services.report_support(report=report, email="nachbar@example.org")
    services.report_status_set(report=report, status="done", note="Leuchtmittel getauscht.", actor=roads_clerk)
    report.refresh_from_db()
    assert report.open311_status == "closed" and report.closed_at is not None
    for address in ("erika@example.org", "nachbar@example.org"):
        assert "Leuchtmittel getauscht." in smtp.text_of(smtp.to(address)[-1])
    entry = AuditEntry.objects.get(object_type="report", object_id=str(report.pk), action="report.status")
    assert entry.actor == roads_clerk and entry.changes["status"] == ["new", "done"]
    assert Event.objects.filter(name="report_closed", dimensions__reason="done").exists()
    assert "Leuchtmittel getauscht." in client.get(f"/maengelmelder/{report.pk}/").content.decode()
    with pytest.raises(services.ReportError):
        services.report_status_set(report=report, status="not_responsible", note="", actor=roads_clerk)


def test_merging_a_duplicate_points_to_the_original_and_tells_the_reporters_of_both(towns, smtp, roads_clerk):
    first = file_by_address(Client(HTTP_HOST=HOST), email="erste@example.org")
    second = file_by_address(Client(HTTP_HOST=HOST), email="zweite@example.org")
    services.report_merge(duplicate=second, original=first, actor=roads_clerk)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.status == "duplicate" and second.duplicate_of == first and second.open311_status == "closed"
    assert first.supporters == 1 and first.followers.filter(email="zweite@example.org").exists()
    assert f"/maengelmelder/{first.pk}/" in smtp.text_of(smtp.to("zweite@example.org")[-1])
    assert len(smtp.to("erste@example.org")) == 2  # the receipt and the notice of the second report
    assert AuditEntry.objects.filter(object_id=str(second.pk), action="report.merged").exists()
    with pytest.raises(services.ReportError):
        services.report_merge(duplicate=first, original=second, actor=roads_clerk)
    # Later news of the original reach the duplicate's reporter too.
    services.report_status_set(report=first, status="in_progress", note="Auftrag erteilt.", actor=roads_clerk)
    assert "Auftrag erteilt." in smtp.text_of(smtp.to("zweite@example.org")[-1])


def test_photos_lose_their_gps_position_and_all_metadata_and_are_public_only_after_release(towns, roads_clerk):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the test photo does carry a position
    client = Client(HTTP_HOST=HOST)
    client.post("/maengelmelder/melden/", place())
    photo_file = SimpleUploadedFile("IMG_0001.jpg", original, content_type="image/jpeg")
    png = SimpleUploadedFile("skizze.png", samples.png(4, 4), content_type="image/png")
    response = client.post(
        "/maengelmelder/melden/absenden/",
        {**place(), "beschreibung": "Laterne umgefahren.", "fotos": [photo_file, png]},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    report = Report.objects.latest("pk")
    photo, sketch = report.photos.order_by("pk")
    stored = photo.file.open("rb").read()
    assert b"Exif" not in stored and b"Phonemaker" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and not image.getexif() and "exif" not in image.info
    assert sketch.content_type == "image/png"

    public_url = f"/maengelmelder/foto/{photo.public_id}/"
    assert client.get(public_url).status_code == 404
    assert selectors.reports_geojson(municipality=towns[0])  # no photo URL is published before release
    services.photo_release(photo=photo, actor=roads_clerk)
    served = client.get(public_url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert b"Exif" not in b"".join(served.streaming_content)
    [request] = client.get(f"/open311/v2/requests/{report.pk}.json").json()
    assert request["media_url"] == f"http://{HOST}{public_url}"


def test_a_heic_photo_becomes_a_jpeg_without_metadata(towns):
    import pillow_heif  # noqa: F401 - registers the HEIF plug-in

    heic = io.BytesIO()
    Image.new("RGB", (32, 32), "blue").save(heic, format="HEIF", exif=Image.Exif().tobytes())
    location = services.location_resolve(municipality=towns[0], lat=INSIDE[0], lon=INSIDE[1])
    report = services.report_file(
        municipality=towns[0],
        category=Category.objects.get(municipality=towns[0], code="graffiti"),
        location=location,
        description="Schmiererei am Brunnen.",
        photo_files=[SimpleUploadedFile("IMG.HEIC", heic.getvalue())],
        session_key="test-session-key-0123456789abcdef",
    )
    [photo] = report.photos.all()
    assert photo.content_type == "image/jpeg" and photo.file.open("rb").read()[:2] == b"\xff\xd8"


def test_files_that_are_not_photos_are_refused_and_nothing_is_filed(towns):
    client = Client(HTTP_HOST=HOST)
    for name, content in (("a.pdf", samples.pdf()), ("b.html", samples.HTML), ("c.jpg", samples.EXE)):
        response = client.post(
            "/maengelmelder/melden/absenden/",
            {**place(), "beschreibung": "Laterne aus.", "fotos": [SimpleUploadedFile(name, content)]},
        )
        assert response.status_code == 422, name
    assert not Report.objects.filter(address="Schulberg 4").exists()
    assert not ReportPhoto.objects.exists()


def test_staff_see_only_their_departments_reports_and_nothing_of_other_municipalities(
    towns, roads_clerk, traffic_clerk, town_admin, other_town_admin, staff_log_in
):
    musterstadt, beispielhausen = towns
    lamp = Report.objects.get(municipality=musterstadt, category__code="strassenlaterne")
    light = Report.objects.get(municipality=musterstadt, category__code="ampel")
    elsewhere = Report.objects.filter(municipality=beispielhausen).first()

    clients: dict[int, Client] = {}

    def logged_in(user, host=HOST) -> Client:
        if user.pk not in clients:  # once per person: a TOTP code is accepted only once
            clients[user.pk] = Client(HTTP_HOST=host)
            staff_log_in(clients[user.pk], user)
        return clients[user.pk]

    def sees(user, report, host=HOST) -> bool:
        client = logged_in(user, host)
        listed = f'data-report="{report.pk}"' in client.get("/verwaltung/maengel/").content.decode()
        status = client.get(f"/verwaltung/maengel/{report.pk}/").status_code
        assert listed == (status == 200)
        return status == 200

    assert sees(roads_clerk, lamp) and not sees(roads_clerk, light)
    assert sees(traffic_clerk, light) and not sees(traffic_clerk, lamp)
    assert sees(town_admin, lamp) and sees(town_admin, light) and not sees(town_admin, elsewhere)
    assert sees(other_town_admin, elsewhere, OTHER_HOST) and not sees(other_town_admin, lamp, OTHER_HOST)
    # A status change on another department's report is a 404 too.
    response = logged_in(traffic_clerk).post(f"/verwaltung/maengel/{lamp.pk}/status/", {"status": "done", "notiz": "x"})
    assert response.status_code == 404
    lamp.refresh_from_db()
    assert lamp.status == "new"


def test_citizens_of_another_municipality_do_not_see_its_reports(towns):
    report = Report.objects.filter(municipality=towns[0]).first()
    assert Client(HTTP_HOST=HOST).get(f"/maengelmelder/{report.pk}/").status_code == 200
    assert Client(HTTP_HOST=OTHER_HOST).get(f"/maengelmelder/{report.pk}/").status_code == 404
    assert f"/maengelmelder/{report.pk}/" not in Client(HTTP_HOST=OTHER_HOST).get("/maengelmelder/").content.decode()


def test_only_municipality_admins_manage_api_keys_which_are_shown_once_and_stored_hashed(
    towns, roads_clerk, town_admin, staff_log_in
):
    clerk = Client(HTTP_HOST=HOST)
    staff_log_in(clerk, roads_clerk)
    assert clerk.get("/verwaltung/maengel/api-schluessel/").status_code == 404
    admin = Client(HTTP_HOST=HOST)
    staff_log_in(admin, town_admin)
    page = admin.post("/verwaltung/maengel/api-schluessel/", {"name": "Stadt-App"}).content.decode()
    plain = page.split("data-new-key>")[1].split("<")[0]
    key = ApiKey.objects.get(name="Stadt-App")
    assert plain.startswith("r311_") and plain not in key.key_hash and key.key_hash == selectors.key_hash(plain)
    assert plain not in admin.get("/verwaltung/maengel/api-schluessel/").content.decode()
    assert AuditEntry.objects.filter(object_type="open311_key", action="open311_key.created").exists()
    admin.post(f"/verwaltung/maengel/api-schluessel/{key.pk}/widerrufen/")
    assert selectors.api_key_find(plain=plain) is None


def test_the_geojson_selector_returns_anonymised_public_reports(towns):
    services.report_file(
        municipality=towns[0],
        category=Category.objects.get(municipality=towns[0], code="graffiti"),
        location=services.location_resolve(municipality=towns[0], lat=INSIDE[0], lon=INSIDE[1]),
        description="Graffiti an der Mauer.",
        reporter_name="Geheim Person",
        reporter_email="geheim@example.org",
    )
    collection = selectors.reports_geojson(municipality=towns[0])
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 5
    text = repr(collection)
    assert "geheim" not in text.lower() and "Geheim Person" not in text
    feature = collection["features"][0]
    assert feature["geometry"] == {"type": "Point", "coordinates": [INSIDE[1], INSIDE[0]]}
    assert set(feature["properties"]) >= {"service_code", "status", "requested_datetime"}


def test_the_public_reports_are_published_as_a_geojson_dataset(towns):
    from rathaus.opendata import tasks
    from rathaus.opendata.models import Dataset

    services.report_file(
        municipality=towns[0],
        category=Category.objects.get(municipality=towns[0], code="graffiti"),
        location=services.location_resolve(municipality=towns[0], lat=INSIDE[0], lon=INSIDE[1]),
        description="Graffiti an der Mauer.",
        reporter_email="geheim@example.org",
    )
    assert tasks.refresh_all(keys=["maengelmeldungen"])["created"] == 2
    dataset = Dataset.objects.get(organization__municipality=towns[0], generator="maengelmeldungen")
    resource = dataset.resources.get()
    assert resource.format == "GeoJSON"
    with resource.file.open("rb") as stream:
        published = json.loads(stream.read())
    assert published == selectors.reports_geojson(municipality=towns[0])
    assert "geheim" not in json.dumps(published)
