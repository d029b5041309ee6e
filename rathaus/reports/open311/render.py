"""Open311 answers as JSON or XML, and errors in the standard's format (a list of code and description).

XML is built with ElementTree, so it is always well-formed; lists become repeated elements under the names the
standard uses (service_requests/request, services/service, endpoints/endpoint, ...).
"""

from __future__ import annotations

import json
import re
from typing import Any
from xml.etree import ElementTree

from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
FORMATS = ("json", "xml")
# The element name of each item of a nested list.
ITEM_NAMES = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}


class Open311Error(Exception):
    """An error answer: HTTP status `status` (400, 403, 404, 405, 429) with the translated `description`."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


# Characters XML 1.0 does not allow at all (not even escaped); an echoed parameter may contain them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else _NOT_XML.sub("\ufffd", str(value))


def _fill(element: ElementTree.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ElementTree.SubElement(element, key), child)
    elif isinstance(value, list):
        item_name = ITEM_NAMES.get(element.tag, "item")
        for child in value:
            _fill(ElementTree.SubElement(element, item_name), child)
    else:
        element.text = _text(value)


def xml_bytes(root: str, item: str | None, data: Any) -> bytes:
    """`data` (a list of dicts under `root`/`item`, or one dict as `root`) as an XML document."""
    element = ElementTree.Element(root)
    if isinstance(data, list):
        for entry in data:
            _fill(ElementTree.SubElement(element, item or "item"), entry)
    else:
        _fill(element, data)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
        element, encoding="utf-8", xml_declaration=False
    )


def respond(fmt: str, data: Any, *, root: str, item: str | None = None, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(xml_bytes(root, item, data), content_type=XML_TYPE, status=status)
    body = json.dumps(data, ensure_ascii=False)
    return HttpResponse(body.encode(), content_type=JSON_TYPE, status=status)


def error_response(fmt: str, error: Open311Error) -> HttpResponse:
    data = [{"code": error.status, "description": error.description}]
    response = respond(fmt if fmt in FORMATS else "json", data, root="errors", item="error", status=error.status)
    response["Cache-Control"] = "no-store"
    return response
