"""The OpenAPI document's links (belong/api/links.py) lead somewhere: each names an operation of
the document, fills only parameters that operation takes, from a response that exists; the
chains the schema fuzzer follows (register then cancel, create then read) are there."""

import re

import pytest

from belong.api.links import LINKS

pytestmark = pytest.mark.django_db

EXPRESSION = re.compile(r"^\$(request\.path\.[a-z_]+|response\.body#/[\w/]+)$")


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json()


def operations(document):
    return {
        operation["operationId"]: (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    }


def test_every_link_names_an_operation_and_its_parameters(document):
    by_id = operations(document)
    assert set(LINKS) <= set(by_id)
    count = 0
    for source, (_path, _method, operation) in by_id.items():
        for status, response in operation["responses"].items():
            for name, link in response.get("links", {}).items():
                count += 1
                assert status.startswith("2"), (source, status, name)
                target_path, _m, target = by_id[link["operationId"]]
                taken = {p["name"] for p in target.get("parameters", []) if p["in"] == "path"}
                given = set(link.get("parameters", {}))
                assert given == taken, (source, name, given, taken)
                for value in link.get("parameters", {}).values():
                    assert EXPRESSION.match(value) or "$" not in value, (source, name, value)
                if "requestBody" in link:
                    assert "requestBody" in target, (source, name)
    # Every link of the table reached the document (a status the operation answers).
    assert count == sum(len(links) for table in LINKS.values() for links in table.values())


def test_register_then_cancel_and_create_then_read(document):
    by_id = operations(document)

    def targets(operation_id, status):
        links = by_id[operation_id][2]["responses"][status].get("links", {})
        return {link["operationId"].removeprefix("belong_api_") for link in links.values()}

    assert "events_cancel_registration" in targets("belong_api_events_register", "201")
    assert "events_register" in targets("belong_api_events_cancel_registration", "204")
    assert "events_register" in targets("belong_api_events_get_event", "200")
    assert "recommendations_get_recommendation" in targets(
        "belong_api_recommendations_create_recommendation", "201"
    )
    assert "collectives_delete_membership" in targets(
        "belong_api_collectives_put_membership", "200"
    )
    assert "mentorship_delete_enrollment" in targets("belong_api_mentorship_put_enrollment", "201")
    assert "privacy_revoke_consent" in targets("belong_api_privacy_give_consent", "200")


def test_every_operation_documents_the_edge_refusal_and_the_outage(document):
    for _id, (path, method, operation) in operations(document).items():
        responses = operation["responses"]
        assert {"400", "503"} <= set(responses), (method, path)
        assert "Retry-After" in responses["503"]["headers"], (method, path)
