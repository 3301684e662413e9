"""Roles are granted, never taken (DESIGN, Security; issue 13).

Every staff role, even with admin access ticked for them (the worst case), walks every model the
admin registers: lists, add and change pages, history, the password page, with hostile data
posted to every form; none raises a role, sets staff or operator status, changes a password or
another person's address, or reaches self-identification, consents or memberships. Then the
escalation and the takeover the attack found, as regression tests, and what operators do:
grants and every admin change audited and told to the person.
"""

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.forms.models import InlineForeignKeyField
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from belong.collectives.models import Collective, LeaderRole, Membership
from belong.notifications.models import OutboundMessage
from belong.people import actions, privacy, roles
from belong.people.models import ApiToken, AuditEvent, Consent, Person, SelfIdentification
from tests.builders import PASSWORD, make_person

pytestmark = pytest.mark.django_db

SECRET_WORDS = "Zephyrian heritage"  # the victim's self-description: never on any admin page
HOSTILE_PASSWORD = "hijacked-passphrase-2026"
ATTACKER_EMAIL = "attacker@evil.example"
SENSITIVE_MODELS = {SelfIdentification, Consent, Membership}


# -- the people ------------------------------------------------------------------------------


@pytest.fixture
def oscar(db):
    """The operator."""
    return Person.objects.create_superuser(
        email="oscar@example.org", password=PASSWORD, full_name="Oscar Operator"
    )


@pytest.fixture
def victim(alice, oscar):
    """alice, a member with answers, a consent and a private membership."""
    privacy.save_answers(
        person=alice,
        answers={"race_ethnicity": {"values": ["another"], "self_description": SECRET_WORDS}},
    )
    privacy.give(person=alice, purpose="reporting")
    secret = Collective.objects.create(name="Quiet Collective", slug="quiet", summary="...")
    Membership.objects.create(person=alice, collective=secret)
    return alice


def _facilitator():
    return make_person("fay@example.org", "Fay Facilitator", roles.FACILITATOR)


def _leader():
    bob = make_person("bob@example.org", "Bob Leader")
    led = Collective.objects.create(name="Led Collective", slug="led", summary="...")
    LeaderRole.objects.create(person=bob, collective=led)
    return bob


STAFF = {
    "facilitator": _facilitator,
    "training coordinator": lambda: make_person(
        "carol@example.org", "Carol Coordinator", roles.TRAINING_COORDINATOR, roles.FACILITATOR
    ),
    "mentorship coordinator": lambda: make_person(
        "erin@example.org", "Erin Mentorship", roles.MENTORSHIP_COORDINATOR
    ),
    "DEI administrator": lambda: make_person(
        "frank@example.org", "Frank Admin", roles.DEI_ADMINISTRATOR
    ),
    "analyst": lambda: make_person("grace@example.org", "Grace Analyst", roles.ANALYST),
    "collective leader": _leader,
}


def staff(role):
    """A staff person of `role`, with admin access (what an operator may give them)."""
    person = STAFF[role]()
    person.is_staff = True
    person.save(update_fields=["is_staff"])
    return person


def client_for(person):
    client = Client()
    client.force_login(person)
    return client


# -- what must never change ------------------------------------------------------------------


def snapshot():
    people = {
        p.pk: (p.email, p.password, p.is_staff, p.is_superuser, p.is_active)
        for p in Person.objects.all()
    }
    return {
        "people": people,
        "groups": sorted(Person.groups.through.objects.values_list("person_id", "group_id")),
        "user_permissions": Person.user_permissions.through.objects.count(),
        "role_permissions": sorted(Group.permissions.through.objects.values_list("pk", flat=True)),
        "roles": sorted(Group.objects.values_list("name", flat=True)),
        "leaders": sorted(LeaderRole.objects.values_list("person_id", "collective_id")),
        "tokens": ApiToken.objects.count(),
        "sensitive": [model.objects.count() for model in SENSITIVE_MODELS],
    }


def assert_nothing_taken(before, attacker, victim):
    after = snapshot()
    for key in before:
        if key != "people":
            assert after[key] == before[key], key
    # Nobody's address, password, access or operator status moved; nobody new is staff.
    for pk, row in before["people"].items():
        assert after["people"][pk] == row, pk
    for pk, row in after["people"].items():
        if pk not in before["people"]:  # nobody but an operator adds a person (checked below)
            assert row[2:4] == (False, False), row
            assert not Person.objects.get(pk=pk).groups.exists()
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD) and not victim.check_password(HOSTILE_PASSWORD)
    attacker.refresh_from_db()
    assert not attacker.is_superuser


