"""The membership visibility matrix, shared by the tests of the rule, the page and the API.

Alice ("the member") joins the Rainbow Collective with each visibility; every other viewer is
someone whose view of her membership the rule decides. Import `viewers` as a fixture:

    from tests.collectives.visibility_matrix import SEES, VIEWERS, viewers  # noqa: F401
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from tests.builders import make_person

VIEWERS = [
    "self",
    "other_member",
    "ally",
    "other_collective_member",
    "leader",
    "outsider",
    "dei_administrator",
    "analyst",
    "superuser",
    "visitor",
]

# Who sees Alice's membership, for each visibility she may choose.
SEES = {
    "leaders": {"self", "leader"},
    "members": {"self", "leader", "other_member", "ally"},
    "organization": set(VIEWERS) - {"visitor"},
}

CASES = [
    pytest.param(visibility, viewer, viewer in SEES[visibility], id=f"{visibility}-{viewer}")
    for visibility in SEES
    for viewer in VIEWERS
]

THE_MEMBER = "Alice Member"


@pytest.fixture
def viewers(alice, bob, frank, grace, dave, collective, other_collective, leads, join):
    """Every viewer of the matrix. The others who joined keep their own memberships to the
    leaders only, so that only Alice's choice is at stake."""
    other_member = make_person("mona@example.org", "Mona Member")
    ally = make_person("allan@example.org", "Allan Ally")
    elsewhere = make_person("olga@example.org", "Olga Elsewhere")
    superuser = make_person("sue@example.org", "Sue Superuser", is_superuser=True, is_staff=True)
    join(other_member, collective)
    join(ally, collective, kind="ally")
    join(elsewhere, other_collective, visibility="organization")
    return {
        "self": alice,
        "other_member": other_member,
        "ally": ally,
        "other_collective_member": elsewhere,
        "leader": bob,
        "outsider": dave,
        "dei_administrator": frank,
        "analyst": grace,
        "superuser": superuser,
        "visitor": AnonymousUser(),
    }
