"""Property-based test of the whole API against its own OpenAPI document (schemathesis):
anonymous, as an officer and as a coordinator (by token), no answer is a server error and every
answer matches the schema, status code included. Run by `make test-api` (marker `schemathesis`)."""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from canhgiac.api import api as ninja_api
from canhgiac.wsgi import application

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

# The OpenAPI document is for staff and tokens only, and the database (hence a token) does not
# exist while tests are collected: the schema is built from the API object, exactly as
# /api/v1/openapi.json serves it, and the first test below checks the door serves this very
# document to a token (and nothing to the anonymous visitor). schemathesis's lazy loading from a
# fixture does not run on pytest 9.
DOCUMENT = json.loads(json.dumps(ninja_api.get_openapi_schema()))
schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.app = application
schema.location = "/api/v1/openapi.json"

EXAMPLES = 8  # per operation and persona: a few minutes in all on two cores


@pytest.fixture(scope="module")
def personas(django_db_setup, django_db_blocker):
    """Token headers of a QLTT officer and the Standing Office coordinator, and no header."""
    from canhgiac.accounts import services
    from canhgiac.conftest import PASSWORD
    from canhgiac.core import policy
    from canhgiac.directory.models import Agency

    with django_db_blocker.unblock():
        headers = {"anonymous": {}}
        for username, code, role in (
            ("st_officer", "QLTT", policy.OFFICER),
            ("st_coord", "SCT", policy.COORDINATOR),
        ):
            user = services.create_user(
                username, PASSWORD, memberships=[(Agency.objects.get(code=code), role)]
            )
            _token, raw = services.issue_token(user, "schemathesis")
            headers[username] = {"Authorization": f"Bearer {raw}"}
    return headers


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go straight to the WSGI application, whose request signals would close the
    database connection holding the test's transaction; Django's test client unhooks them too."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["anonymous", "st_officer", "st_coord"])
def persona(request, personas):
    return personas[request.param]


def test_the_document_is_loaded_through_its_door_with_a_token(client, personas):
    assert client.get("/api/v1/openapi.json").status_code == 401
    served = client.get("/api/v1/openapi.json", headers=personas["st_officer"])
    assert served.status_code == 200 and served.json() == DOCUMENT


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_the_api_never_answers_a_server_error_and_keeps_its_schema(case, persona):
    # Whether a schema-valid request is also valid business data (a date range the right way
    # round, an agency that exists) is the validators' concern, tested per app: not checked here.
    case.call_and_validate(headers=persona, checks=CHECKS)


CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
