"""SCIM Users (RFC 7644 §3): create, read, filter, paginate, replace, patch in Entra's and
Okta's shapes, deactivate and reactivate (the leaver's path), delete, ETags."""

import pytest
from django.test import Client

from belong.people.models import ApiToken, AuditEvent, ExternalIdentity, OrgUnit, Person
from tests.builders import bearer, make_person, token_for
from tests.people.scim.conftest import ENTERPRISE, USER, assert_error, operations, user_body

pytestmark = pytest.mark.django_db


def person_of(body):
    return Person.objects.get(pk=int(body["id"]))


def test_create_keeps_the_institutions_facts(scim):
    body = user_body(
        "JDoe@Hospital.example",
        email="jane.doe@hospital.example",
        userType="House Staff",
        **{ENTERPRISE: {"employeeNumber": "E-100", "department": "Hospital > Duluth > Medicine"}},
    )
    response = scim.post("/Users", body)
    assert response.status_code == 201
    answer = response.json()
    assert response["Location"] == f"http://testserver/scim/v2/Users/{answer['id']}"
    assert response["ETag"] == answer["meta"]["version"]
    jane = person_of(answer)
    assert jane.email == "jane.doe@hospital.example"
    assert jane.full_name == "Jane Doe"
    assert jane.kind == Person.Kind.RESIDENT
    assert jane.employee_id == "E-100"
    assert jane.org_unit.name == "Medicine"
    assert jane.campus.name == "Duluth"
    assert jane.directory_source == Person.Source.SCIM
    assert not jane.has_usable_password()
    identities = dict(jane.external_ids.values_list("issuer", "subject"))
    assert identities == {
        "scim:userName": "JDoe@Hospital.example",
        "scim": "ext-JDoe@Hospital.example",
    }
    assert answer["userName"] == "JDoe@Hospital.example"
    assert answer["userType"] == "resident"
    assert answer[ENTERPRISE] == {
        "employeeNumber": "E-100",
        "department": "Hospital > Duluth > Medicine",
    }
    assert answer["emails"] == [
        {"value": "jane.doe@hospital.example", "type": "work", "primary": True}
    ]
    event = AuditEvent.objects.get(verb="scim.user_created")
    assert event.object_id == str(jane.pk) and event.detail["token"] == "Entra"
    assert "Jane" not in str(event.detail)  # names of fields, never their values


def test_a_single_department_name_is_the_one_unit_of_that_name(scim):
    scim.post("/Users", user_body("a@h.example", **{ENTERPRISE: {"department": "H > C > Surgery"}}))
    response = scim.post(
        "/Users", user_body("b@h.example", **{ENTERPRISE: {"department": "surgery"}})
    )
    assert response.status_code == 201
    assert person_of(response.json()).org_unit == OrgUnit.objects.get(name="Surgery")


def test_an_account_made_before_provisioning_is_kept_by_scim(scim, alice):
    token_secret = token_for(alice)
    response = scim.post("/Users", user_body("alice.m@hospital.example", email="ALICE@example.org"))
    assert response.status_code == 201
    assert response.json()["id"] == str(alice.pk)
    alice.refresh_from_db()
    assert alice.directory_source == Person.Source.SCIM and alice.is_active
    assert alice.full_name == "Jane Doe"
    # Adopting an account takes nothing away from it.
    assert Client().get("/api/v1/me", **bearer(token_secret)).status_code == 200


def test_an_operators_account_is_not_taken_over(scim):
    olive = make_person("olive@example.org", "Olive Operator", is_superuser=True, is_staff=True)
    response = scim.post("/Users", user_body("olive", email="olive@example.org", active=False))
    assert_error(response, 409, "uniqueness", "emails")
    olive.refresh_from_db()
    assert olive.is_active and olive.full_name == "Olive Operator"
    assert not olive.external_ids.exists()


def test_read_one(scim, created):
    response = scim.get(f"/Users/{created['id']}")
    assert response.status_code == 200
    assert response.json() == created
    assert response["ETag"] == created["meta"]["version"]


def test_people_scim_does_not_keep_are_not_found(scim, alice):
    assert_error(scim.get(f"/Users/{alice.pk}"), 404)
    assert scim.get("/Users").json()["totalResults"] == 0


