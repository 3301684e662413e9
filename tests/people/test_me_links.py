"""/me/'s side list is made of the links the apps register (belong/people/me_sections.py), each
for whom it concerns: the pages a role opens appear only for that role, one's own settings for
everyone, in one order whatever the apps' loading order."""

import re

import pytest
from django.urls import reverse

from belong.people import me_sections

pytestmark = pytest.mark.django_db

EVERYONE = [
    reverse("people:profile"),
    reverse("people:privacy"),
    reverse("training:my_requests"),
    reverse("events:my_calendar"),
    reverse("people:tokens"),
    reverse("people:two_step"),
    reverse("people:sign_out_everywhere"),
]


def side_list(client, someone):
    client.force_login(someone)
    html = client.get(reverse("people:me")).content.decode()
    aside = html[html.index('aria-labelledby="settings-title"') :]
    aside = aside[: aside.index("</aside>")]
    return re.findall(r'<li><a href="([^"]+)"', aside)


@pytest.mark.parametrize(
    ("who", "extra"),
    [
        ("dave", []),
        ("alice", []),
        ("carol", [reverse("training:manage")]),  # a training coordinator
        ("erin", [reverse("mentorship:manage")]),  # a mentorship coordinator
        ("grace", [reverse("insights:index")]),  # an analyst
        (  # a DEI administrator
            "frank",
            [reverse("insights:index"), reverse("mentorship:manage"), reverse("training:manage")],
        ),
    ],
)
def test_each_role_sees_its_own_links_in_one_order(client, request, who, extra):
    links = side_list(client, request.getfixturevalue(who))
    order = [
        reverse("insights:index"),
        reverse("mentorship:manage"),
        reverse("training:manage"),
        *EVERYONE,
    ]
    assert links == [url for url in order if url in EVERYONE or url in extra]


def test_the_links_come_from_the_registry(client, dave):
    before = dict(me_sections._sections)
    try:
        me_sections.register(
            "zz-test",
            order=1,
            links=lambda person: [me_sections.Link(45, "/somewhere/", "Somewhere", "A test")],
        )
        links = side_list(client, dave)
    finally:
        me_sections._sections.clear()
        me_sections._sections.update(before)
    assert links[1] == "/somewhere/"  # after profile (40), before privacy (50)
    assert "/somewhere/" not in side_list(client, dave)


def test_coordinators_and_facilitators_find_the_training_pages(client, carol):
    client.force_login(carol)
    assert 'href="/training/manage/"' in client.get("/me/").content.decode()


def test_members_do_not_see_a_link_they_could_not_follow(client, alice):
    client.force_login(alice)
    page = client.get("/me/").content.decode()
    assert 'href="/training/manage/"' not in page
    assert 'href="/training/requests/"' in page and 'href="/me/calendar/"' in page
