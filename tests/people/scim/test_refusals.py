"""What /scim/v2/ refuses, as an attacker would try it: no token, a wrong or revoked one, a
person's own API token or session; bad payloads (400 in the SCIM error shape, naming the
attribute, nothing changed); taken values (409); unknown and huge ids (404); wrong content
types; bodies nested deep or holding NUL. Never a 500."""

import json

import pytest
from django.test import Client

from belong.people.models import AuditEvent, ExternalIdentity, Person, ScimToken
from belong.people.scim.tokens import create_scim_token, revoke_scim_token
from tests.builders import bearer, make_person, token_for
from tests.people.scim.conftest import (
    BASE,
    ENTERPRISE,
    PATCH,
    USER,
    Scim,
    assert_error,
    operations,
    user_body,
)

pytestmark = pytest.mark.django_db


def nothing_changed(before_people, before_identities):
    assert Person.objects.count() == before_people
    assert ExternalIdentity.objects.count() == before_identities


# -- who may call --------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/Users", "/ServiceProviderConfig", "/Schemas", "/nowhere"])
def test_no_token_is_a_401(path, db):
    response = Scim(None).get(path)
    assert_error(response, 401, mentions="Authorization")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    ["Bearer scim_wrong", "Basic dXNlcjpwYXNz", "Bearer", "Bearer " + "x" * 10000, "scim_x"],
)
def test_a_wrong_token_is_a_401_and_creates_nobody(secret, header):
    response = Client().post(
        f"{BASE}/Users",
        data=json.dumps(user_body()),
        content_type="application/scim+json",
        HTTP_AUTHORIZATION=header,
    )
    assert_error(response, 401)
    assert not Person.objects.exists()


def test_a_revoked_token_is_a_401(scim, secret):
    revoke_scim_token(id_or_name="Entra")
    assert_error(scim.get("/Users"), 401)
    assert_error(scim.post("/Users", user_body()), 401)
    assert not Person.objects.exists()


def test_a_persons_api_token_or_session_does_not_reach_scim(alice):
    olive = make_person("olive@example.org", "Olive", is_superuser=True, is_staff=True)
    api_secret = token_for(olive)
    assert_error(Client().get(f"{BASE}/Users", **bearer(api_secret)), 401)
    signed_in = Client()
    signed_in.force_login(olive)
    assert_error(signed_in.get(f"{BASE}/Users"), 401)
    response = signed_in.post(
        f"{BASE}/Users", data=json.dumps(user_body()), content_type="application/scim+json"
    )
    assert_error(response, 401)
    assert Person.objects.count() == 2


def test_a_token_works_without_csrf_and_records_its_last_use(secret):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"{BASE}/Users",
        data=json.dumps(user_body()),
        content_type="application/scim+json",
        **bearer(secret),
    )
    assert response.status_code == 201
    assert ScimToken.objects.get(name="Entra").last_used_at is not None
    assert "sessionid" not in response.cookies


def test_the_token_is_found_by_its_digest_only(db):
    token, secret = create_scim_token(name="Okta")
    assert token.digest == ScimToken.hash(secret) and secret not in str(token.__dict__)
    assert Scim(secret).get("/Users").status_code == 200
    assert_error(Scim(secret.upper()).get("/Users"), 401)
    assert_error(Scim(secret[:-1]).get("/Users"), 401)


# -- bad payloads --------------------------------------------------------------------------

BAD_USERS = [
    ("[1, 2]", "body", "invalidSyntax"),
    ("{", "body", "invalidSyntax"),
    ('{"userName": "x@h.example"}', "schemas", "invalidSyntax"),
    (user_body(userName=7), "userName", "invalidValue"),
    (user_body(userName="x" * 300), "userName", "invalidValue"),
    (user_body(userName=None), "userName", "invalidValue"),
    (user_body(emails="a@b.example"), "emails", "invalidValue"),
    (user_body(emails=[{"value": "not an address"}]), "emails", "invalidValue"),
    (user_body("no-at-sign", emails=[]), "emails", "invalidValue"),
    (user_body(active="maybe"), "active", "invalidValue"),
    (user_body(name="Jane"), "name", "invalidValue"),
    (user_body(name={"givenName": 5}), "name.givenName", "invalidValue"),
    (user_body(name={"nick": "J"}), "name.nick", "invalidPath"),
    (user_body(userType="wizard"), "userType", "invalidValue"),
    (user_body(shoeSize=11), "shoeSize", "invalidPath"),
    (user_body(**{"urn:example:custom:User": {"x": 1}}), "urn:example:custom:User", "invalidPath"),
    (user_body(**{ENTERPRISE: {"employeeNumber": "E" * 65}}), "employeeNumber", "invalidValue"),
    (user_body(**{ENTERPRISE: {"department": "A > B > C > D > E"}}), "department", "invalidValue"),
    (user_body(**{ENTERPRISE: {"favouriteColour": "red"}}), "favouriteColour", "invalidPath"),
    (user_body(**{ENTERPRISE: "Medicine"}), ENTERPRISE, "invalidValue"),
]