@pytest.mark.parametrize(
    "query",
    [
        'userName eq "JDOE@hospital.example"',
        'externalId eq "ext-jdoe@hospital.example"',
        'emails[type eq "work"].value eq "jdoe@hospital.example"',
        f'{ENTERPRISE}:employeeNumber eq "E-7"',
        "active eq true",
    ],
)
def test_filter_finds_the_person(scim, query):
    body = user_body(**{ENTERPRISE: {"employeeNumber": "E-7"}})
    jane = scim.post("/Users", body).json()
    scim.post("/Users", user_body("other@hospital.example", active=False))
    response = scim.get("/Users", data={"filter": query})
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:ListResponse"]
    assert answer["totalResults"] == 1
    assert [user["id"] for user in answer["Resources"]] == [jane["id"]]


def test_filter_without_a_match_is_an_empty_list(scim, created):
    answer = scim.get("/Users", data={"filter": 'userName eq "nobody@x.example"'}).json()
    assert answer["totalResults"] == 0 and answer["Resources"] == []
    # externalId is case-exact (RFC 7643 §3.1), userName is not.
    answer = scim.get("/Users", data={"filter": 'externalId eq "EXT-JDOE@hospital.example"'})
    assert answer.json()["totalResults"] == 0


@pytest.mark.parametrize(
    "query",
    [
        'userName co "j"',
        "userName",
        'nickName eq "x"',
        'userName eq "a" and active eq true',
        "x" * 2000,
    ],
)
def test_a_filter_belong_does_not_take_is_refused(scim, query):
    assert_error(scim.get("/Users", data={"filter": query}), 400, "invalidFilter", "filter")


def test_pages(scim):
    ids = [scim.post("/Users", user_body(f"p{n}@h.example")).json()["id"] for n in range(5)]
    page = scim.get("/Users", data={"startIndex": 2, "count": 2}).json()
    assert page["totalResults"] == 5
    assert page["startIndex"] == 2 and page["itemsPerPage"] == 2
    assert [user["id"] for user in page["Resources"]] == ids[1:3]
    last = scim.get("/Users", data={"startIndex": 5, "count": 10}).json()
    assert [user["id"] for user in last["Resources"]] == ids[4:]
    # RFC 7644 §3.4.2.4: below 1 is 1, a negative count is 0.
    assert scim.get("/Users", data={"startIndex": -3, "count": 1}).json()["startIndex"] == 1
    none = scim.get("/Users", data={"count": -1}).json()
    assert none["totalResults"] == 5 and none["Resources"] == []
    huge = scim.get("/Users", data={"count": "9" * 400}).json()
    assert huge["itemsPerPage"] == 5
    beyond = scim.get("/Users", data={"startIndex": 10**30}).json()
    assert beyond["Resources"] == [] and beyond["totalResults"] == 5


def test_a_page_is_bounded(scim, settings):
    from belong.people.scim import discovery

    for n in range(4):
        scim.post("/Users", user_body(f"p{n}@h.example"))
    discovery.MAX_RESULTS, before = 3, discovery.MAX_RESULTS
    try:
        page = scim.get("/Users", data={"count": 10**12}).json()
    finally:
        discovery.MAX_RESULTS = before
    assert page["itemsPerPage"] == 3 and page["totalResults"] == 4


def test_attributes_and_excluded_attributes(scim, created):
    only = scim.get(f"/Users/{created['id']}", data={"attributes": "userName,emails"}).json()
    assert set(only) == {"schemas", "id", "userName", "emails"}
    without = scim.get("/Users", data={"excludedAttributes": "emails,name"}).json()
    user = without["Resources"][0]
    assert "emails" not in user and "name" not in user and user["userName"]


def test_search_by_post(scim, created):
    response = scim.post(
        "/Users/.search",
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter": 'userName eq "jdoe@hospital.example"',
            "attributes": ["userName"],
        },
    )
    assert response.status_code == 200
    assert response.json()["Resources"] == [
        {"schemas": [USER], "id": created["id"], "userName": "jdoe@hospital.example"}
    ]


