"""Writes of defect reports: locate, file, "I see it too", status with a public note, merge duplicates, release
photos, hide from the public, and the Open311 API keys.

Check, then do: `location_resolve` and the checks at the top of `report_file` raise ReportError (translated)
before anything is written. Every staff change is in the audit trail in the same transaction; e-mails to the
reporter and followers go out after the commit.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.analytics.services import event_emit
from rathaus.audit.services import audit_append
from rathaus.core.addresses import street_and_number
from rathaus.tenants.models import Municipality
from rathaus.uploads.ownership import Owner
from rathaus.uploads.services import UploadRejected, upload_accept, upload_discard

from . import mails, photos, selectors
from .errors import OutsideArea, ReportError
from .models import DESCRIPTION_MAX, ApiKey, Category, Report, ReportFollower, ReportPhoto, ReportUpdate

logger = logging.getLogger(__name__)

SERVICE_KEY = "maengelmeldung"  # the catalogue's service, so that the KPIs of reports sit beside it
DESCRIPTION_MIN = 5
NOTE_MAX = 2000
TEXT_MAX = 300
NAME_MAX = 200
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str, *, multiline: bool = False) -> str:
    """Text as typed, without control characters (they break XML and help nobody); lines kept when asked."""
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text or ""))
    if multiline:
        return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")).strip()
    return " ".join(text.split())


# --- location -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    lat: float
    lon: float
    precision: str
    address: str = ""
    zipcode: str = ""


def location_resolve(
    *,
    municipality: Municipality,
    lat: float | None,
    lon: float | None,
    street: str = "",
    house_number: str = "",
) -> Location:
    """Where a report is: the coordinates when given (from the map, typed, or sent by an app), otherwise the
    street from the municipality's street list (its point; staff see that the place is only the street).

    Raises OutsideArea for coordinates outside the municipality, ReportError for a street that is not in the list
    or when neither is given.
    """
    area = selectors.area_get(municipality=municipality)
    if area is None:
        raise ReportError(
            _("Defect reports are not set up for %(municipality)s yet.") % {"municipality": municipality.name},
            code="no_area",
        )
    street, house_number = street_and_number(clean_text(street), clean_text(house_number))
    if lat is not None and lon is not None:
        if not area.contains(lat, lon):
            raise OutsideArea(
                _(
                    "This place lies outside %(municipality)s. Please choose a place within the municipality, "
                    "or contact the municipality where the defect is."
                )
                % {"municipality": municipality.name},
                field="lat",
            )
        found = selectors.street_find(municipality=municipality, name=street) if street else None
        address = _address(found.name if found else street, house_number)
        return Location(lat, lon, Report.Precision.POINT, address[:TEXT_MAX], found.postal_code if found else "")
    if lat is not None or lon is not None:
        raise ReportError(_("Please give both latitude and longitude, or neither."), code="coordinates", field="lat")
    if not street:
        raise ReportError(
            _("Please tell us where the defect is: choose the place on the map, or enter the street."),
            code="no_location",
            field="strasse",
        )
    found = selectors.street_find(municipality=municipality, name=street)
    if found is None:
        raise ReportError(
            _(
                "We do not know the street “%(street)s” in %(municipality)s. Please check the spelling or choose "
                "the street from the list."
            )
            % {"street": street[:100], "municipality": municipality.name},
            code="unknown_street",
            field="strasse",
        )
    if not area.contains(found.lat, found.lon):
        raise OutsideArea(
            _("This street lies outside %(municipality)s.") % {"municipality": municipality.name}, field="strasse"
        )
    return Location(
        found.lat, found.lon, Report.Precision.STREET, _address(found.name, house_number)[:TEXT_MAX], found.postal_code
    )


def _address(street: str, house_number: str) -> str:
    return f"{street} {house_number}".strip()


# --- filing ---------------------------------------------------------------------------------------------------


def _check_contact(name: str, email: str) -> tuple[str, str]:
    name, email = clean_text(name), clean_text(email)
    if len(name) > NAME_MAX:
        raise ReportError(
            _("Please shorten your name to at most %(limit)s characters.") % {"limit": NAME_MAX}, field="name"
        )
    if email:
        try:
            validate_email(email)
        except ValidationError as error:
            raise ReportError(
                _("Please enter an e-mail address like name@example.org, or leave the field empty."),
                code="email",
                field="email",
            ) from error
    return name, email


def _check_description(description: str, *, required: bool) -> str:
    description = clean_text(description, multiline=True)
    if len(description) > DESCRIPTION_MAX:
        raise ReportError(
            _("Please shorten the description to at most %(limit)s characters.") % {"limit": DESCRIPTION_MAX},
            code="description",
            field="beschreibung",
        )
    if required and len(description) < DESCRIPTION_MIN:
        raise ReportError(_("Please describe the defect in a few words."), code="description", field="beschreibung")
    return description


@transaction.atomic
def report_file(
    *,
    municipality: Municipality,
    category: Category,
    location: Location,
    description: str,
    channel: str = Report.Channel.WEB,
    landmark: str = "",
    reporter_name: str = "",
    reporter_email: str = "",
    language: str = "de",
    photo_files: Sequence[UploadedFile] = (),
    owner: Owner = None,
    session_key: str = "",
    api_key: ApiKey | None = None,
    external_media_url: str = "",
) -> Report:
    """File a report in `category`, routed to the category's department, at `location` (see location_resolve).

    Photos are checked by content and scanned (rathaus.uploads), then stored without any metadata and shown only
    after staff release them. Web reports need a description; Open311 allows none. Raises ReportError
    (translated) for a bad description, name, e-mail or photo; nothing is stored then.
    """
    if category.municipality_id != municipality.pk or not category.active:
        raise ReportError(_("Please choose what you would like to report."), code="unknown_category", field="kategorie")
    if len(photo_files) > photos.PHOTOS_MAX:
        raise ReportError(
            _("Please send at most %(limit)s photos.") % {"limit": photos.PHOTOS_MAX}, code="photo", field="fotos"
        )
    description = _check_description(description, required=channel == Report.Channel.WEB)
    reporter_name, reporter_email = _check_contact(reporter_name, reporter_email)
    report = Report.objects.create(
        municipality=municipality,
        category=category,
        department=category.department,
        description=description,
        lat=location.lat,
        lon=location.lon,
        precision=location.precision,
        address=location.address,
        zipcode=location.zipcode,
        landmark=clean_text(landmark)[:TEXT_MAX],
        channel=channel,
        reporter_name=reporter_name,
        reporter_email=reporter_email,
        language=(language or "de")[:8],
        api_key=api_key,
        external_media_url=external_media_url[:500],
    )
    for file in photo_files:
        _photo_add(report, file, owner=owner, session_key=session_key)
    ReportUpdate.objects.create(report=report, kind=ReportUpdate.Kind.FILED, status=report.status)
    event_emit(
        name="report_filed", municipality=municipality, service_key=SERVICE_KEY, category=category.code, method=channel
    )
    if reporter_email:
        transaction.on_commit(partial(mails.filed_mail_send, report.pk))
    logger.info("defect report %s filed in %s (%s, %s)", report.pk, municipality.slug, category.code, channel)
    return report


def _photo_add(report: Report, file: UploadedFile, *, owner: Owner, session_key: str) -> ReportPhoto:
    try:
        upload = upload_accept(
            file=file,
            rule=photos.PHOTO_RULE,
            municipality=report.municipality,
            owner=owner,
            session_key=session_key,
            service_key=SERVICE_KEY,
        )
    except UploadRejected as rejection:
        raise ReportError(str(rejection), code="photo", field="fotos") from rejection
    try:
        content, content_type, width, height = photos.cleaned_file(upload)
    finally:
        # The original (with its metadata) goes at once, not after the commit: a rollback must not leave it behind.
        upload.file.delete(save=False)
        upload_discard(upload=upload, owner=owner, session_key=session_key)
    photo = ReportPhoto(report=report, content_type=content_type, width=width, height=height)
    photo.file.save("photo", content, save=False)
    photo.save()
    return photo


@transaction.atomic
def report_support(*, report: Report, email: str = "", language: str = "de") -> Report:
    """Somebody sees the same defect ("I see it too"): counted, and with an e-mail address they hear of changes.

    Raises ReportError for a closed report or a malformed address.
    """
    if not report.is_open:
        raise ReportError(_("This report has already been closed."), code="closed")
    _name, email = _check_contact("", email)
    Report.objects.filter(pk=report.pk).update(supporters=F("supporters") + 1)
    if email and email.lower() != report.reporter_email.lower():
        ReportFollower.objects.get_or_create(report=report, email=email, defaults={"language": (language or "de")[:8]})
    event_emit(
        name="report_supported",
        municipality=report.municipality,
        service_key=SERVICE_KEY,
        category=report.category.code,
    )
    report.refresh_from_db(fields=["supporters"])
    return report


# --- staff changes --------------------------------------------------------------------------------------------


def _audit(report: Report, *, actor: User, action: str, changes: dict) -> None:
    audit_append(
        actor=actor,
        action=action,
        object_type="report",
        object_id=str(report.pk),
        municipality=report.municipality,
        changes=changes,
    )


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("municipality", "category").get(pk=report.pk)


def _check_note(note: str) -> str:
    note = clean_text(note, multiline=True)
    if len(note) > NOTE_MAX:
        raise ReportError(
            _("Please shorten the note to at most %(limit)s characters.") % {"limit": NOTE_MAX}, field="notiz"
        )
    return note


STAFF_STATUSES = (
    Report.Status.NEW,
    Report.Status.IN_PROGRESS,
    Report.Status.DONE,
    Report.Status.NOT_RESPONSIBLE,
)


@transaction.atomic
def report_status_set(*, report: Report, status: str, note: str, actor: User) -> Report:
    """Set the status with a public note; the reporter and followers get an e-mail. "Reported twice" is set by
    merging (report_merge). "Not our responsibility" needs a note that says who is. A note alone (same status)
    is a public update too; nothing at all changes nothing."""
    if status not in STAFF_STATUSES:
        raise ReportError(_("Please choose a status."), code="status", field="status")
    note = _check_note(note)
    if status == Report.Status.NOT_RESPONSIBLE and not note:
        raise ReportError(
            _("Please say in the note who is responsible instead, so that the reporter knows where to turn."),
            code="note_required",
            field="notiz",
        )
    locked = _lock(report)
    if locked.status == Report.Status.DUPLICATE:
        raise ReportError(_("This report was merged into another one; change that one instead."), code="duplicate")
    if locked.status == status and not note:
        return locked
    old_status, was_open = locked.status, locked.is_open
    locked.status = status
    locked.status_note = note
    locked.closed_at = None if status in Report.OPEN else (locked.closed_at if not was_open else timezone.now())
    locked.save(update_fields=["status", "status_note", "closed_at", "updated_at"])
    ReportUpdate.objects.create(report=locked, kind=ReportUpdate.Kind.STATUS, status=status, note=note)
    _audit(locked, actor=actor, action="report.status", changes={"status": [old_status, status], "note": ["", note]})
    if was_open and not locked.is_open:
        event_emit(
            name="report_closed",
            municipality=locked.municipality,
            service_key=SERVICE_KEY,
            category=locked.category.code,
            method=locked.channel,
            reason=status,
            duration=int((timezone.now() - locked.created_at).total_seconds()),  # time to close, for the KPIs
        )
    transaction.on_commit(partial(mails.status_mail_send, locked.pk))
    return locked


@transaction.atomic
def report_merge(*, duplicate: Report, original: Report, actor: User, note: str = "") -> Report:
    """Close `duplicate` as reported twice, pointing to `original`, which counts its supporters and takes over
    its reporter and followers; the people of both are told. Raises ReportError when the two cannot be merged."""
    if duplicate.pk == original.pk:
        raise ReportError(_("A report cannot be merged into itself."), code="merge_self", field="original")
    if duplicate.municipality_id != original.municipality_id:
        raise ReportError(_("Please choose a report of this municipality."), code="merge_other", field="original")
    note = _check_note(note)
    # Lock in a fixed order, so that two people merging in opposite directions cannot deadlock.
    first, second = sorted([duplicate, original], key=lambda report: report.pk)
    locked = {report.pk: _lock(report) for report in (first, second)}
    dup, orig = locked[duplicate.pk], locked[original.pk]
    if dup.status == Report.Status.DUPLICATE:
        raise ReportError(_("This report has already been merged."), code="merged")
    if orig.status == Report.Status.DUPLICATE:
        raise ReportError(
            _("Report #%(number)s was itself merged into another; choose that one.") % {"number": orig.pk},
            code="merge_duplicate",
            field="original",
        )
    was_open = dup.is_open
    old_status = dup.status
    dup.status = Report.Status.DUPLICATE
    dup.duplicate_of = orig
    dup.status_note = note or _("This defect was reported twice. We continue with report #%(number)s.") % {
        "number": orig.pk
    }
    dup.closed_at = dup.closed_at or timezone.now()
    dup.save(update_fields=["status", "duplicate_of", "status_note", "closed_at", "updated_at"])
    orig.supporters += 1 + dup.supporters
    orig.save(update_fields=["supporters", "updated_at"])
    known = {email.lower() for email, _language in selectors.recipients(report=orig)}
    for email, language in selectors.recipients(report=dup):
        if email not in known:
            ReportFollower.objects.create(report=orig, email=email, language=language)
    ReportUpdate.objects.create(report=dup, kind=ReportUpdate.Kind.MERGED, status=dup.status, note=dup.status_note)
    _audit(
        dup,
        actor=actor,
        action="report.merged",
        changes={"status": [old_status, dup.status], "duplicate_of": [None, orig.pk]},
    )
    _audit(orig, actor=actor, action="report.merged_into", changes={"duplicates": [None, dup.pk]})
    if was_open:
        event_emit(
            name="report_closed",
            municipality=dup.municipality,
            service_key=SERVICE_KEY,
            category=dup.category.code,
            method=dup.channel,
            reason="duplicate",
            duration=int((timezone.now() - dup.created_at).total_seconds()),
        )
    transaction.on_commit(partial(mails.merged_mail_send, dup.pk))
    return dup


@transaction.atomic
def photo_release(*, photo: ReportPhoto, actor: User) -> ReportPhoto:
    """Show the photo publicly (staff looked: no faces, no number plates). Releasing again changes nothing."""
    if photo.released:
        return photo
    photo.released_at = timezone.now()
    photo.save(update_fields=["released_at"])
    _audit(photo.report, actor=actor, action="report.photo_released", changes={"photo": [None, str(photo.public_id)]})
    return photo


@transaction.atomic
def photo_delete(*, photo: ReportPhoto, actor: User) -> None:
    """Delete a photo that must not be kept (it shows people, or nothing of the defect)."""
    from rathaus.core.files import delete_after_commit

    _audit(photo.report, actor=actor, action="report.photo_deleted", changes={"photo": [str(photo.public_id), None]})
    delete_after_commit(photo.file, label=f"photo {photo.public_id}")
    photo.delete()


@transaction.atomic
def report_visibility_set(*, report: Report, public: bool, actor: User) -> Report:
    """Hide a report from the public list, map and Open311 (it contains personal data or insults), or show it."""
    locked = _lock(report)
    if locked.public == public:
        return locked
    locked.public = public
    locked.save(update_fields=["public", "updated_at"])
    _audit(locked, actor=actor, action="report.visibility", changes={"public": [not public, public]})
    return locked


# --- Open311 API keys -----------------------------------------------------------------------------------------


@transaction.atomic
def api_key_create(
    *, municipality: Municipality, name: str, actor: User | None, plain: str | None = None
) -> tuple[ApiKey, str]:
    """A new key for an Open311 client; returns the key and its value, which is shown once and stored only as
    a hash. `plain` is for the demo's published key only."""
    name = clean_text(name)
    if not name or len(name) > 200:
        raise ReportError(_("Please name the app or client the key is for."), code="name", field="name")
    plain = plain or ApiKey.new_plain()
    key = ApiKey.objects.create(
        municipality=municipality,
        name=name,
        hint=plain[:9],
        key_hash=selectors.key_hash(plain),
        created_by=actor,
    )
    if actor is not None:
        audit_append(
            actor=actor,
            action="open311_key.created",
            object_type="open311_key",
            object_id=str(key.pk),
            municipality=municipality,
            changes={"name": [None, name]},
        )
    return key, plain


@transaction.atomic
def api_key_revoke(*, key: ApiKey, actor: User) -> ApiKey:
    """The key stops working at once; revoking again changes nothing."""
    if key.revoked_at is not None:
        return key
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    audit_append(
        actor=actor,
        action="open311_key.revoked",
        object_type="open311_key",
        object_id=str(key.pk),
        municipality=key.municipality,
        changes={"revoked": [False, True]},
    )
    return key


def api_key_used(*, key: ApiKey) -> None:
    ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