@pytest.mark.parametrize(("body", "attribute", "scim_type"), BAD_USERS)
def test_a_bad_user_is_a_400_naming_the_attribute_and_changes_nothing(
    scim, body, attribute, scim_type
):
    existing = scim.post("/Users", user_body("first@h.example")).json()
    people, identities = Person.objects.count(), ExternalIdentity.objects.count()
    events = AuditEvent.objects.count()
    assert_error(scim.post("/Users", body), 400, scim_type, attribute)
    nothing_changed(people, identities)
    assert AuditEvent.objects.count() == events
    # The same body in a PUT changes nothing either.
    if isinstance(body, dict) and "schemas" in body:
        assert scim.put(f"/Users/{existing['id']}", body).status_code == 400
        assert scim.get(f"/Users/{existing['id']}").json() == existing


BAD_PATCHES = [
    ({"Operations": [{"op": "replace", "path": "active", "value": False}]}, "schemas"),
    ({"schemas": [PATCH]}, "Operations"),
    ({"schemas": [PATCH], "Operations": "replace"}, "Operations"),
    (operations("replace"), "Operations[1]"),
    (operations({"op": "move", "path": "active"}), "Operations[1].op"),
    (operations({"op": "remove"}), "Operations[1].path"),
    (operations({"op": "replace", "path": "active"}), "Operations[1].value"),
    (operations({"op": "replace", "value": "x"}), "Operations[1].value"),
    (operations({"op": "replace", "path": "shoeSize", "value": 1}), "shoeSize"),
    (operations({"op": "replace", "path": "name[x eq 1]", "value": 1}), "name[x eq 1]"),
    (operations({"op": "replace", "path": "a b c", "value": 1}), "path"),
    (operations({"op": "replace", "path": "active", "value": "soon"}), "active"),
    (operations({"op": "replace", "path": "userType", "value": "wizard"}), "userType"),
    (operations({"op": "remove", "path": "userName"}), "userName"),
    (operations({"op": "replace", "path": "emails.value", "value": "nope"}), "emails"),
    (
        # Deactivation with a bad operation after it: nothing of the request is done.
        operations(
            {"op": "replace", "path": "active", "value": False},
            {"op": "replace", "path": "userType", "value": "wizard"},
        ),
        "userType",
    ),
    (operations(*[{"op": "replace", "path": "active", "value": True}] * 101), "Operations"),
]


@pytest.mark.parametrize(("body", "attribute"), BAD_PATCHES)
def test_a_bad_patch_is_a_400_naming_the_attribute_and_changes_nothing(
    scim, created, body, attribute
):
    events = AuditEvent.objects.count()
    response = scim.patch(f"/Users/{created['id']}", body)
    assert_error(response, 400, mentions=attribute)
    assert scim.get(f"/Users/{created['id']}").json() == created
    assert Person.objects.get(pk=created["id"]).is_active
    assert AuditEvent.objects.count() == events


# -- uniqueness ----------------------------------------------------------------------------


def test_taken_values_are_a_409(scim, created):
    people, identities = Person.objects.count(), ExternalIdentity.objects.count()
    same_user_name = user_body("JDOE@HOSPITAL.example", email="other@h.example", externalId="e2")
    assert_error(scim.post("/Users", same_user_name), 409, "uniqueness", "userName")
    same_email = user_body("other", email="jdoe@hospital.example", externalId="e3")
    assert_error(scim.post("/Users", same_email), 409, "uniqueness", "emails")
    same_external = user_body("other@h.example", externalId="ext-jdoe@hospital.example")
    assert_error(scim.post("/Users", same_external), 409, "uniqueness", "externalId")
    nothing_changed(people, identities)

    scim.patch(
        f"/Users/{created['id']}",
        operations({"op": "add", "path": f"{ENTERPRISE}:employeeNumber", "value": "E-1"}),
    )
    other = scim.post("/Users", user_body("other@h.example")).json()
    for op in (
        {"op": "replace", "path": f"{ENTERPRISE}:employeeNumber", "value": "E-1"},
        {"op": "replace", "path": "emails.value", "value": "JDOE@hospital.example"},
        {"op": "replace", "path": "userName", "value": "jdoe@hospital.example"},
    ):
        response = scim.patch(f"/Users/{other['id']}", operations(op))
        assert_error(response, 409, "uniqueness")
        assert scim.get(f"/Users/{other['id']}").json() == other