def test_put_replaces_what_it_gives(scim, created):
    body = user_body(
        "jdoe@hospital.example",
        email="jane.smith@hospital.example",
        name={"givenName": "Jane", "familyName": "Smith"},
        userType="faculty",
        **{ENTERPRISE: {"employeeNumber": "E-200"}},
    )
    response = scim.put(f"/Users/{created['id']}", body)
    assert response.status_code == 200, response.content
    jane = person_of(created)
    assert (jane.email, jane.full_name, jane.kind, jane.employee_id) == (
        "jane.smith@hospital.example",
        "Jane Smith",
        "faculty",
        "E-200",
    )
    assert response.json()["name"] == {
        "formatted": "Jane Smith",
        "givenName": "Jane",
        "familyName": "Smith",
    }


def test_patch_as_entra_sends_it(scim, created):
    response = scim.patch(
        f"/Users/{created['id']}",
        operations(
            {"op": "Replace", "path": "name.familyName", "value": "Smith"},
            {
                "op": "Replace",
                "path": 'emails[type eq "work"].value',
                "value": "js@hospital.example",
            },
            {"op": "Add", "path": f"{ENTERPRISE}:employeeNumber", "value": "E-9"},
            {"op": "Add", "path": f"{ENTERPRISE}:department", "value": "Hospital > Cardiology"},
            {"op": "Replace", "path": "userType", "value": "Employee"},
        ),
    )
    assert response.status_code == 200, response.content
    jane = person_of(created)
    assert jane.full_name == "Jane Smith"
    assert jane.email == "js@hospital.example"
    assert jane.employee_id == "E-9"
    assert jane.org_unit.name == "Cardiology" and jane.kind == "staff"
    assert response.json()["meta"]["version"] != created["meta"]["version"]


def test_patch_as_okta_sends_it(scim, created):
    response = scim.patch(
        f"/Users/{created['id']}",
        operations(
            {
                "op": "replace",
                "value": {
                    "name": {"givenName": "Janet"},
                    "userName": "janet@hospital.example",
                    f"{ENTERPRISE}:employeeNumber": "E-11",
                },
            }
        ),
    )
    assert response.status_code == 200, response.content
    jane = person_of(created)
    assert jane.full_name == "Janet Doe" and jane.employee_id == "E-11"
    assert response.json()["userName"] == "janet@hospital.example"
    # The email address stays: only userName changed.
    assert jane.email == "jdoe@hospital.example"


def leaver_with_access(scim, created):
    jane = person_of(created)
    secret = token_for(jane)
    browser = Client()
    browser.force_login(jane)
    assert browser.get("/me/").status_code == 200
    return jane, secret, browser


@pytest.mark.parametrize(
    "patch",
    [
        {"op": "Replace", "path": "active", "value": "False"},  # Entra, before 2020 fixes
        {"op": "replace", "value": {"active": False}},  # Okta
    ],
)
def test_deactivate_ends_sessions_and_tokens_and_reactivate_restores_sign_in(scim, created, patch):
    jane, secret, browser = leaver_with_access(scim, created)
    response = scim.patch(f"/Users/{created['id']}", operations(patch))
    assert response.status_code == 200 and response.json()["active"] is False
    jane.refresh_from_db()
    assert not jane.is_active
    assert ApiToken.objects.get(person=jane).revoked_at is not None
    assert browser.get("/me/").status_code == 302
    assert Client().get("/api/v1/me", **bearer(secret)).status_code == 401
    assert AuditEvent.objects.filter(verb="person.left", object_id=str(jane.pk)).exists()

    response = scim.patch(
        f"/Users/{created['id']}", operations({"op": "replace", "path": "active", "value": True})
    )
    assert response.json()["active"] is True
    jane.refresh_from_db()
    assert jane.is_active
    # Access comes back through a new sign-in, not through the old token.
    assert ApiToken.objects.get(person=jane).revoked_at is not None
    assert AuditEvent.objects.filter(verb="person.reactivated", object_id=str(jane.pk)).exists()