# -- hostile form data -----------------------------------------------------------------------


def _field_data(form, name, field, value, attacker):
    key = form.add_prefix(name)
    widget = field.widget
    if field.disabled:
        return {}
    if isinstance(field, forms.ModelMultipleChoiceField):
        return {key: [str(pk) for pk in field.queryset.values_list("pk", flat=True)]}
    if isinstance(field, forms.ModelChoiceField):
        if field.queryset.model is Person:
            return {key: str(attacker.pk)}
        first = field.queryset.first()
        return {key: str(first.pk) if first else ""}
    if isinstance(field, forms.BooleanField):
        return {key: "on"}
    if isinstance(field, forms.EmailField):
        return {key: ATTACKER_EMAIL}
    if "password" in name:
        return {key: HOSTILE_PASSWORD}
    if isinstance(widget, forms.MultiWidget):
        parts = widget.decompress(value if value is not None else timezone.now())
        return {
            key + suffix: sub.format_value(part) or ""
            for suffix, sub, part in zip(widget.widgets_names, widget.widgets, parts, strict=False)
        }
    if isinstance(field, forms.ChoiceField) and field.choices:
        choices = [c for c, _ in field.choices if c not in ("", None)]
        return {key: str(value if value not in (None, "") else choices[0]) if choices else ""}
    if value in (None, ""):
        if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)):
            return {key: "1"}
        if isinstance(field, forms.DateTimeField):
            return {key: timezone.now().strftime("%Y-%m-%d %H:%M:%S")}
        if isinstance(field, forms.DateField):
            return {key: timezone.localdate().isoformat()}
        if isinstance(field, forms.FileField):
            return {}
        return {key: "hostile"}
    formatted = widget.format_value(value)
    return {key: formatted if formatted is not None else ""}


OVERLAY = {
    "is_superuser": "on",
    "is_staff": "on",
    "is_active": "on",
    "password": HOSTILE_PASSWORD,
    "password1": HOSTILE_PASSWORD,
    "password2": HOSTILE_PASSWORD,
    "usable_password": "true",
    "email": ATTACKER_EMAIL,
}


def hostile_data(model_admin, obj, attacker, operator_request, shown):
    """A valid form with an attack in it: every field of the operator's form for this page
    (each set to what an attacker wants: themselves, their address, their password), with what
    the page showed the attacker kept where it holds a value (so that the form is valid), then
    every role, every permission, staff and operator status, their address and password, and
    one row naming the attacker in each inline."""
    form_class = model_admin.get_form(operator_request, obj, change=obj is not None)
    form = form_class(instance=obj)
    data = {}
    for name, field in form.fields.items():
        data.update(_field_data(form, name, field, form[name].value(), attacker))
    data.update({key: value for key, value in shown.items() if value not in ("", [])})
    data.update(OVERLAY)
    data["groups"] = [str(pk) for pk in Group.objects.values_list("pk", flat=True)]
    data["user_permissions"] = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)]
    data["person"] = str(attacker.pk)
    for inline in model_admin.get_inline_instances(operator_request, obj):
        formset_class = inline.get_formset(operator_request, obj)
        prefix = formset_class.get_default_prefix()
        formset = formset_class(instance=obj or model_admin.model(), prefix=prefix)
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "1",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        row = formset.empty_form
        row.prefix = f"{prefix}-0"
        for name, field in row.fields.items():
            if name in ("DELETE", "ORDER", formset.model._meta.pk.name) or isinstance(
                field, InlineForeignKeyField
            ):
                continue  # a new row, kept, under its parent
            data.update(_field_data(row, name, field, None, attacker))
    return data


def operator_request(operator):
    request = RequestFactory().get("/admin/")
    request.user = operator
    return request


def pages(model, obj):
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    urls = {"changelist": reverse(f"{name}_changelist"), "add": reverse(f"{name}_add")}
    if obj is not None:
        urls["change"] = reverse(f"{name}_change", args=[obj.pk])
        urls["history"] = reverse(f"{name}_history", args=[obj.pk])
        try:
            urls["password"] = reverse(f"{name}_password", args=[obj.pk])
        except NoReverseMatch:
            pass
    return urls


