"""schemathesis, a schema-driven API tester, against the live schema with a read-and-write token:
every operation gets generated requests (valid and not), with ids of real objects half the time, and
every answer must be no 5xx, a status the schema documents, the content type and body it documents.
Derandomised and bounded, so `make test` runs the same examples each time; a longer random run is
`API_FUZZ_EXAMPLES=500 API_FUZZ_RANDOM=1 .venv/bin/python -m pytest tests/api/test_schema_fuzz.py`."""

import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.tokens import token_create
from tests.goals.factories import CheckInFactory, GoalFactory, MilestoneFactory
from tests.plans.factories import ActivityFactory, PlanCertificationFactory

# Examples an operation: 15 for the three that take query parameters (a list's cursor and limit, its
# filters), 10 for the others. The app lines and branches this test runs are exactly those it ran
# with 15 for every operation (coverage.py --cov-branch, this test alone); with 10 or 12 for all, a
# cursor the API never gave (api/pagination.py) was never sent.
FEW_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "10"))
QUERY_EXAMPLES = int(os.environ.get("API_FUZZ_EXAMPLES", "15"))
RANDOM = os.environ.get("API_FUZZ_RANDOM") == "1"
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
]


@pytest.fixture
def api_schema(db):
    """The schema as served, the requests sent to the app in this process (in the test's
    transaction). Django's test client keeps the connection open across requests the same way:
    the handler would close it when each response ends."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_every_operation_answers_as_its_schema_says(api_schema, alice, plan, django_settings_for_fuzz):
    goal = GoalFactory(plan=plan)
    real = {
        "plan_id": plan.pk,
        "goal_id": goal.pk,
        "check_in_id": CheckInFactory(goal=goal, value=1).pk,
        "milestone_id": MilestoneFactory(goal=goal).pk,
        "slug": plan.target_role.track.slug,
        "activity_id": ActivityFactory(plan=plan).pk,
        "certification_id": PlanCertificationFactory(plan=plan).pk,
    }
    headers = {"Authorization": f"Bearer {token_create(user=alice, name='fuzz', can_write=True)[1]}"}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 32
    for operation in operations:
        # Named as before: hypothesis seeds the examples from the source below, decorators included.
        EXAMPLES = QUERY_EXAMPLES if list(operation.query) else FEW_EXAMPLES

        @settings(
            max_examples=EXAMPLES,
            derandomize=not RANDOM,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(), use_real_ids=st.booleans())
        def answers_as_documented(case, use_real_ids):
            if use_real_ids and case.path_parameters:
                case.path_parameters = {name: real[name] for name in case.path_parameters}
            with transaction.atomic():  # each case from the same objects: a delete takes none away
                case.call_and_validate(headers=headers, checks=CHECKS)
                transaction.set_rollback(True)

        answers_as_documented()


@pytest.fixture
def django_settings_for_fuzz(settings):
    settings.API_REQUESTS_PER_MINUTE = 100_000  # the limit is tested in test_tokens.py
    settings.ALLOWED_HOSTS = ["*"]  # schemathesis sends its own Host
