"""The CKAN Action API (read actions) at /api/3/action/<name> and /api/action/<name>, GET or POST (JSON body).

Answers use CKAN's envelope: {"help": ..., "success": true, "result": ...}, or {"success": false, "error":
{"__type": "Not Found Error" | "Validation Error", ...}} with HTTP 404 / 409, as CKAN does; a body that is not
a JSON object is a 400. Unknown actions are a "Not Found Error" (404). Nothing the client sends becomes a 500.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from rathaus.core.middleware import answers_nul_characters, json_has_nul
from rathaus.tenants.models import Municipality

from . import ckan, search, selectors, urls_of
from .errors import SearchParameterError

logger = logging.getLogger(__name__)

CKAN_VERSION = "2.10.0"  # the API level these answers follow
LIST_LIMIT_MAX = 1000


class ActionError(Exception):
    def __init__(self, kind: str, status: int, *, message: str = "", fields: dict[str, list[str]] | None = None):
        super().__init__(message or kind)
        self.kind = kind
        self.status = status
        self.message = message
        self.fields = fields or {}

    def error(self) -> dict[str, Any]:
        error: dict[str, Any] = {"__type": self.kind}
        if self.message:
            error["message"] = self.message
        error.update(self.fields)
        return error


def not_found(what: str) -> ActionError:
    return ActionError("Not Found Error", 404, message=f"Not found: {what}")


def invalid(field: str, message: str) -> ActionError:
    return ActionError("Validation Error", 409, fields={field: [message]})


Action = Callable[[HttpRequest, dict[str, Any]], Any]
ACTIONS: dict[str, Action] = {}


def action(function: Action) -> Action:
    ACTIONS[function.__name__] = function
    return function


def _required(data: dict[str, Any], name: str) -> str:
    value = data.get(name)
    if value in (None, ""):
        raise invalid(name, "Missing value")
    if not isinstance(value, str):
        raise invalid(name, "Must be text")
    return value


def _flag(data: dict[str, Any], name: str, default: bool = False) -> bool:
    value = data.get(name, default)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "1", "yes", "false", "0", "no", ""):
        return value.lower() in ("true", "1", "yes")
    raise invalid(name, "Must be true or false")


def _number(data: dict[str, Any], name: str, default: int | None, *, high: int | None = None) -> int | None:
    value = data.get(name, default)
    if value in (None, ""):
        return default
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        raise invalid(name, "Must be a whole number")
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        raise invalid(name, "Must be a whole number") from None
    if number < 0:
        raise invalid(name, "Must be a positive integer")
    high = search.START_MAX if high is None else high
    if number > high:
        raise invalid(name, f"Must be less than or equal to {high}")
    return number


def _base(request: HttpRequest) -> str:
    return urls_of.base_url(request)


@action
def status_show(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """The site's title, address and the CKAN API level it follows."""
    names = ", ".join(Municipality.objects.order_by("name").values_list("name", flat=True))
    return {
        "site_title": "Rathaus – Offene Daten",
        "site_description": f"Offene Daten der Kommunen {names}" if names else "Offene Daten",
        "site_url": _base(request),
        "ckan_version": CKAN_VERSION,
        "api_version": 3,
        "locale_default": "de",
        "error_emails_to": None,
        "extensions": ["dcat"],
    }


@action
def package_list(request: HttpRequest, data: dict[str, Any]) -> list[str]:
    """Names of all published datasets, alphabetical (limit, offset)."""
    limit = _number(data, "limit", None, high=None)
    offset = _number(data, "offset", 0) or 0
    return selectors.dataset_names(limit=limit, offset=offset)