def targets(model, attacker, victim, operator):
    """The objects to open and post to: for people, the victim, the attacker and the operator;
    otherwise the first one there is (or none)."""
    if model is Person:
        return [victim, attacker, operator]
    return [model._default_manager.first()]


# -- the walk --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(STAFF))
def test_no_staff_role_takes_anything_through_any_admin_page(role, victim, oscar, content):
    attacker = staff(role)
    client = client_for(attacker)
    as_operator = operator_request(oscar)
    posted = 0
    assert admin.site._registry, "the admin registers models"
    for model, model_admin in admin.site._registry.items():
        assert model not in SENSITIVE_MODELS, model
        for inline in model_admin.inlines:
            assert inline.model not in SENSITIVE_MODELS, (model, inline)
        for obj in targets(model, attacker, victim, oscar):
            for kind, url in pages(model, obj).items():
                before = snapshot()
                response = client.get(url)
                assert response.status_code in (200, 302, 403, 404), (role, url)
                body = response.content.decode()
                assert SECRET_WORDS not in body, (role, url)
                # No password form, and no link to one (Django's user admin has both).
                assert 'name="password1"' not in body, (role, url)
                assert 'href="../password/"' not in body, (role, url)
                if kind not in ("add", "change"):
                    continue
                shown = {}
                if response.status_code == 200 and "adminform" in (response.context or {}):
                    shown = form_data(response.context["adminform"].form)
                target = obj if kind != "add" else None
                data = hostile_data(model_admin, target, attacker, as_operator, shown)
                # Once with every field of the attack; once keeping the address shown, so that
                # an address refused as taken cannot hide what the rest of the form would do.
                for attempt in (data, {**data, "email": shown.get("email", ATTACKER_EMAIL)}):
                    posted += 1
                    if attempt["email"] == ATTACKER_EMAIL:
                        attempt["email"] = f"attacker{posted}@evil.example"
                    response = client.post(url, attempt)
                    assert response.status_code in (200, 302, 403, 404), (role, url)
                    assert_nothing_taken(before, attacker, victim)


@pytest.mark.parametrize("role", list(STAFF))
def test_no_staff_role_filters_people_by_what_is_private(role, victim, oscar):
    """The list's lookups reach nothing behind a person: not who answered self-identification,
    consented, or belongs to a collective, nor a password's hash."""
    client = client_for(staff(role))
    for lookup in (
        "self_identification__isnull=False",
        "consents__purpose=reporting",
        "memberships__collective__slug=quiet",
        "password__startswith=md5",
    ):
        response = client.get(f"/admin/people/person/?{lookup}")
        assert response.status_code in (302, 400, 403), (role, lookup)


def test_nor_does_an_operator(victim, oscar):
    client = client_for(oscar)
    for lookup in ("self_identification__isnull=False", "password__startswith=md5"):
        assert client.get(f"/admin/people/person/?{lookup}").status_code == 400