def test_delete_lets_the_person_go_and_keeps_the_records(scim, created):
    jane, secret, browser = leaver_with_access(scim, created)
    response = scim.delete(f"/Users/{created['id']}")
    assert response.status_code == 204 and response.content == b""
    jane.refresh_from_db()
    assert not jane.is_active  # a leaver: records stay
    assert not ExternalIdentity.objects.filter(person=jane).exists()
    assert browser.get("/me/").status_code == 302
    assert_error(scim.get(f"/Users/{created['id']}"), 404)
    assert scim.get("/Users").json()["totalResults"] == 0
    assert_error(scim.delete(f"/Users/{created['id']}"), 404)
    # Hired again: the same person, active again.
    again = scim.post("/Users", user_body())
    assert again.status_code == 201 and again.json()["id"] == created["id"]
    jane.refresh_from_db()
    assert jane.is_active


def test_etags(scim, created):
    url = f"/Users/{created['id']}"
    version = created["meta"]["version"]
    unchanged = scim.get(url, HTTP_IF_NONE_MATCH=version)
    assert unchanged.status_code == 304 and unchanged.content == b""
    stale = 'W/"0000"'
    patch = operations({"op": "replace", "path": "name.givenName", "value": "Joan"})
    assert_error(scim.patch(url, patch, HTTP_IF_MATCH=stale), 412, mentions="If-Match")
    assert_error(scim.delete(url, HTTP_IF_MATCH=stale), 412)
    assert person_of(created).full_name == "Jane Doe" and person_of(created).is_active
    assert scim.patch(url, patch, HTTP_IF_MATCH=version).status_code == 200
    assert person_of(created).full_name == "Joan Doe"


def test_what_belong_does_not_keep_is_accepted_and_ignored(scim):
    """Entra's and Okta's default mappings send more than Belong keeps."""
    body = user_body(
        title="Nurse",
        preferredLanguage="en-US",
        locale="en-US",
        nickName="JD",
        password="ignored-Secret-1",
        phoneNumbers=[{"type": "work", "value": "555"}],
        addresses=[{"type": "work", "formatted": "1 Main St"}],
        **{ENTERPRISE: {"manager": {"value": "12"}, "organization": "Our Health"}},
    )
    body["name"]["middleName"] = "Q"
    response = scim.post("/Users", body)
    assert response.status_code == 201, response.content
    jane = person_of(response.json())
    assert jane.full_name == "Jane Doe" and jane.preferred_name == ""
    assert not jane.has_usable_password()
    response = scim.patch(
        f"/Users/{jane.pk}",
        operations(
            {"op": "Replace", "path": 'phoneNumbers[type eq "mobile"].value', "value": "1"},
            {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": {"value": "7"}},
            {"op": "replace", "value": {"schemas": [USER], "title": "Charge nurse"}},
        ),
    )
    assert response.status_code == 200, response.content
    assert "title" not in response.json() and "phoneNumbers" not in response.json()


def test_a_preferred_name_is_the_persons_own(scim, created):
    jane = person_of(created)
    jane.preferred_name = "JJ"
    jane.save(update_fields=["preferred_name"])
    scim.put(f"/Users/{jane.pk}", user_body(name={"givenName": "Janet", "familyName": "Doe"}))
    jane.refresh_from_db()
    assert (jane.full_name, jane.preferred_name) == ("Janet Doe", "JJ")


def test_a_page_of_users_costs_a_few_queries(scim, django_assert_max_num_queries):
    for n in range(12):
        body = user_body(f"q{n}@h.example", **{ENTERPRISE: {"department": "H > C > D > P"}})
        scim.post("/Users", body)
    # The token (and its last use), the count, the page, the identities of the page.
    with django_assert_max_num_queries(8):
        page = scim.get("/Users", data={"count": 50}).json()
    assert page["itemsPerPage"] == 12
    assert page["Resources"][0][ENTERPRISE]["department"] == "H > C > D > P"


def test_updates_are_audited_when_something_changed(scim, created):
    url = f"/Users/{created['id']}"
    scim.put(url, user_body())  # what Okta sends at every sync: nothing new
    assert not AuditEvent.objects.filter(verb="scim.user_updated").exists()
    scim.patch(url, operations({"op": "replace", "path": "userName", "value": "jd@h.example"}))
    scim.patch(url, operations({"op": "replace", "path": "name.givenName", "value": "Joan"}))
    fields = [e.detail["fields"] for e in AuditEvent.objects.filter(verb="scim.user_updated")]
    assert sorted(fields) == [["full_name"], ["userName"]]
