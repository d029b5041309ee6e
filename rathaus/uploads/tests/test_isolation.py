"""A citizen never opens another citizen's file: not through the selector, not through the download URL."""

import re
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from rathaus.testing import samples
from rathaus.uploads.ownership import SESSION_FIELD, guest_session_key
from rathaus.uploads.selectors import upload_get_for_owner
from rathaus.uploads.services import UploadRule, upload_accept, uploads_claim

from .conftest import upload_file

RULE = UploadRule(document_id="nachweis", accept=("application/pdf", "image/png"), max_size_mb=5)


def store(*, owner=None, session_key="", municipality, content=None, name="Mietvertrag.pdf"):
    return upload_accept(
        file=upload_file(content or samples.pdf(), name),
        rule=RULE,
        municipality=municipality,
        owner=owner,
        session_key=session_key,
    )


def guest_client(host="musterstadt.localhost") -> tuple[Client, str]:
    client = Client(HTTP_HOST=host)
    session = client.session
    session.save()
    client.cookies["sessionid"] = session.session_key
    return client, session.session_key


def test_a_user_finds_only_their_own_uploads(erika, otto, musterstadt):
    erikas = store(owner=erika, municipality=musterstadt)
    ottos = store(owner=otto, municipality=musterstadt)

    assert upload_get_for_owner(public_id=erikas.public_id, owner=erika, session_key="") == erikas
    assert upload_get_for_owner(public_id=str(erikas.public_id), owner=erika, session_key="") == erikas
    assert upload_get_for_owner(public_id=ottos.public_id, owner=erika, session_key="") is None
    assert upload_get_for_owner(public_id=erikas.public_id, owner=otto, session_key="") is None


def test_a_guest_finds_only_the_uploads_of_their_session(erika, musterstadt):
    mine = store(session_key="sitzung-a", municipality=musterstadt)

    assert upload_get_for_owner(public_id=mine.public_id, owner=None, session_key="sitzung-a") == mine
    assert upload_get_for_owner(public_id=mine.public_id, owner=AnonymousUser(), session_key="sitzung-a") == mine
    assert upload_get_for_owner(public_id=mine.public_id, owner=None, session_key="sitzung-b") is None
    assert upload_get_for_owner(public_id=mine.public_id, owner=None, session_key="") is None
    # A logged-in user (even in the same browser session) does not see guest uploads.
    assert upload_get_for_owner(public_id=mine.public_id, owner=erika, session_key="sitzung-a") is None


def test_a_users_upload_is_not_found_through_a_session(erika, musterstadt):
    erikas = store(owner=erika, session_key="sitzung-a", municipality=musterstadt)
    assert upload_get_for_owner(public_id=erikas.public_id, owner=None, session_key="sitzung-a") is None
    assert upload_get_for_owner(public_id=erikas.public_id, owner=None, session_key="") is None


def test_an_upload_is_found_only_in_its_municipality(erika, musterstadt, beispielhausen):
    erikas = store(owner=erika, municipality=musterstadt)
    found = upload_get_for_owner(public_id=erikas.public_id, owner=erika, session_key="", municipality=musterstadt)
    assert found == erikas
    assert (
        upload_get_for_owner(public_id=erikas.public_id, owner=erika, session_key="", municipality=beispielhausen)
        is None
    )


@pytest.mark.parametrize("public_id", ["", "kein-uuid", "1 OR 1=1", str(uuid.uuid4())])
def test_malformed_or_unknown_ids_find_nothing(public_id, erika, musterstadt):
    store(owner=erika, municipality=musterstadt)
    assert upload_get_for_owner(public_id=public_id, owner=erika, session_key="") is None


# The download URL /dateien/<uuid>/