def test_no_api_operation_takes_a_role_or_a_password(client):
    schema = client.get("/api/v1/openapi.json").json()
    forbidden = {"is_staff", "is_superuser", "groups", "roles", "user_permissions", "password"}

    def names(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "properties" and isinstance(value, dict):
                    yield from value
                yield from names(value)
        elif isinstance(node, list):
            for value in node:
                yield from names(value)

    bodies = [
        operation.get("requestBody", {})
        for path in schema["paths"].values()
        for operation in path.values()
        if isinstance(operation, dict)
    ]
    components = schema.get("components", {}).get("schemas", {})
    referenced = {ref.rsplit("/", 1)[-1] for body in bodies for ref in _refs(body)}
    taken = set(names(bodies)) | set(names([components[name] for name in referenced]))
    assert not taken & forbidden


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


# -- the attack, as regression tests ---------------------------------------------------------


def initial_data(client, url):
    """The form of a change page as the browser would post it back unchanged."""
    return form_data(client.get(url).context["adminform"].form)


def form_data(form):
    data = {}
    for name, field in form.fields.items():
        if field.disabled:
            continue
        value = form[name].value()
        widget = field.widget
        if isinstance(widget, forms.MultiWidget):
            for suffix, sub, part in zip(
                widget.widgets_names, widget.widgets, widget.decompress(value), strict=False
            ):
                data[form.add_prefix(name) + suffix] = sub.format_value(part) or ""
        elif isinstance(widget, forms.CheckboxInput):
            if widget.check_test(value):
                data[form.add_prefix(name)] = "on"
        elif isinstance(value, (list, tuple)):
            data[form.add_prefix(name)] = [str(v) for v in value]
        else:
            formatted = widget.format_value(value)
            data[form.add_prefix(name)] = "" if formatted is None else formatted
    return data


def test_a_dei_administrator_cannot_make_themselves_an_operator(frank):
    frank.is_staff = True
    frank.save(update_fields=["is_staff"])
    client = client_for(frank)
    url = f"/admin/people/person/{frank.pk}/change/"
    data = initial_data(client, url)
    data.update(
        is_superuser="on",
        is_staff="on",
        groups=[str(pk) for pk in Group.objects.values_list("pk", flat=True)],
    )
    client.post(url, data)
    frank.refresh_from_db()
    assert not frank.is_superuser
    assert list(frank.groups.values_list("name", flat=True)) == [roles.DEI_ADMINISTRATOR]
    assert client.get("/admin/auth/group/").status_code == 403
    assert client.get("/admin/notifications/outboundmessage/").status_code == 403


def test_a_dei_administrator_cannot_grant_a_role_to_anyone(frank, alice):
    frank.is_staff = True
    frank.save(update_fields=["is_staff"])
    client = client_for(frank)
    url = f"/admin/people/person/{alice.pk}/change/"
    data = initial_data(client, url)
    data.update(is_staff="on", groups=[str(Group.objects.get(name=roles.ANALYST).pk)])
    client.post(url, data)
    alice.refresh_from_db()
    assert not alice.is_staff and not alice.groups.exists()


def test_a_dei_administrator_cannot_set_a_members_password(frank, victim):
    frank.is_staff = True
    frank.save(update_fields=["is_staff"])
    client = client_for(frank)
    url = f"/admin/people/person/{victim.pk}/password/"
    assert client.get(url).status_code == 403
    response = client.post(
        url,
        {"password1": HOSTILE_PASSWORD, "password2": HOSTILE_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 403
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD)
    response = Client().post("/sign-in/", {"username": victim.email, "password": HOSTILE_PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in response.wsgi_request.session


def test_a_dei_administrator_cannot_move_a_members_address_to_reset_their_password(frank, alice):
    frank.is_staff = True
    frank.save(update_fields=["is_staff"])
    client = client_for(frank)
    url = f"/admin/people/person/{alice.pk}/change/"
    data = initial_data(client, url)
    data["email"] = ATTACKER_EMAIL
    client.post(url, data)
    alice.refresh_from_db()
    assert alice.email == "alice@example.org"


def test_the_password_page_is_refused_to_operators_too(oscar, alice):
    client = client_for(oscar)
    url = f"/admin/people/person/{alice.pk}/password/"
    assert client.get(url).status_code == 403
    client.post(url, {"password1": HOSTILE_PASSWORD, "password2": HOSTILE_PASSWORD})
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    page = client.get(f"/admin/people/person/{alice.pk}/change/").content.decode()
    assert 'href="../password/"' not in page


def test_nobody_deletes_a_person_in_the_admin(oscar, alice):
    client = client_for(oscar)
    client.post(f"/admin/people/person/{alice.pk}/delete/", {"post": "yes"})
    assert Person.objects.filter(pk=alice.pk).exists()


def test_the_outbox_never_shows_a_reset_link(oscar, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.queue_password_reset(person=alice)
    message = OutboundMessage.objects.get(person=alice)
    token = message.key.rsplit(":", 1)[-1]
    client = client_for(oscar)
    for url in (
        "/admin/notifications/outboundmessage/",
        f"/admin/notifications/outboundmessage/{message.pk}/change/",
        f"/admin/notifications/outboundmessage/?q={alice.email}",
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert token not in response.content.decode(), url


def test_the_admin_shows_a_dei_administrator_names_and_places_only(frank, alice):
    frank.is_staff = True
    frank.save(update_fields=["is_staff"])
    form = client_for(frank).get(f"/admin/people/person/{alice.pk}/change/").context["adminform"]
    assert set(form.form.fields) == {
        "full_name",
        "preferred_name",
        "pronouns",
        "name_pronunciation",
        "credentials",
        "kind",
        "org_unit",
        "campus",
    }


def test_a_dei_administrator_only_sees_an_operator(frank, oscar):
    frank.is_staff = True
    frank.save(update_fields=["is_staff"])
    client = client_for(frank)
    page = client.get(f"/admin/people/person/{oscar.pk}/change/")
    assert page.status_code == 200 and not page.context["adminform"].form.fields
    with pytest.raises(PermissionDenied):
        actions.save_person(actor=frank, person_id=oscar.pk, values={"full_name": "Mallory"})


def test_history_pages_are_for_operators(frank, alice, oscar):
    frank.is_staff = True
    frank.save(update_fields=["is_staff"])
    assert client_for(frank).get(f"/admin/people/person/{alice.pk}/history/").status_code == 403
    assert client_for(oscar).get(f"/admin/people/person/{alice.pk}/history/").status_code == 200


# -- the action checks again, whatever form asked -------------------------------------------


@pytest.mark.parametrize(
    ("values", "grant"),
    [
        ({"is_superuser": True}, False),
        ({"is_staff": True}, False),
        ({"is_active": False}, False),
        ({"email": ATTACKER_EMAIL}, False),
        ({}, True),
    ],
)
def test_a_dei_administrator_is_refused_by_the_action(frank, alice, values, grant):
    groups = Group.objects.filter(name=roles.ANALYST) if grant else None
    with pytest.raises(PermissionDenied):
        actions.save_person(actor=frank, person_id=alice.pk, values=values, groups=groups)
    alice.refresh_from_db()
    assert not alice.is_superuser and not alice.is_staff and alice.is_active
    assert alice.email == "alice@example.org" and not alice.groups.exists()
    assert not AuditEvent.objects.filter(verb__startswith="person.").exists()


@pytest.mark.parametrize(
    "values", [{"is_superuser": False}, {"is_staff": False}, {"is_active": False}]
)
def test_an_operator_never_changes_their_own_access(oscar, values):
    with pytest.raises(PermissionDenied):
        actions.save_person(actor=oscar, person_id=oscar.pk, values=values)
    with pytest.raises(PermissionDenied):
        actions.save_person(actor=oscar, person_id=oscar.pk, values={}, groups=Group.objects.all())
    oscar.refresh_from_db()
    assert oscar.is_superuser and oscar.is_staff and oscar.is_active


def test_an_operator_cannot_tick_their_own_access_in_the_admin(oscar):
    client = client_for(oscar)
    url = f"/admin/people/person/{oscar.pk}/change/"
    form = client.get(url).context["adminform"].form
    assert not {"is_superuser", "is_staff", "is_active", "groups"} & set(form.fields)


# -- what operators do: granted, audited, told ------------------------------------------------


def test_an_operators_grant_is_audited_and_the_person_told(
    oscar, alice, django_capture_on_commit_callbacks
):
    client = client_for(oscar)
    url = f"/admin/people/person/{alice.pk}/change/"
    data = initial_data(client, url)
    data.update(is_staff="on", groups=[str(Group.objects.get(name=roles.DEI_ADMINISTRATOR).pk)])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.is_staff and alice.has_role(roles.DEI_ADMINISTRATOR)
    events = AuditEvent.objects.filter(object_type="people.person", object_id=str(alice.pk))
    assert {(e.verb, e.actor_id, e.detail.get("role")) for e in events} == {
        ("person.staff_granted", oscar.pk, None),
        ("person.role_granted", oscar.pk, roles.DEI_ADMINISTRATOR),
    }
    [sent] = mail.outbox
    assert sent.to == [alice.email]
    assert "DEI administrator" in sent.body and "administration pages" in sent.body


def test_an_operators_removal_is_audited_and_told(oscar, frank, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.save_person(actor=oscar, person_id=frank.pk, values={}, groups=[])
    assert AuditEvent.objects.get(verb="person.role_removed").detail == {
        "role": roles.DEI_ADMINISTRATOR
    }
    assert not frank.groups.exists()
    [sent] = mail.outbox
    assert sent.to == [frank.email] and "removed" in sent.body


def test_an_address_changed_by_an_operator_is_told_at_both(
    oscar, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        actions.save_person(
            actor=oscar, person_id=alice.pk, values={"email": "Alice.New@Example.org"}
        )
    alice.refresh_from_db()
    assert alice.email == "alice.new@example.org"
    event = AuditEvent.objects.get(verb="person.email_changed")
    assert event.actor == oscar and event.detail == {"before": "alice@example.org"}
    assert sorted(m.to[0] for m in mail.outbox) == ["alice.new@example.org", "alice@example.org"]


def test_a_dei_administrators_edit_is_saved_audited_and_told(
    frank, alice, django_capture_on_commit_callbacks
):
    frank.is_staff = True
    frank.save(update_fields=["is_staff"])
    client = client_for(frank)
    url = f"/admin/people/person/{alice.pk}/change/"
    data = initial_data(client, url)
    data["credentials"] = "MD, PhD"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    alice.refresh_from_db()
    assert alice.credentials == "MD, PhD"
    event = AuditEvent.objects.get(verb="person.updated")
    assert event.actor == frank and event.detail == {"fields": ["credentials"]}
    [sent] = mail.outbox
    assert sent.to == [alice.email] and "credentials" in sent.body


def test_saving_nothing_changed_writes_and_tells_nothing(oscar, alice):
    client = client_for(oscar)
    url = f"/admin/people/person/{alice.pk}/change/"
    assert client.post(url, initial_data(client, url)).status_code == 302
    assert not AuditEvent.objects.filter(verb__startswith="person.").exists()
    assert not OutboundMessage.objects.exists()


def test_a_person_added_in_the_admin_chooses_their_own_password(
    oscar, django_capture_on_commit_callbacks
):
    client = client_for(oscar)
    form = client.get("/admin/people/person/add/").context["adminform"].form
    assert not {"password1", "password2", "is_superuser", "is_staff", "groups"} & set(form.fields)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/people/person/add/",
            {
                "email": "New.Person@Example.org",
                "full_name": "New Person",
                "kind": "staff",
                "is_superuser": "on",
                "password1": HOSTILE_PASSWORD,
                "password2": HOSTILE_PASSWORD,
            },
        )
    assert response.status_code == 302
    person = Person.objects.get(email="new.person@example.org")
    assert not person.is_superuser and not person.is_staff
    assert person.has_usable_password() and not person.check_password(HOSTILE_PASSWORD)
    assert AuditEvent.objects.get(verb="person.created").actor == oscar
    [sent] = mail.outbox
    assert sent.to == [person.email] and "/password-reset/" in sent.body


def test_an_address_taken_in_another_case_is_a_field_error(oscar, alice):
    response = client_for(oscar).post(
        "/admin/people/person/add/",
        {"email": "ALICE@example.org", "full_name": "Second Alice", "kind": "staff"},
    )
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors


def test_a_reset_email_is_sent_to_the_persons_own_address(
    frank, alice, django_capture_on_commit_callbacks
):
    frank.is_staff = True
    frank.save(update_fields=["is_staff"])
    client = client_for(frank)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/people/person/",
            {"action": "send_password_reset", "_selected_action": [str(alice.pk)]},
        )
    assert response.status_code == 302
    [sent] = mail.outbox
    assert sent.to == ["alice@example.org"] and "/password-reset/" in sent.body
    assert AuditEvent.objects.get(verb="person.password_reset_sent").actor == frank


def test_a_dei_administrator_adds_nobody_to_name_as_a_leader(
    frank, alice, django_capture_on_commit_callbacks
):
    """The attack (issue 13, on a real server): a DEI administrator, who may not name themselves
    a collective's leader, added a person in the admin with an address of their own, set its
    password through "Forgot your password?", named it the collective's co-chair on the
    leaders page, and signed in as it to read every member (those who let only its leaders see
    them too). Only operators add people now: not the admin's add page, not the action."""
    frank.is_staff = True
    frank.save(update_fields=["is_staff"])
    client = client_for(frank)
    assert client.get("/admin/people/person/add/").status_code == 403
    assert "/admin/people/person/add/" not in client.get("/admin/people/person/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/people/person/add/",
            {"email": "frank.second@example.org", "full_name": "Frank Second", "kind": "staff"},
        )
    assert response.status_code == 403
    assert not Person.objects.filter(email="frank.second@example.org").exists()
    with pytest.raises(PermissionDenied):
        actions.save_person(
            actor=frank,
            values={"email": "frank.second@example.org", "full_name": "Frank Second"},
        )
    assert not Person.objects.filter(email="frank.second@example.org").exists()
    assert not mail.outbox
    # What they may still do: change the names and places of someone who exists.
    actions.save_person(actor=frank, person_id=alice.pk, values={"pronouns": "they/them"})
    assert Person.objects.get(pk=alice.pk).pronouns == "they/them"
