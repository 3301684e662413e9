"""Coordinators create and edit courses in Belong's own pages: fields, learning objectives as an
ordered list (ratings kept), topics, the address, who may, and the audit trail."""

import pytest

from belong.events.actions import Refused
from belong.people.models import AuditEvent
from belong.training.actions import catalog
from belong.training.models import Course, LearningObjective, Topic
from tests.builders import OBJECTIVES, evaluation_answers, event_row, make_course, new_facilitator

pytestmark = pytest.mark.django_db

NEW = "/training/manage/courses/new/"


def edit_url(host):
    return f"/training/manage/courses/{host.pk}/edit/"


def course_data(**changes):
    data = {
        "title": "Inclusive Teaching",
        "slug": "inclusive-teaching",
        "description": "Teaching so everyone learns.",
        "objectives": "Name bias\n\nPractise allyship\n  Plan a session  \n",
        "duration_minutes": "90",
        "formats": "Virtual, In person",
        "foundational": "on",
        "order": "3",
        "is_active": "on",
        "prework": "Read the article.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# --- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["alice", "dave"])
def test_members_and_outsiders_are_refused(client, who, request):
    host = make_course(objectives=OBJECTIVES)
    client.force_login(request.getfixturevalue(who))
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, course_data()).status_code == 403
    assert client.get(edit_url(host)).status_code == 403
    assert client.post(edit_url(host), course_data(title="Taken over")).status_code == 403
    host.refresh_from_db()
    assert host.title != "Taken over"
    assert not Course.objects.filter(slug="inclusive-teaching").exists()


def test_a_facilitator_cannot_change_the_catalog(client):
    client.force_login(new_facilitator())
    assert client.get(NEW).status_code == 403
    assert client.get(edit_url(make_course(objectives=OBJECTIVES))).status_code == 403


