"""How some training pages are laid out, measured in Chromium: the evaluation's rating scale
on one line at 1280px (each label whole), session facts whose separators never dangle at the
end of a wrapped line, and the room between a group request's invitation box and the heading
after it."""

import datetime

import pytest
from django.utils import timezone

from belong.events import actions
from belong.events.models import Event
from belong.training.actions import requests as request_actions
from belong.training.models import Course
from tests.builders import evaluation_invite, make_attended, make_campuses, make_group_request
from tests.e2e.a11y import visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = (1280, 1024, 800, 600, 480)

# For each list of session facts: its items, each with whether it starts or ends a line of
# the list, whether a separator is drawn after it, and whether the one drawn before it is
# visible (inside the list's clipping box) or not.
FACTS = """() => Array.from(document.querySelectorAll('ul.event__meta')).map(list => {
    const box = list.getBoundingClientRect();
    const clips = getComputedStyle(list).overflowX !== 'visible';
    const items = Array.from(list.children);
    return items.map((item, i) => {
        const rect = item.getBoundingClientRect();
        const before = getComputedStyle(item, '::before');
        const after = getComputedStyle(item, '::after');
        const drawn = style => style.content !== 'none' && style.content !== 'normal'
            && style.display !== 'none';
        const prev = items[i - 1], next = items[i + 1];
        const beforeLeft = rect.left + parseFloat(before.left || '0');
        return {
            text: item.textContent.trim(),
            startsLine: !prev || prev.getBoundingClientRect().top < rect.top - 1,
            endsLine: !next || next.getBoundingClientRect().top > rect.top + 1,
            sepAfter: drawn(after),
            sepBefore: drawn(before) && before.position === 'absolute'
                && !(clips && beforeLeft < box.left - 0.5),
        };
    });
})"""


@pytest.fixture
def workshop(content, carol, alice):
    """The seeded Implicit Bias course with three upcoming sessions whose facts are long
    enough to wrap, and a past one that alice attended (her evaluation invitation)."""
    twin_cities, _duluth = make_campuses()
    course = Course.objects.get(slug="implicit-bias")
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=8)
    for n, fields in enumerate(
        [
            {"format": Event.Format.IN_PERSON, "campus": twin_cities, "capacity": 30},
            {"format": Event.Format.HYBRID, "campus": twin_cities, "capacity": 1},
            {"format": Event.Format.VIRTUAL, "capacity": None},
        ]
    ):
        at = start + datetime.timedelta(days=n)
        event = actions.create_event(
            actor=carol,
            kind=Event.Kind.SESSION,
            host=course,
            title=course.title,
            start=at,
            end=at + datetime.timedelta(hours=2),
            place="Phillips-Wangensteen Building, room 2-540",
            minimum=6,
            **fields,
        )
        Event.objects.filter(pk=event.pk).update(status=Event.Status.CONFIRMED)
        if n == 1:
            actions.register(event.pk, person=alice)
    past = Event.objects.create(
        kind=Event.Kind.SESSION,
        host=course,
        title=course.title,
        start=start - datetime.timedelta(days=20),
        end=start - datetime.timedelta(days=20, hours=-2),
        status=Event.Status.COMPLETED,
    )
    return {"course": course, "token": evaluation_invite(make_attended(past, alice))}


def test_session_facts_never_end_a_line_with_a_separator(page, workshop):
    wrapped = 0
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in ("/training/", f"/training/{workshop['course'].slug}/"):
            visit(page, path)
            lists = page.evaluate(FACTS)
            assert lists, f"{path}: no session facts"
            for items in lists:
                for previous, item in zip([None, *items], items, strict=False):
                    where = f"{path} at {width}px, “{item['text']}”"
                    if item["endsLine"]:
                        assert not item["sepAfter"], f"{where} ends a line with a separator"
                    if item["startsLine"]:
                        assert not item["sepBefore"], f"{where} starts a line with a separator"
                    else:  # beside the one before it: a separator between them
                        assert item["sepBefore"] or previous["sepAfter"], (
                            f"{where} has no separator before it"
                        )
                wrapped += sum(1 for item in items[1:] if item["startsLine"])
    assert wrapped, "no list of facts wrapped: the test saw no line to check"


def test_the_rating_scale_fits_one_line_at_desktop_width(page, workshop, alice, sign_in):
    sign_in(alice)
    path = f"/training/evaluate/{workshop['token']}/"
    visit(page, path)
    scales = page.evaluate(
        """() => Array.from(document.querySelectorAll('.rating-scale .choices')).map(group =>
            Array.from(group.querySelectorAll('.choice')).map(choice => ({
                top: Math.round(choice.getBoundingClientRect().top),
                lines: choice.querySelector('label').getClientRects().length,
                label: choice.querySelector('label').textContent.trim(),
            })))"""
    )
    assert scales
    for choices in scales:
        assert [c["label"] for c in choices][-1] == "5 = completely"
        assert len({c["top"] for c in choices}) == 1, f"the scale wraps: {choices}"
        assert all(c["lines"] == 1 for c in choices), f"a label breaks: {choices}"


def test_the_invitation_box_keeps_its_distance_from_the_next_heading(page, carol, sign_in):
    twin_cities, _duluth = make_campuses()
    course = Course.objects.create(slug="speak-up", title="Speak Up", description="A workshop.")
    group_request = make_group_request(carol, [course])
    start = timezone.now() + datetime.timedelta(days=20)
    request_actions.schedule(
        group_request.pk,
        actor=carol,
        course=course,
        start=start,
        end=start + datetime.timedelta(hours=2),
        format=Event.Format.IN_PERSON,
        campus=twin_cities,
    )
    sign_in(carol)
    for path in (
        f"/training/manage/requests/{group_request.pk}/",
        f"/training/requests/{group_request.pk}/",
    ):
        visit(page, path)
        gap = page.evaluate(
            """() => {
                const box = document.querySelector('section[aria-labelledby="invitation-title"]');
                let next = box.nextElementSibling;
                return next.getBoundingClientRect().top - box.getBoundingClientRect().bottom;
            }"""
        )
        assert gap >= 24, f"{path}: the invitation box is {gap}px from what follows it"
