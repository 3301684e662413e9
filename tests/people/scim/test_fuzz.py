"""Hostile bodies, generated: whatever a client sends to /scim/v2/Users, the answer is a SCIM
answer with a 2xx or 4xx status, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.people.scim.conftest import ENTERPRISE, PATCH, USER, assert_error

pytestmark = pytest.mark.django_db

NAMES = st.sampled_from(
    [
        "userName",
        "externalId",
        "name",
        "name.givenName",
        "name.formatted",
        "displayName",
        "emails",
        'emails[type eq "work"].value',
        "emails.value",
        "active",
        "userType",
        ENTERPRISE,
        f"{ENTERPRISE}:employeeNumber",
        f"{ENTERPRISE}:department",
        "title",
        "members",
        "schemas",
        "id",
        "meta",
        "urn:x:y",
        "",
        "a[",
        "name.",
    ]
)
# NUL and lone surrogates are refused before SCIM sees them (test_refusals checks that answer).
SAFE_TEXT = st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00")
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.text(SAFE_TEXT, max_size=40),
    st.sampled_from(["a@b.example", "H > C > D", "resident", "True", "false"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(NAMES, st.text(SAFE_TEXT, max_size=8)), inner, max_size=4),
    ),
    max_leaves=10,
)
OPERATIONS = st.lists(
    st.fixed_dictionaries(
        {"op": st.sampled_from(["add", "replace", "remove", "Replace", "copy", 7])},
        optional={"path": st.one_of(NAMES, SCALARS), "value": VALUES},
    ),
    max_size=4,
)
OK = {200, 201, 400, 404, 409}


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(operations=OPERATIONS)
def test_patches_never_fail(scim, created, operations):
    response = scim.patch(f"/Users/{created['id']}", {"schemas": [PATCH], "Operations": operations})
    assert response.status_code in OK, response.content
    if response.status_code >= 400:
        assert_error(response, response.status_code)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.dictionaries(NAMES, VALUES, max_size=6))
def test_users_never_fail(scim, created, body):
    body = {"schemas": [USER], **body}
    for response in (scim.post("/Users", body), scim.put(f"/Users/{created['id']}", body)):
        assert response.status_code in OK, response.content
        if response.status_code >= 400:
            assert_error(response, response.status_code)
