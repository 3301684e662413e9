"""Schemathesis over the whole OpenAPI document, as a visitor, a member and a DEI administrator:
no answer is a 5xx, and every answer is one the document describes (its status, its content
type, its headers, its body's schema). Valid requests are not refused for their shape (422),
requests the document calls invalid are refused; a chain of calls through the document's links
(list then read, create then read, register then cancel) holds the same.

Requests reach Django's WSGI handler in this process, one test transaction per test, on the
demo data (seed content, people in every role, events, collectives, a mentorship cycle...).
Deterministic (a fixed seed, no example database) and bounded by the number of examples."""

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings

from belong.people.models import Person
from tests.builders import token_for

CALLERS = {"visitor": None, "member": "member@belong.test", "dei_admin": "dei-admin@belong.test"}
EXAMPLES = 15  # per operation and caller, besides the coverage phase's own cases
SCENARIOS, STEPS = 25, 8  # chains of calls per caller, and calls per chain

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 13,
        "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none"},
        "checks": {
            # A valid request may still be refused by a rule the schema cannot state (a 400
            # naming the field), or at the edge (a NUL character, which JSON Schema allows).
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429"]
            },
        },
    }
)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
)
HYPOTHESIS = settings(
    deadline=None,
    derandomize=True,
    database=None,
    # The callers' tokens and the demo data are fixtures: built once, shared by the examples.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The seed content, the demo data and a token per caller, made once for this module in a
    transaction that is rolled back after it (as Django's TestCase.setUpTestData does); each
    test runs in a nested transaction of its own, rolled back too."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        demo, django_settings.DEMO = django_settings.DEMO, True
        try:
            call_command("load_content", verbosity=0)
            call_command("load_demo", verbosity=0)
            tokens = {
                name: token_for(Person.objects.get(email=email), name="schemathesis")
                for name, email in CALLERS.items()
                if email
            }
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
        finally:
            django_settings.DEMO = demo
    yield tokens
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def in_process():
    """As Django's test client does: the handler runs in this thread, inside the test's
    transaction, so the connection must not be closed at the end of each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(params=sorted(CALLERS))
def headers(request, world, db, in_process):
    token = world.get(request.param)
    return {"Authorization": f"Bearer {token}"} if token else {}


@schema.parametrize()
@HYPOTHESIS
def test_every_operation(case, headers):
    case.call_and_validate(headers=headers)


# The evaluation results (read-only, no link leads to them or from them) are fuzzed above but
# left out of the chains: a chain could only start and end there.
APIWorkflow = schema.exclude(tag="evaluations").as_state_machine()


def test_chains_of_calls_through_the_links(headers):
    class Workflow(APIWorkflow):
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            # As case.call_and_validate does: the checks know which headers were ours (the
            # token), so the check that auth is enforced sends the request without them.
            case.validate_response(
                response,
                headers=kwargs.get("headers"),
                additional_checks=additional_checks,
                transport_kwargs=kwargs,
                recorder=self.recorder,
            )

    Workflow.run(settings=settings(HYPOTHESIS, max_examples=SCENARIOS, stateful_step_count=STEPS))