def test_the_owner_downloads_the_file_as_an_attachment_with_its_real_type(erika, musterstadt):
    upload = store(owner=erika, municipality=musterstadt, content=samples.png(), name="Ausweis Rückseite.pdf")
    client = Client(HTTP_HOST="musterstadt.localhost")
    client.force_login(erika)

    response = client.get(f"/dateien/{upload.public_id}/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.png()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == "attachment; filename*=utf-8''Ausweis%20R%C3%BCckseite.png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Content-Length"] == str(len(samples.png()))
    assert upload.get_absolute_url() == f"/dateien/{upload.public_id}/"


def _page(content: bytes, public_id) -> bytes:
    content = content.replace(str(public_id).encode(), b"ID")
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


def test_others_get_the_same_404_as_for_a_file_that_does_not_exist(erika, otto, musterstadt):
    upload = store(owner=erika, municipality=musterstadt)
    other = Client(HTTP_HOST="musterstadt.localhost")
    other.force_login(otto)
    anonymous = Client(HTTP_HOST="musterstadt.localhost")
    guest, _ = guest_client()

    for client in (other, anonymous, guest):
        unknown = uuid.uuid4()
        missing = client.get(f"/dateien/{unknown}/")
        response = client.get(f"/dateien/{upload.public_id}/")
        assert missing.status_code == response.status_code == 404
        # Apart from the address (in the language switch) and the per-render CSRF mask, the pages are the same.
        assert _page(response.content, upload.public_id) == _page(missing.content, unknown)
        assert b"%PDF" not in response.content


def test_a_file_is_not_served_under_another_municipalitys_host(erika, musterstadt, beispielhausen):
    upload = store(owner=erika, municipality=musterstadt)
    client = Client(HTTP_HOST="beispielhausen.localhost")
    client.force_login(erika)
    assert client.get(f"/dateien/{upload.public_id}/").status_code == 404


def test_a_guest_downloads_only_the_files_of_their_own_session(musterstadt):
    first, first_key = guest_client()
    second, _ = guest_client()
    upload = store(session_key=first_key, municipality=musterstadt)

    assert first.get(f"/dateien/{upload.public_id}/").status_code == 200
    assert second.get(f"/dateien/{upload.public_id}/").status_code == 404


def test_a_guest_file_is_not_served_to_a_user_account(erika, musterstadt):
    guest, key = guest_client()
    upload = store(session_key=key, municipality=musterstadt)
    guest.force_login(erika)  # logging in starts a new session
    assert guest.get(f"/dateien/{upload.public_id}/").status_code == 404


def test_uploads_are_not_reachable_under_the_media_url(erika, musterstadt):
    upload = store(owner=erika, municipality=musterstadt)
    client = Client(HTTP_HOST="musterstadt.localhost")
    client.force_login(erika)
    assert client.get(f"/media/{upload.file.name}").status_code == 404
    assert client.get(f"/dateien/{upload.file.name}").status_code == 404


def test_a_missing_stored_file_is_a_404_not_a_500(erika, musterstadt, media_root):
    upload = store(owner=erika, municipality=musterstadt)
    (media_root / upload.file.name).unlink()
    client = Client(HTTP_HOST="musterstadt.localhost")
    client.force_login(erika)
    assert client.get(f"/dateien/{upload.public_id}/").status_code == 404


def test_only_get_is_allowed(erika, musterstadt):
    upload = store(owner=erika, municipality=musterstadt)
    client = Client(HTTP_HOST="musterstadt.localhost", enforce_csrf_checks=True)
    client.force_login(erika)
    assert client.post(f"/dateien/{upload.public_id}/").status_code in (403, 405)


# A guest who logs in keeps their uploads: the stable guest key survives the session key change.


def test_a_guest_who_logs_in_can_claim_the_uploads_of_their_session(erika, otto, musterstadt, rf):
    request = rf.get("/")
    request.session = SessionStore()
    key = guest_session_key(request)
    assert guest_session_key(request) == key
    request.session.cycle_key()  # what login() does
    assert guest_session_key(request) == key

    mine = store(session_key=key, municipality=musterstadt)
    someone_elses = store(session_key="another-guest", municipality=musterstadt)

    assert uploads_claim(owner=erika, session_key=key) == 1
    assert upload_get_for_owner(public_id=mine.public_id, owner=erika, session_key="") == mine
    assert upload_get_for_owner(public_id=mine.public_id, owner=None, session_key=key) is None
    assert upload_get_for_owner(public_id=someone_elses.public_id, owner=erika, session_key="") is None
    assert uploads_claim(owner=otto, session_key=key) == 0  # claimed once, by one account
    assert uploads_claim(owner=None, session_key="another-guest") == 0


def test_a_guest_downloads_with_the_stable_guest_key(musterstadt):
    client = Client(HTTP_HOST="musterstadt.localhost")
    session = client.session
    session[SESSION_FIELD] = "x" * 43
    session.save()
    client.cookies["sessionid"] = session.session_key
    upload = store(session_key="x" * 43, municipality=musterstadt)

    assert client.get(f"/dateien/{upload.public_id}/").status_code == 200
    assert Client(HTTP_HOST="musterstadt.localhost").get(f"/dateien/{upload.public_id}/").status_code == 404
