"""Typed errors of the open data module; views turn them into 4xx answers with a translated message."""

from __future__ import annotations

from rathaus.core.errors import Refusal


class OpendataError(Refusal):
    """A request that cannot be done as asked; `field` names the input at fault (if any), `code` is short."""


class SearchParameterError(OpendataError):
    """A search parameter (q, fq, rows, start, sort, facet.field) is malformed or out of range."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message, code="invalid_search_parameter", field=field)


class StaleVersion(OpendataError):
    """Someone else saved the dataset since the form was opened."""