@pytest.mark.parametrize("who", ["carol", "frank"])
def test_coordinators_and_administrators_may(client, who, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get(NEW).status_code == 200
    assert client.get(edit_url(make_course(objectives=OBJECTIVES))).status_code == 200


def test_a_visitor_is_sent_to_sign_in(client):
    for url in (NEW, edit_url(make_course(objectives=OBJECTIVES))):
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_other_methods_are_refused(client, carol):
    client.force_login(carol)
    assert client.put(NEW).status_code == 405
    assert client.delete(edit_url(make_course(objectives=OBJECTIVES))).status_code == 405


def test_a_missing_course_is_not_found(client, carol):
    client.force_login(carol)
    assert client.get("/training/manage/courses/999999/edit/").status_code == 404


# --- creating --------------------------------------------------------------------------------


def test_creating_a_course(client, carol):
    topic = Topic.objects.create(name="Bias", slug="bias")
    client.force_login(carol)
    response = client.post(NEW, course_data(topics=[str(topic.pk)]))
    assert response.status_code == 302
    created = Course.objects.get(slug="inclusive-teaching")
    assert response["Location"] == edit_url(created)
    assert created.title == "Inclusive Teaching"
    assert created.duration_minutes == 90 and created.order == 3
    assert created.foundational and created.is_active and not created.recorded
    assert created.prework == "Read the article."
    assert [o.text for o in created.objectives.all()] == [
        "Name bias",
        "Practise allyship",
        "Plan a session",
    ]
    assert [o.order for o in created.objectives.all()] == [1, 2, 3]
    assert list(created.topics.all()) == [topic]
    audit = AuditEvent.objects.get(verb="course.created")
    assert audit.actor == carol and audit.object_id == str(created.pk)
    assert client.get(created.get_absolute_url()).status_code == 200


def test_an_empty_address_is_made_from_the_title(client, carol):
    client.force_login(carol)
    client.post(NEW, course_data(slug="", title="Allyship in Practice"))
    assert Course.objects.filter(slug="allyship-in-practice").exists()


@pytest.mark.parametrize("slug", ["manage", "requests", "prework"])
def test_an_address_taken_by_a_page_is_refused(client, carol, slug):
    client.force_login(carol)
    response = client.post(NEW, course_data(slug=slug))
    assert response.status_code == 400
    assert "is taken by a page of its own" in response.content.decode()
    assert not Course.objects.exists()


def test_an_address_in_use_is_refused(client, carol):
    make_course(slug="inclusive-teaching", objectives=OBJECTIVES)
    client.force_login(carol)
    response = client.post(NEW, course_data())
    assert response.status_code == 400
    assert "Another course already uses this address." in response.content.decode()
    assert Course.objects.count() == 1


def test_a_bad_address_is_refused(client, carol):
    client.force_login(carol)
    response = client.post(NEW, course_data(slug="Not a slug!"))
    assert response.status_code == 400
    assert not Course.objects.exists()


def test_required_fields_are_named(client, carol):
    client.force_login(carol)
    response = client.post(NEW, course_data(title="", slug="x", description=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_title"' in page and 'href="#id_description"' in page
    assert not Course.objects.exists()


def test_a_duration_must_be_positive(client, carol):
    client.force_login(carol)
    response = client.post(NEW, course_data(duration_minutes="0"))
    assert response.status_code == 400
    assert not Course.objects.exists()


def test_too_many_objectives_are_refused(client, carol):
    client.force_login(carol)
    lines = "\n".join(f"Objective {n}" for n in range(catalog.MAX_OBJECTIVES + 1))
    response = client.post(NEW, course_data(objectives=lines))
    assert response.status_code == 400
    assert "Enter at most 20 objectives" in response.content.decode()


# --- editing ---------------------------------------------------------------------------------


def test_the_edit_form_shows_the_objectives_one_a_line(client, carol):
    host = make_course(objectives=("First", "Second"))
    client.force_login(carol)
    response = client.get(edit_url(host))
    assert response.context["form"]["objectives"].value() == "First\nSecond"


def test_editing_a_course(client, carol):
    host = make_course(slug="old", objectives=("First", "Second"))
    client.force_login(carol)
    response = client.post(
        edit_url(host),
        course_data(slug="new-address", title="New title", objectives="Second\nFirst\nThird"),
    )
    assert response.status_code == 302
    host.refresh_from_db()
    assert (host.slug, host.title) == ("new-address", "New title")
    assert [o.text for o in host.objectives.all()] == ["Second", "First", "Third"]
    audit = AuditEvent.objects.get(verb="course.updated")
    assert "objectives" in audit.detail["fields"] and "title" in audit.detail["fields"]


def test_saving_without_changes_writes_no_audit(client, carol):
    client.force_login(carol)
    client.post(NEW, course_data())
    created = Course.objects.get()
    client.post(edit_url(created), course_data())
    assert not AuditEvent.objects.filter(verb="course.updated").exists()


def test_a_rated_objective_keeps_its_ratings_when_moved_or_reworded():
    host = make_course(objectives=("Name bias", "Practise allyship"))
    event = event_row(host=host, days=-1)
    evaluation_answers(event, host, 1)
    first, second = host.objectives.all()
    catalog.update_course(
        host.pk, actor=None, objectives=["Practise allyship daily", "Name bias", "New one"]
    )
    objectives = list(host.objectives.all())
    assert [o.text for o in objectives] == ["Practise allyship daily", "Name bias", "New one"]
    assert objectives[1].pk == first.pk and objectives[0].pk == second.pk  # kept, with ratings
    assert first.ratings.count() == 1 and second.ratings.count() == 1


def test_removing_a_rated_objective_is_refused(client, carol):
    host = make_course(objectives=("Name bias", "Practise allyship"))
    evaluation_answers(event_row(host=host, days=-1), host, 1)
    client.force_login(carol)
    response = client.post(edit_url(host), course_data(slug=host.slug, objectives="Name bias"))
    assert response.status_code == 400
    assert "has been rated in evaluations, so it cannot be removed" in response.content.decode()
    assert LearningObjective.objects.filter(course=host).count() == 2


def test_an_unrated_objective_can_be_removed():
    host = make_course(objectives=("One", "Two", "Three"))
    catalog.update_course(host.pk, actor=None, objectives=["One", "Three"])
    assert [o.text for o in host.objectives.all()] == ["One", "Three"]


def test_the_action_checks_the_address_too():
    make_course(slug="taken", objectives=OBJECTIVES)
    with pytest.raises(Refused) as refusal:
        catalog.create_course(actor=None, title="T", slug="taken", description="d")
    assert refusal.value.field == "slug" and refusal.value.status == 400
    with pytest.raises(Refused):
        catalog.create_course(actor=None, title="T", slug="manage", description="d")


def test_an_empty_post_names_the_missing_fields(client, carol):
    client.force_login(carol)
    response = client.post(NEW)
    assert response.status_code == 400
    assert 'href="#id_title"' in response.content.decode()


def test_a_slug_taken_between_the_check_and_the_save_is_refused(monkeypatch):
    make_course(slug="raced", objectives=OBJECTIVES)
    monkeypatch.setattr(catalog, "_check_course_fields", lambda fields, course=None: None)
    with pytest.raises(Refused) as refusal:
        catalog.create_course(actor=None, title="T", slug="raced", description="d")
    assert refusal.value.field == "slug"
    assert Course.objects.filter(slug="raced").count() == 1