@action
def package_show(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """One dataset by id or name (id)."""
    key = _required(data, "id")
    dataset = selectors.dataset_get(id_or_name=key)
    if dataset is None:
        raise not_found("Dataset")
    return ckan.package_dict(dataset, _base(request))


@action
def package_search(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """Search: q, fq, rows (default 10, at most 1000), start, sort, facet.field, facet.limit, facet.mincount."""
    try:
        params = search.params_from_request(data)
    except SearchParameterError as error:
        raise invalid(error.field, error.message) from None
    found = search.dataset_search(params)
    base = _base(request)
    facets = {name: {item.name: item.count for item in items} for name, items in found.facets.items()}
    search_facets = {
        name: {
            "title": name,
            "items": [{"name": item.name, "display_name": item.display_name, "count": item.count} for item in items],
        }
        for name, items in found.facets.items()
    }
    return {
        "count": found.count,
        "sort": found.sort,
        "facets": facets,
        "search_facets": search_facets,
        "results": [ckan.package_dict(dataset, base) for dataset in found.datasets],
    }


def _list_sort(data: dict[str, Any], default: str) -> tuple[str, bool]:
    sort = data.get("sort") or default
    if not isinstance(sort, str):
        raise invalid("sort", "Must be text")
    words = sort.split()
    if not words or words[0] not in ("name", "title", "package_count") or len(words) > 2:
        raise invalid("sort", 'Use "name asc", "title asc" or "package_count desc"')
    return words[0], len(words) == 2 and words[1] == "desc"


def _listing(items: list[Any], data: dict[str, Any], *, dicts: Callable[[Any], dict[str, Any]]) -> list[Any]:
    """CKAN's list actions: sort ("name asc", "title asc", "package_count desc"), offset, limit, all_fields."""
    field, descending = _list_sort(data, "name asc")
    keys: dict[str, Callable[[Any], Any]] = {
        "name": lambda item: item.name,
        "title": lambda item: str(dicts(item)["title"]).lower(),
        "package_count": lambda item: (item.package_count, item.name),
    }
    items.sort(key=keys[field], reverse=descending)
    offset = _number(data, "offset", 0) or 0
    limit = _number(data, "limit", LIST_LIMIT_MAX, high=LIST_LIMIT_MAX) or 0
    items = items[offset : offset + limit]
    if _flag(data, "all_fields"):
        return [dicts(item) for item in items]
    return [item.name for item in items]


@action
def organization_list(request: HttpRequest, data: dict[str, Any]) -> list[Any]:
    """Organisations (municipalities, departments, companies): names, or dicts with all_fields."""
    return _listing(list(selectors.organizations_public()), data, dicts=ckan.organization_dict)


@action
def organization_show(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """One organisation by id or name; include_datasets lists its datasets."""
    organization = selectors.organization_get(id_or_name=_required(data, "id"))
    if organization is None:
        raise not_found("Organization")
    result = ckan.organization_dict(organization)
    if _flag(data, "include_datasets"):
        base = _base(request)
        result["packages"] = [
            ckan.package_dict(dataset, base) for dataset in selectors.organization_datasets(organization=organization)
        ]
    return result


@action
def group_list(request: HttpRequest, data: dict[str, Any]) -> list[Any]:
    """Groups: the EU data themes."""
    return _listing(list(selectors.themes_with_counts()), data, dicts=ckan.group_dict)


@action
def group_show(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """One theme by id or name (e.g. "envi"); include_datasets lists its datasets."""
    theme = selectors.theme_get(id_or_name=_required(data, "id"))
    if theme is None:
        raise not_found("Group")
    result = ckan.group_dict(theme)
    if _flag(data, "include_datasets"):
        base = _base(request)
        result["packages"] = [ckan.package_dict(dataset, base) for dataset in selectors.theme_datasets(theme=theme)]
    return result


@action
def tag_list(request: HttpRequest, data: dict[str, Any]) -> list[Any]:
    """Tags of published datasets (query: part of the name; all_fields for dicts)."""
    query = data.get("query") or ""
    if not isinstance(query, str):
        raise invalid("query", "Must be text")
    tags = list(selectors.tags_in_use(query=query))
    if _flag(data, "all_fields"):
        return [ckan.tag_dict(tag) for tag in tags]
    return [tag.name for tag in tags]


@action
def resource_show(request: HttpRequest, data: dict[str, Any]) -> dict[str, Any]:
    """One resource by id."""
    resource = selectors.resource_get(id=_required(data, "id"))
    if resource is None:
        raise not_found("Resource")
    return ckan.resource_dict(resource, _base(request))


@action
def help_show(request: HttpRequest, data: dict[str, Any]) -> str:
    """The description of an action (name)."""
    name = _required(data, "name")
    if name not in ACTIONS:
        raise not_found(f"Action {name}")
    return " ".join((ACTIONS[name].__doc__ or "").split())


def _request_data(request: HttpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {key: request.GET.get(key) for key in request.GET}
    if request.method == "POST" and request.body:
        content_type = request.content_type or ""
        if content_type == "application/x-www-form-urlencoded" or content_type.startswith("multipart/"):
            data.update({key: request.POST.get(key) for key in request.POST})
        else:
            try:
                body = json.loads(request.body)
            except (ValueError, UnicodeDecodeError):
                raise ActionError(
                    "Bad Request", 400, message="Bad request - JSON Error: the body is not JSON"
                ) from None
            if not isinstance(body, dict):
                raise ActionError("Bad Request", 400, message="Bad request - JSON Error: send a JSON object")
            data.update(body)
    if json_has_nul(data):
        raise ActionError("Validation Error", 409, message="Parameters must not contain NUL characters")
    return data


@csrf_exempt
@answers_nul_characters
def action_view(request: HttpRequest, name: str) -> JsonResponse:
    help_url = request.build_absolute_uri(f"/api/3/action/help_show?name={name}")
    try:
        if request.method not in ("GET", "POST"):  # answered in the envelope, like every other refusal
            raise ActionError("Bad Request", 405, message=f"Method not allowed: {request.method}; use GET or POST")
        function = ACTIONS.get(name)
        if function is None:
            raise not_found(f"Action name not known: {name}")
        result = function(request, _request_data(request))
    except ActionError as error:
        response = JsonResponse({"help": help_url, "success": False, "error": error.error()}, status=error.status)
    else:
        response = JsonResponse({"help": help_url, "success": True, "result": result}, safe=False)
    if response.status_code == 405:
        response["Allow"] = "GET, POST"
    response["Access-Control-Allow-Origin"] = "*"  # open data: any web page may read it
    return response
