"""Joining, changing and leaving from the pages (/collectives/<slug>/join/, membership/,
leave/), and the memberships on /me/. Wrong methods, visitors and bad values change nothing."""

import pytest

from belong.collectives.models import Collective, Membership, MembershipCount

pytestmark = pytest.mark.django_db

JOIN = "/collectives/rainbow/join/"
CHANGE = "/collectives/rainbow/membership/"
LEAVE = "/collectives/rainbow/leave/"


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# -- the join form ------------------------------------------------------------------------


def test_the_join_form_explains_each_choice_and_preselects_leaders_only(client, alice, collective):
    client.force_login(alice)
    response = client.get(JOIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post" action="/collectives/rainbow/join/"' in html
    for value in ("member", "ally", "leaders", "members", "organization"):
        assert f'value="{value}"' in html
    assert 'name="visibility" value="leaders" id="id_visibility_0" required checked' in html
    assert 'name="kind" value="member" id="id_kind_0" required checked' not in html
    assert "without sharing its identity" in html
    assert "Only you and the collective's current leaders" in html
    assert "everyone who has joined this collective as a member or an ally" in html
    assert "Everyone who signs in to Belong" in html
    assert "not DEI administrators" in html


def test_joining_as_an_ally_with_the_default_visibility(client, alice, collective):
    client.force_login(alice)
    response = client.post(JOIN, {"kind": "ally", "visibility": "leaders"}, follow=True)
    assert response.redirect_chain == [("/collectives/rainbow/", 302)]
    membership = Membership.objects.get(person=alice, collective=collective)
    assert (membership.kind, membership.visibility) == ("ally", "leaders")
    assert messages_of(response) == [
        "You joined Rainbow Collective as an ally. Who may see it: leaders only."
    ]
    assert "You are an ally" in response.content.decode()
    row = MembershipCount.objects.get(collective=collective)
    assert (row.members, row.allies) == (0, 1)


@pytest.mark.parametrize(
    ("data", "label", "message"),
    [
        ({"visibility": "leaders"}, "I join as", "Choose “member” or “ally”."),
        ({"kind": "friend", "visibility": "leaders"}, "I join as", "Choose “member” or “ally”."),
        ({"kind": "member", "visibility": "everyone"}, "Who may see that you belong", "Choose who"),
        ({"kind": "member"}, "Who may see that you belong", "Choose who"),
    ],
)
def test_a_bad_value_is_a_400_naming_the_field_and_nothing_changes(
    client, alice, collective, data, label, message
):
    client.force_login(alice)
    response = client.post(JOIN, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert '<div class="error-summary" role="alert"' in html
    assert f"{label}: {message}" in html
    assert "<title>Error:" in html
    assert not Membership.objects.exists()
    assert not MembershipCount.objects.exists()


def test_a_visitor_is_sent_to_sign_in_and_nothing_changes(client, collective):
    for url in (JOIN, CHANGE, LEAVE):
        response = client.post(url, {"kind": "member", "visibility": "leaders"})
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/?next=")
    response = client.get(JOIN)
    assert response["Location"] == "/sign-in/?next=/collectives/rainbow/join/"
    assert not Membership.objects.exists()


@pytest.mark.parametrize(
    ("url", "methods"),
    [
        (JOIN, ["put", "delete", "patch"]),
        (CHANGE, ["get", "put", "delete"]),
        (LEAVE, ["put", "delete"]),
    ],
)
def test_wrong_methods_are_405(client, alice, collective, join, url, methods):
    membership = join(alice, collective)
    client.force_login(alice)
    for method in methods:
        assert getattr(client, method)(url).status_code == 405
    membership.refresh_from_db()
    assert (membership.kind, membership.visibility) == ("member", "leaders")


def test_an_inactive_or_unknown_collective_cannot_be_joined_or_changed(
    client, alice, collective, join
):
    join(alice, collective)
    Collective.objects.filter(pk=collective.pk).update(is_active=False)
    client.force_login(alice)
    for url in (JOIN, CHANGE):
        assert client.get(url).status_code in (404, 405)
        assert client.post(url, {"kind": "ally", "visibility": "members"}).status_code == 404
    assert client.get("/collectives/nope/join/").status_code == 404
    assert client.get("/collectives/nope/leave/").status_code == 404
    assert Membership.objects.get(person=alice).kind == "member"


def test_one_may_leave_a_collective_that_is_no_longer_active(client, alice, dave, collective, join):
    join(alice, collective)
    Collective.objects.filter(pk=collective.pk).update(is_active=False)
    client.force_login(dave)  # not a member: the retired collective does not exist for him
    assert client.get(LEAVE).status_code == 404
    assert client.post(LEAVE).status_code == 404
    client.force_login(alice)
    assert "Leave" in client.get("/me/").content.decode()
    assert client.get(LEAVE).status_code == 200
    response = client.post(LEAVE)
    assert response.status_code == 302 and response["Location"] == "/me/"
    assert not Membership.objects.filter(person=alice).exists()


# -- changing -------------------------------------------------------------------------------


def test_a_member_gets_the_change_form_prefilled(client, alice, collective, join):
    join(alice, collective, kind="ally", visibility="members")
    client.force_login(alice)
    html = client.get(JOIN).content.decode()
    assert '<form method="post" action="/collectives/rainbow/membership/"' in html
    assert "Change how you belong" in html
    assert 'value="ally" id="id_kind_1" required checked' in html
    assert 'value="members" id="id_visibility_1" required checked' in html
    assert 'href="/collectives/rainbow/leave/"' in html


def test_changing_who_may_see_it(client, alice, collective, join):
    join(alice, collective, kind="ally")
    client.force_login(alice)
    response = client.post(CHANGE, {"kind": "ally", "visibility": "organization"}, follow=True)
    assert response.redirect_chain == [("/collectives/rainbow/", 302)]
    membership = Membership.objects.get(person=alice)
    assert (membership.kind, membership.visibility) == ("ally", "organization")
    assert messages_of(response) == [
        "Your membership of Rainbow Collective was saved. "
        "Who may see it: everyone in the organization."
    ]


def test_changing_the_kind_recounts(client, alice, collective, join):
    join(alice, collective, kind="ally")
    client.force_login(alice)
    client.post(CHANGE, {"kind": "member", "visibility": "leaders"})
    row = MembershipCount.objects.get(collective=collective)
    assert (row.members, row.allies) == (1, 0)


def test_saving_the_same_values_says_nothing_changed(client, alice, collective, join):
    join(alice, collective)
    client.force_login(alice)
    response = client.post(CHANGE, {"kind": "member", "visibility": "leaders"}, follow=True)
    assert messages_of(response) == [
        "Nothing changed: your membership of Rainbow Collective is as it was."
    ]


def test_a_bad_change_is_a_400_and_changes_nothing(client, alice, collective, join):
    join(alice, collective, kind="ally", visibility="members")
    client.force_login(alice)
    response = client.post(CHANGE, {"kind": "ally", "visibility": "public"})
    assert response.status_code == 400
    assert "Who may see that you belong: Choose who" in response.content.decode()
    membership = Membership.objects.get(person=alice)
    assert (membership.kind, membership.visibility) == ("ally", "members")


def test_changing_without_a_membership_creates_nothing(client, dave, collective):
    client.force_login(dave)
    response = client.post(CHANGE, {"kind": "ally", "visibility": "leaders"}, follow=True)
    assert response.redirect_chain == [(JOIN, 302)]
    assert "You have not joined Rainbow Collective" in messages_of(response)[0]
    assert not Membership.objects.exists()


def test_an_outsider_cannot_touch_someone_elses_membership(client, alice, dave, collective, join):
    """The views act on the signed-in person's own membership only: dave's requests leave
    alice's membership as it was."""
    join(alice, collective, kind="ally", visibility="members")
    client.force_login(dave)
    client.post(CHANGE, {"kind": "member", "visibility": "organization", "person": alice.pk})
    client.post(LEAVE, {"person": alice.pk})
    membership = Membership.objects.get(person=alice)
    assert (membership.kind, membership.visibility) == ("ally", "members")
    assert not Membership.objects.filter(person=dave).exists()


# -- leaving --------------------------------------------------------------------------------


def test_the_leave_page_says_what_is_kept(client, alice, collective, join):
    join(alice, collective)
    client.force_login(alice)
    response = client.get(LEAVE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "your membership is deleted" in html
    assert "anonymous monthly count" in html and "no names" in html
    assert '<form method="post" action="/collectives/rainbow/leave/"' in html
    assert Membership.objects.filter(person=alice).exists()


def test_leaving(client, alice, collective, join):
    join(alice, collective, kind="ally")
    client.force_login(alice)
    response = client.post(LEAVE, follow=True)
    assert response.redirect_chain == [("/collectives/rainbow/", 302)]
    assert not Membership.objects.filter(person=alice).exists()
    assert messages_of(response) == [
        "You left Rainbow Collective. Your membership was deleted: only an anonymous monthly "
        "count of members and allies is kept, with no names."
    ]
    row = MembershipCount.objects.get(collective=collective)
    assert (row.members, row.allies) == (0, 0)
    assert "Join this collective" in response.content.decode()


def test_leaving_from_my_page_goes_back_there(client, alice, collective, join):
    join(alice, collective)
    client.force_login(alice)
    html = client.get("/me/").content.decode()
    assert 'href="/collectives/rainbow/leave/?next=/me/"' in html.replace("%2F", "/")
    assert 'name="next" value="/me/"' in client.get(LEAVE + "?next=/me/").content.decode()
    response = client.post(LEAVE, {"next": "/me/"})
    assert response["Location"] == "/me/"


def test_leaving_never_redirects_off_the_site(client, alice, collective, join):
    join(alice, collective)
    client.force_login(alice)
    response = client.post(LEAVE, {"next": "https://evil.example/"})
    assert response["Location"] == "/collectives/rainbow/"


def test_leaving_without_a_membership_changes_nothing(client, dave, alice, collective, join):
    join(alice, collective)
    client.force_login(dave)
    response = client.get(LEAVE, follow=True)
    assert response.redirect_chain == [("/collectives/rainbow/", 302)]
    assert messages_of(response) == ["You are not a member of Rainbow Collective."]
    response = client.post(LEAVE, follow=True)
    assert messages_of(response) == [
        "You were not a member of Rainbow Collective: nothing changed."
    ]
    assert Membership.objects.filter(person=alice).exists()


# -- /me/ ---------------------------------------------------------------------------------


def test_my_page_lists_each_membership_with_its_visibility_in_words(
    client, alice, collective, other_collective, join
):
    join(alice, collective, kind="ally", visibility="organization")
    join(alice, other_collective)
    client.force_login(alice)
    html = client.get("/me/").content.decode()
    assert "Ally · Who may see it: Everyone in the organization" in html
    assert "Member · Who may see it: Leaders only" in html
    assert "Everyone who signs in to Belong" in html
    assert "Only you and the collective's current leaders" in html
    for slug in ("rainbow", "harmony"):
        assert f'href="/collectives/{slug}/join/"' in html
        assert f'href="/collectives/{slug}/leave/?next=' in html
