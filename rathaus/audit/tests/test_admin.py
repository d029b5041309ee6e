"""Operators can read the audit trail in the administration, never change it."""

import pytest
from django.test import Client

from rathaus.accounts.services import user_ensure
from rathaus.audit.models import AuditEntry
from rathaus.audit.services import audit_append


@pytest.fixture
def operator_client(musterstadt) -> Client:
    operator, _ = user_ensure(username="betrieb", email="betrieb@example.org", password="Betrieb-Passwort-1")
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client = Client(HTTP_HOST="musterstadt.localhost")
    client.force_login(operator)
    return client


@pytest.fixture
def entry(caseworker, musterstadt) -> AuditEntry:
    return audit_append(
        actor=caseworker,
        action="case.update",
        object_type="case",
        object_id="42",
        municipality=musterstadt,
        changes={"status": ["new", "approved"]},
    )


def test_operators_see_the_list_and_each_entry(operator_client, entry):
    listing = operator_client.get("/admin/audit/auditentry/")
    assert listing.status_code == 200
    assert "case.update" in listing.content.decode()

    detail = operator_client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert detail.status_code == 200
    assert entry.entry_hash in detail.content.decode()


def test_an_entry_whose_user_was_deleted_still_opens(operator_client, entry, caseworker):
    caseworker.staff_roles.all().delete()
    caseworker.delete()
    detail = operator_client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert detail.status_code == 200
    assert "max" in detail.content.decode()


def test_the_administration_offers_no_way_to_add_change_or_delete(operator_client, entry):
    assert operator_client.get("/admin/audit/auditentry/add/").status_code == 403
    assert operator_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    operator_client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"action": "case.read"})
    entry.refresh_from_db()
    assert entry.action == "case.update"
    assert AuditEntry.objects.count() == 1
