"""Checks of resource files by content: CSV, JSON, GeoJSON, iCalendar and PDF, before anything is stored.

rathaus.uploads checks the document types citizens send (PDF and images) and is tied to their ownership; open
data files are text formats, so they are checked here, reusing its PDF sniffer and the configured virus scanner.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
from dataclasses import dataclass
from typing import Any

import icalendar
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from rathaus.uploads import sniffing
from rathaus.uploads.scanners import ScannerUnavailable, scanner_configured

from .errors import OpendataError

logger = logging.getLogger(__name__)
GEOJSON_TYPES = {
    "FeatureCollection",
    "Feature",
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}
CSV_CHECK_ROWS = 1000


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    sha256: str


def _rejected(message: str) -> OpendataError:
    return OpendataError(message, code="file_rejected", field="file")


def read_limited(file: UploadedFile) -> bytes:
    limit = settings.RATHAUS_OPENDATA_UPLOAD_MAX_MB * 1024 * 1024
    too_large = _rejected(
        _("The file is larger than %(limit)s MB. Please link large files instead of uploading them.")
        % {"limit": settings.RATHAUS_OPENDATA_UPLOAD_MAX_MB}
    )
    if file.size is not None and file.size > limit:
        raise too_large
    buffer = io.BytesIO()
    for chunk in file.chunks(64 * 1024):
        buffer.write(chunk)
        if buffer.tell() > limit:
            raise too_large
    return buffer.getvalue()


def _text(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _rejected(_("The file is not UTF-8 text. Please save it as UTF-8 and upload it again.")) from None


def csv_dialect(text: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        return csv.excel


def _check_csv(content: bytes) -> None:
    text = _text(content)
    try:
        rows = csv.reader(io.StringIO(text), csv_dialect(text))
        header = next(rows, None)
        if not header or not any(cell.strip() for cell in header):
            raise _rejected(_("The CSV file has no header row with column names."))
        for number, row in enumerate(rows, start=2):
            if number > CSV_CHECK_ROWS:
                break
            if row and len(row) != len(header):
                raise _rejected(
                    _("Line %(line)s of the CSV file has %(found)s columns instead of %(expected)s.")
                    % {"line": number, "found": len(row), "expected": len(header)}
                )
    except csv.Error as error:
        raise _rejected(_("The CSV file cannot be read: %(error)s") % {"error": error}) from None


def _json(content: bytes) -> Any:
    try:
        return json.loads(_text(content))
    except ValueError:
        raise _rejected(_("The file is not valid JSON.")) from None


def _check_geojson(content: bytes) -> None:
    data = _json(content)
    if not isinstance(data, dict) or data.get("type") not in GEOJSON_TYPES:
        raise _rejected(_('The file is JSON but not GeoJSON (it needs a "type" such as FeatureCollection).'))


def _check_ics(content: bytes) -> None:
    try:
        calendar = icalendar.Calendar.from_ical(_text(content))
    except ValueError:
        raise _rejected(_("The file is not a valid iCalendar file (.ics).")) from None
    if calendar.name != "VCALENDAR":
        raise _rejected(_("The file is not a valid iCalendar file (.ics)."))


def _check_pdf(content: bytes) -> None:
    sniffed = sniffing.sniff(io.BytesIO(content), len(content))
    if sniffed.content_type != sniffing.PDF or not sniffed.intact:
        raise _rejected(_("The file is not a complete PDF document."))


CHECKS = {
    "CSV": _check_csv,
    "JSON": lambda content: _json(content) and None,
    "GeoJSON": _check_geojson,
    "ICS": _check_ics,
    "PDF": _check_pdf,
}


def content_check(content: bytes, format_code: str) -> CheckedFile:
    """`content` if it is a sound file of the format; OpendataError with a translated message otherwise."""
    if not content:
        raise _rejected(_("The file is empty. Please choose the file again."))
    check = CHECKS.get(format_code)
    if check is None:
        raise _rejected(_("Files of this format cannot be uploaded; please give a link instead."))
    check(content)
    scanner = scanner_configured()
    if scanner is not None:
        try:
            result = scanner.scan(io.BytesIO(content))
        except ScannerUnavailable as error:
            logger.error("virus scan failed, open data file refused: %s", error)
            raise _rejected(
                _(
                    "We cannot check files for viruses at the moment, so the file was not accepted. "
                    "Please try again later."
                )
            ) from error
        if result.infected:
            raise _rejected(_("The file contains a virus or other harmful content and was not accepted."))
    return CheckedFile(content=content, sha256=hashlib.sha256(content).hexdigest())