# -- the edges -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "scim_id", ["0", "-1", "abc", "1.5", "9" * 30, str(2**63), "%00", "1%20", "١"]
)
def test_unknown_and_huge_ids_are_a_404(scim, created, scim_id):
    for response in (
        scim.get(f"/Users/{scim_id}"),
        scim.put(f"/Users/{scim_id}", user_body()),
        scim.patch(f"/Users/{scim_id}", operations({"op": "remove", "path": "externalId"})),
        scim.delete(f"/Users/{scim_id}"),
    ):
        assert response.status_code in (400, 404), response.content
        if response.status_code == 404:
            assert_error(response, 404)


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml"]
)
def test_a_body_that_is_not_json_is_a_415(scim, content_type):
    response = scim.send("post", "/Users", json.dumps(user_body()), content_type=content_type)
    assert_error(response, 415, mentions="Content-Type")
    assert not Person.objects.exists()


def test_json_content_type_is_taken_too(scim):
    response = scim.send("post", "/Users", user_body(), content_type="application/json")
    assert response.status_code == 201


def test_deep_nesting_and_nul_characters_are_refused(scim, created):
    deep = f'{{"schemas": ["{USER}"], "userName": ' + "[" * 50000 + "]" * 50000 + "}"
    assert scim.post("/Users", deep).status_code == 400
    nul = user_body("nul\u0000@h.example")
    refused = scim.post("/Users", nul)
    # Refused at the edge (before SCIM's views), still in SCIM's error shape.
    assert refused.status_code == 400 and refused["Content-Type"].startswith(
        "application/scim+json"
    )
    assert refused.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert refused.json()["status"] == "400" and refused.json()["detail"]
    assert scim.get("/Users", data={"filter": 'userName eq "a\u0000"'}).status_code == 400
    patch = operations({"op": "replace", "path": "name.givenName", "value": "J\u0000"})
    assert scim.patch(f"/Users/{created['id']}", patch).status_code == 400
    assert Person.objects.count() == 1
    assert scim.get(f"/Users/{created['id']}").json() == created


def test_a_person_keeps_an_email_address(scim):
    jane = scim.post("/Users", user_body("jdoe", email="jdoe@hospital.example")).json()
    for path in ("emails", 'emails[type eq "work"]'):
        response = scim.patch(f"/Users/{jane['id']}", operations({"op": "remove", "path": path}))
        assert_error(response, 400, "mutability", "emails")
    assert Person.objects.get(pk=jane["id"]).email == "jdoe@hospital.example"


def test_invalid_utf8_is_a_400(scim):
    assert_error(scim.post("/Users", b'{"schemas": "\xff"}'), 400, "invalidSyntax", "body")


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"startIndex": "one"}, "startIndex"),
        ({"count": "1e9"}, "count"),
        ({"startIndex": "9" * 5000}, "startIndex"),
        ({"attributes": "x" * 3000}, "attributes"),
    ],
)
def test_bad_list_parameters_are_a_400(scim, params, name):
    assert_error(scim.get("/Users", data=params), 400, "invalidValue", name)


def test_wrong_methods_are_a_405_in_the_scim_shape(scim, created):
    response = scim.put("/Users", user_body())
    assert_error(response, 405)
    assert response["Allow"] == "GET, POST"
    assert_error(scim.post(f"/Users/{created['id']}", user_body()), 405)
    assert_error(scim.delete("/Schemas"), 405)


def test_groups_and_other_paths_are_a_404_and_root_search_a_501(scim):
    assert_error(scim.get("/Groups"), 404)
    assert_error(scim.post("/Groups", {"schemas": [], "displayName": "x"}), 404)
    assert_error(scim.post("/.search", {}), 501)
    assert_error(scim.get("/Schemas/urn:nothing"), 404)
    assert_error(scim.get("/ResourceTypes/Group"), 404)
