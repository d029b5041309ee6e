"""Schemathesis generates requests from our own OpenAPI: no request may produce a 500."""

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from rathaus.api import api
from rathaus.wsgi import application

# Built from the code rather than fetched, so that collecting the tests needs no database.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = application


@pytest.fixture
def served_catalog(catalog):
    """The catalogue, with the database connection kept open across WSGI calls (as Django's test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield catalog
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_answers_with_a_server_error(case, served_catalog):
    response = case.call(headers={"Host": "musterstadt.localhost"})
    assert response.status_code < 500, response.text
    content_type = {name.lower(): values for name, values in response.headers.items()}["content-type"]
    assert content_type[0].startswith("application/json")
    case.validate_response(response)
