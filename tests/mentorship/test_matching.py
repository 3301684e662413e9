"""The matching engine (belong.mentorship.matching): plain examples, then properties on small
random pools checked by hypothesis. The checks are written here on their own, apart from the
engine: which pairs are allowed, each factor's points, an exhaustive search for the best
assignment, a greedy assignment, and the blocking-pair test. No database."""

import itertools
import math
import random
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from belong.mentorship import matching
from belong.mentorship.matching import (
    BELOW_MIN_SCORE,
    FACTORS,
    NO_CAPACITY,
    NO_ELIGIBLE_MENTOR,
    PREFERRED_BONUS,
    Mentee,
    Mentor,
    Reason,
    broken_constraint,
    describe,
    eligible_matrix,
    explain,
    identity_explained,
    match,
    pair_score,
    plain_score,
    score_matrix,
)

NOTHING = dict.fromkeys(FACTORS, 0.0)  # weights: nothing matters


def only(**weights):
    """Weights where only the named factors matter."""
    return {**NOTHING, **weights}


def pairs(result):
    return [(m.mentee_id, m.mentor_id) for m in result.matches]


def why(result):
    return {u.mentee_id: u.why for u in result.unmatched}


# --- the checker's own rules -------------------------------------------------------------------

FIELDS = {
    "program": "program",
    "department": "department",
    "career": "career_interests",
    "dei": "dei_interests",
    "languages": "languages",
    "meeting": "meeting",
    "campus": "campus",
    "availability": "availability",
    "identity": "identity",
}


def points_of(mentee, mentor, factor):
    """A factor's points, from the rules as the docs state them."""
    a, b = getattr(mentee, FIELDS[factor]), getattr(mentor, FIELDS[factor])
    if factor in ("program", "department", "campus"):
        alike = 1.0 if a != "" and a == b else 0.0
    elif factor == "meeting":
        alike = 1.0 if set(a) & set(b) else 0.0
    elif factor == "identity":
        both_gave = len(a) > 0 and len(b) > 0
        alike = 1.0 if mentee.wants_shared_identity and both_gave and set(a) & set(b) else 0.0
    else:
        alike = len(set(a) & set(b)) / len(a) if len(a) else 0.0
    return mentee.weights[factor] * alike


def identity_may_be_told(mentee, mentor):
    """The docs' rule: two aspects or more on each side, the mentor's on the mentee's
    questions (a question is what comes before the colon)."""
    questions = {aspect.split(":")[0] for aspect in mentee.identity}
    theirs = {aspect for aspect in mentor.identity if aspect.split(":")[0] in questions}
    return len(mentee.identity) >= 2 and len(theirs) >= 2


def allowed(mentee, mentor, forbidden):
    return (
        mentor.seniority > mentee.seniority
        and mentee.id != mentor.id
        and mentor.id not in mentee.excluded
        and mentee.id not in mentor.excluded
        and (mentee.id, mentor.id) not in forbidden
    )


def units(score):
    """A score in whole units of 0.0001 points (scores are rounded to that), for exact sums."""
    return round(score * 10_000)


class Pool:
    """A drawn instance and what the checks need to know about it."""

    def __init__(self, mentees, mentors, forbidden, min_score, pinned=()):
        self.mentees, self.mentors = mentees, mentors
        self.forbidden, self.min_score, self.pinned = forbidden, min_score, tuple(pinned)
        self.score = {(a.id, b.id): pair_score(a, b) for a in mentees for b in mentors}
        # Without the identity factor (what anyone but the mentee sees); min_score applies
        # to it, so that being acceptable never depends on identity.
        self.plain = {(a.id, b.id): plain_score(a, b) for a in mentees for b in mentors}
        self.ok = {
            (a.id, b.id)
            for a in mentees
            for b in mentors
            if allowed(a, b, forbidden) and self.plain[a.id, b.id] >= min_score
        }
        self.capacity = {b.id: b.capacity for b in mentors}
        for _a, b in self.pinned:
            self.capacity[b] -= 1
        self.pinned_mentees = {a for a, _b in self.pinned}
        self.free = sorted(a.id for a in mentees if a.id not in self.pinned_mentees)

    def run(self, mode, mentees=None, mentors=None):
        return match(
            self.mentees if mentees is None else mentees,
            self.mentors if mentors is None else mentors,
            mode=mode,
            min_score=self.min_score,
            pinned=self.pinned,
            forbidden=self.forbidden,
        )


def brute_force(pool):
    """The best (total in units, number of pairs) over every assignment of the free mentees,
    each to nobody or to an acceptable mentor with a place left."""
    best = (-1, -1)
    left = dict(pool.capacity)
    options = {a: [b.id for b in pool.mentors if (a, b.id) in pool.ok] for a in pool.free}

    def search(k, total, count):
        nonlocal best
        if k == len(pool.free):
            best = max(best, (total, count))
            return
        a = pool.free[k]
        search(k + 1, total, count)
        for b in options[a]:
            if left[b] > 0:
                left[b] -= 1
                search(k + 1, total + units(pool.score[a, b]), count + 1)
                left[b] += 1

    search(0, 0, 0)
    return best


def greedy(pool):
    """Best remaining pair first: by score, then mentee id, then mentor id."""
    left = dict(pool.capacity)
    taken = set()
    chosen = []
    for a, b in sorted(pool.ok, key=lambda p: (-pool.score[p], p[0], p[1])):
        if a in pool.pinned_mentees or a in taken or left[b] <= 0:
            continue
        taken.add(a)
        left[b] -= 1
        chosen.append((a, b))
    return sorted(chosen)


def blocking_pairs(pool, result):
    """Acceptable (mentee, mentor) pairs, outside the pins, that both prefer each other to what
    they have: the mentee by score (ties: the lower mentor id), the mentor by score (ties: the
    lower mentee id), nobody and a free place being the least preferred."""
    mentor_of = {m.mentee_id: m.mentor_id for m in result.matches if not m.pinned}
    held = {b.id: [] for b in pool.mentors}
    for a, b in mentor_of.items():
        held[b].append(a)
    found = []
    for a, b in sorted(pool.ok):
        if a in pool.pinned_mentees or mentor_of.get(a) == b:
            continue
        s = pool.score[a, b]
        if a in mentor_of:
            now = mentor_of[a]
            if (s, -b) <= (pool.score[a, now], -now):
                continue  # the mentee does not prefer b
        if len(held[b]) >= pool.capacity[b]:
            if all((s, -a) <= (pool.score[x, b], -x) for x in held[b]):
                continue  # the mentor prefers everyone they hold
        found.append((a, b))
    return found


# --- strategies --------------------------------------------------------------------------------

VOCAB = {
    "career_interests": ["clinical", "research", "education"],
    "dei_interests": ["anti_racism", "sdoh", "recruitment"],
    "languages": ["en", "es", "so"],
    "meeting": ["virtual", "in_person"],
    "availability": ["weekday_morning", "weekday_evening", "weekend"],
    # "question:value", as the mentorship app passes them: two questions of two values each.
    "identity": ["race:a", "race:b", "gender:a", "gender:b"],
}
# Strategies are built once: building them inside each draw costs hypothesis most of its time.
weight_values = st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0]) | st.floats(0, 3)


def profile(seniority):
    return st.fixed_dictionaries(
        {
            "seniority": seniority,
            "program": st.sampled_from(["", "internal_medicine", "pediatrics"]),
            "department": st.sampled_from(["", "medicine", "surgery"]),
            "campus": st.sampled_from(["", "twin_cities", "duluth"]),
            **{name: st.frozensets(st.sampled_from(values)) for name, values in VOCAB.items()},
        }
    )


# Seniorities overlap, so that about a quarter of the pairs are too close in training.
MENTEE_PROFILE = profile(st.integers(1, 3))
MENTOR_PROFILE = profile(st.integers(2, 5))
# Others are named by position in the other side's ids (one past the end: an unknown id).
POSITIONS = st.frozensets(st.integers(0, 8), max_size=2)
MENTEE_ONLY = st.fixed_dictionaries(
    {
        "weights": st.fixed_dictionaries({f: weight_values for f in FACTORS}),
        "wants_shared_identity": st.booleans(),
        "preferred": POSITIONS,
        "excluded": st.integers(0, 16),
    }
)
MENTOR_ONLY = st.fixed_dictionaries({"capacity": st.integers(0, 3), "excluded": st.integers(0, 16)})
PEOPLE = st.permutations(range(1, 9))
PAIRS = st.lists(st.tuples(st.integers(0, 7), st.integers(0, 7)), max_size=2)
MIN_SCORES = st.sampled_from([0.0, 0.0, 0.5, 2.0])


def named(positions, ids):
    """Ids from positions: past the end of `ids` means an id nobody has (99)."""
    return frozenset(ids[k] if k < len(ids) else 99 for k in positions if k <= len(ids))


@st.composite
def pools(draw, max_mentees=6, max_mentors=4, with_pins=False):
    # Ids from one small range, so that some people are on both sides (no self-match).
    # At least one on each side (empty pools have their own example).
    mentee_ids = draw(PEOPLE)[: draw(st.integers(1, max_mentees))]
    mentor_ids = draw(PEOPLE)[: draw(st.integers(1, max_mentors))]
    mentees = []
    for i in mentee_ids:
        extra = draw(MENTEE_ONLY)
        extra["preferred"] = named(extra["preferred"], mentor_ids)
        extra["excluded"] = named([extra["excluded"]], mentor_ids)  # now and then one
        mentees.append(Mentee(id=i, **draw(MENTEE_PROFILE), **extra))
    mentors = []
    for j in mentor_ids:
        extra = draw(MENTOR_ONLY)
        extra["excluded"] = named([extra["excluded"]], mentee_ids)
        mentors.append(Mentor(id=j, **draw(MENTOR_PROFILE), **extra))
    forbidden = frozenset(
        (mentee_ids[a], mentor_ids[b])
        for a, b in draw(PAIRS)
        if a < len(mentee_ids) and b < len(mentor_ids)
    )
    min_score = draw(MIN_SCORES)
    pinned = []
    if with_pins:
        left = {b.id: b.capacity for b in mentors}
        for a in mentees:
            candidates = [b.id for b in mentors if left[b.id] > 0 and allowed(a, b, forbidden)]
            choice = draw(st.integers(-4, len(candidates) - 1))  # mostly no pin
            if choice >= 0:
                left[candidates[choice]] -= 1
                pinned.append((a.id, candidates[choice]))
    return Pool(mentees, mentors, forbidden, min_score, pinned)


def check_constraints(pool, result):
    """Every hard constraint, checked from the pool alone."""
    by_mentee = {a.id: a for a in pool.mentees}
    by_mentor = {b.id: b for b in pool.mentors}
    ids = [m.mentee_id for m in result.matches]
    assert ids == sorted(set(ids)), "one mentor at most per mentee, sorted by mentee id"
    load = {b.id: 0 for b in pool.mentors}
    for m in result.matches:
        a, b = by_mentee[m.mentee_id], by_mentor[m.mentor_id]
        load[b.id] += 1
        assert allowed(a, b, pool.forbidden)
        assert m.score == pool.score[a.id, b.id]
        assert m.plain_score == pool.plain[a.id, b.id]
        assert m.plain_reasons == explain(a, b, identity=False)
        assert "identity" not in [r.factor for r in m.plain_reasons]
        assert m.pinned == ((a.id, b.id) in pool.pinned)
        if not m.pinned:
            assert m.plain_score >= pool.min_score
    assert all(load[b.id] <= b.capacity for b in pool.mentors)
    assert set(pool.pinned) <= set(pairs(result))
    # Everyone appears once, matched or not, and each "why" is the true one.
    unmatched = [u.mentee_id for u in result.unmatched]
    assert sorted(ids + unmatched) == sorted(by_mentee)
    assert unmatched == sorted(unmatched)
    for u in result.unmatched:
        a = by_mentee[u.mentee_id]
        eligible = [b for b in pool.mentors if allowed(a, b, pool.forbidden)]
        if not eligible:
            assert u.why == NO_ELIGIBLE_MENTOR
        elif not any((a.id, b.id) in pool.ok for b in eligible):
            assert u.why == BELOW_MIN_SCORE
        else:
            assert u.why == NO_CAPACITY
            # Nobody is left out while an acceptable mentor has a place free.
            for b in eligible:
                if (a.id, b.id) in pool.ok:
                    assert load[b.id] == b.capacity
    assert units(result.total_score) == sum(units(m.score) for m in result.matches)
    assert units(result.plain_total) == sum(units(m.plain_score) for m in result.matches)


# --- scoring -----------------------------------------------------------------------------------


def test_reasons_name_the_strongest_factors_and_read_plainly():
    mentee = Mentee(
        id=1,
        seniority=2,
        program="internal_medicine",
        department="medicine",
        dei_interests={"recruitment", "sdoh"},
        languages={"en", "es"},
        campus="duluth",
        weights={"dei": 3, "department": 2, "languages": 3, "campus": 0.5},
    )
    mentor = Mentor(
        id=2,
        seniority=11,
        program="pediatrics",
        department="medicine",
        dei_interests={"recruitment", "community"},
        languages={"es", "fr"},
        campus="duluth",
    )
    # dei 3 * 1/2, department 2 * 1, languages 3 * 1/2, campus 0.5 * 1, program 0.
    assert pair_score(mentee, mentor) == 1.5 + 2 + 1.5 + 0.5
    assert explain(mentee, mentor) == (
        Reason("department", ("medicine",), 2.0),
        Reason("dei", ("recruitment",), 1.5),  # ties: FACTORS order (dei before languages)
        Reason("languages", ("es",), 1.5),
    )
    assert (
        describe(explain(mentee, mentor), {"es": "Spanish"})
        == "same department; both work on recruitment; both speak Spanish"
    )


def test_describe_joins_several_values_and_falls_back_to_the_key():
    reasons = (
        Reason("career", ("clinical", "global_health", "research"), 3.0),
        Reason("availability", ("weekend",), 1.0),
    )
    assert describe(reasons) == (
        "both interested in clinical, global health and research; both available weekend"
    )
    assert describe(()) == ""


def test_the_identity_reason_never_shows_the_aspects():
    mentee = Mentee(
        id=1,
        seniority=1,
        identity={"race:black", "gender:woman"},
        wants_shared_identity=True,
        weights=only(identity=2),
    )
    mentor = Mentor(id=2, seniority=5, identity={"race:black", "gender:man"})
    assert explain(mentee, mentor) == (Reason("identity", (), 2.0),)
    assert describe(explain(mentee, mentor)) == "a shared aspect of identity"


def test_the_identity_reason_is_given_only_when_it_cannot_tell_an_answer():
    """Issue 14, item 10: a mentee who asked about one aspect, told "a shared aspect of
    identity", learned the mentor's answer to it; so would a mentor with a single aspect on the
    mentee's questions. Then the reasons are the strongest other factors, the same whether the
    two share the aspect or not."""
    weights = only(identity=3, languages=1, meeting=2, campus=1)
    common = {"languages": {"es"}, "meeting": {"virtual"}, "campus": "duluth"}

    def reasons(mentee_aspects, mentor_aspects):
        mentee = Mentee(
            id=1,
            seniority=1,
            identity=mentee_aspects,
            wants_shared_identity=True,
            weights=weights,
            **common,
        )
        mentor = Mentor(id=2, seniority=5, identity=mentor_aspects, **common)
        return explain(mentee, mentor)

    others = (
        Reason("meeting", ("virtual",), 2.0),
        Reason("languages", ("es",), 1.0),
        Reason("campus", ("duluth",), 1.0),
    )
    # One aspect asked about: alike, unlike, or a mentor with several answers, the same words.
    for mentor_aspects in ({"race:black"}, {"race:white"}, {"race:black", "race:white"}):
        assert reasons({"race:black"}, mentor_aspects) == others
    # Two asked about, but the mentor has one answer on those questions (the other is theirs
    # on a question the mentee did not ask about): it would tell the mentor the mentee's.
    for mentor_aspects in ({"race:black"}, {"race:black", "disability:yes"}, {"race:white"}):
        assert reasons({"race:black", "gender:woman"}, mentor_aspects) == others
    # Two on each side: the reason may be given, and is, when they share one.
    shown = reasons({"race:black", "gender:woman"}, {"race:black", "gender:man"})
    assert shown == (Reason("identity", (), 3.0), *others[:2])
    assert reasons({"race:black", "gender:woman"}, {"race:white", "gender:man"}) == others
    # Two values of one question count as two aspects.
    assert reasons({"race:black", "race:white"}, {"race:black", "race:asian"})[0].factor == (
        "identity"
    )
    assert identity_explained(
        Mentee(id=1, seniority=1, identity={"a:1", "b:1"}, wants_shared_identity=True),
        Mentor(id=2, seniority=2, identity={"a:2", "b:2"}),
    )


def test_identity_counts_only_when_asked_for_and_given_on_both_sides():
    mentor = Mentor(id=9, seniority=10, identity={"aspect_a"})
    asks = Mentee(
        id=1,
        seniority=1,
        identity={"aspect_a"},
        wants_shared_identity=True,
        weights=only(identity=3),
    )
    assert pair_score(asks, mentor) == 3.0
    # Without the request, or without the mentor's aspects (no consent), the factor is absent.
    assert pair_score(Mentee(**{**vars(asks), "wants_shared_identity": False}), mentor) == 0.0
    assert pair_score(asks, Mentor(id=9, seniority=10)) == 0.0
    # With nothing shared it adds nothing either.
    assert pair_score(asks, Mentor(id=9, seniority=10, identity={"aspect_b"})) == 0.0
    # The default weight of identity is 0: asking alone moves no score.
    assert (
        pair_score(
            Mentee(id=1, seniority=1, identity={"aspect_a"}, wants_shared_identity=True), mentor
        )
        == 0.0
    )


def test_set_factors_score_the_share_of_the_mentees_answers():
    mentee = Mentee(
        id=1,
        seniority=1,
        career_interests={"clinical", "research", "education"},
        meeting={"virtual", "in_person"},
        weights=only(career=3, meeting=2),
    )
    mentor = Mentor(id=2, seniority=9, career_interests={"research", "global"}, meeting={"virtual"})
    # career: 1 of the mentee's 3, times 3; meeting: any shared way, times 2.
    assert pair_score(mentee, mentor) == 1.0 + 2.0
    assert explain(mentee, mentor)[0] == Reason("meeting", ("virtual",), 2.0)


def test_a_preferred_mentor_adds_the_bonus_and_unnamed_weights_take_the_default():
    mentee = Mentee(id=1, seniority=1, program="pediatrics", weights={"program": 2})
    assert mentee.weights == {**dict.fromkeys(FACTORS, 1.0), "identity": 0.0, "program": 2.0}
    mentor = Mentor(id=2, seniority=9, program="pediatrics")
    preferring = Mentee(**{**vars(mentee), "preferred": frozenset({2})})
    assert pair_score(mentee, mentor) == 2.0
    assert pair_score(preferring, mentor) == 2.0 + PREFERRED_BONUS
    assert explain(preferring, mentor) == (Reason("program", ("pediatrics",), 2.0),)


def test_empty_answers_never_count_as_the_same():
    mentee = Mentee(id=1, seniority=1)
    mentor = Mentor(id=2, seniority=9)
    assert pair_score(mentee, mentor) == 0.0
    assert explain(mentee, mentor) == ()


# --- hard constraints, min_score, pins, forbidden ----------------------------------------------


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_each_hard_constraint_keeps_a_pair_apart(mode):
    def alone(mentee, mentor, **kwargs):
        return match([mentee], [mentor], mode=mode, **kwargs)

    junior, senior = Mentee(id=1, seniority=3), Mentor(id=2, seniority=4)
    assert pairs(alone(junior, senior)) == [(1, 2)]
    same_level = Mentor(id=2, seniority=3)
    assert why(alone(junior, same_level)) == {1: NO_ELIGIBLE_MENTOR}
    excluding_mentee = Mentee(id=1, seniority=3, excluded={2})
    assert why(alone(excluding_mentee, senior)) == {1: NO_ELIGIBLE_MENTOR}
    excluding_mentor = Mentor(id=2, seniority=4, excluded={1})
    assert why(alone(junior, excluding_mentor)) == {1: NO_ELIGIBLE_MENTOR}
    themselves = Mentor(id=1, seniority=9)  # the same person enrolled on both sides
    assert why(alone(junior, themselves)) == {1: NO_ELIGIBLE_MENTOR}
    assert why(alone(junior, senior, forbidden=[(1, 2)])) == {1: NO_ELIGIBLE_MENTOR}
    assert why(alone(junior, Mentor(id=2, seniority=4, capacity=0))) == {1: NO_CAPACITY}


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_capacity_is_never_exceeded(mode):
    mentees = [Mentee(id=i, seniority=1, program="surgery") for i in range(1, 6)]
    mentors = [
        Mentor(id=10, seniority=9, program="surgery", capacity=2),
        Mentor(id=11, seniority=9, capacity=1),
    ]
    result = match(mentees, mentors, mode=mode)
    load = [m.mentor_id for m in result.matches]
    assert load.count(10) == 2 and load.count(11) == 1
    assert len(result.unmatched) == 2
    assert all(u.why == NO_CAPACITY for u in result.unmatched)


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_min_score_leaves_a_mentee_unmatched_rather_than_badly_matched(mode):
    mentee = Mentee(
        id=1, seniority=1, program="surgery", languages={"es"}, weights=only(program=2, languages=1)
    )
    mentors = [
        Mentor(id=2, seniority=9, program="surgery"),  # 2 points
        Mentor(id=3, seniority=9, languages={"es"}),
    ]  # 1 point
    assert why(match([mentee], mentors, mode=mode, min_score=2.5)) == {1: BELOW_MIN_SCORE}
    assert pairs(match([mentee], mentors[1:], mode=mode, min_score=1.5)) == []
    # A pair scoring exactly min_score is acceptable.
    assert pairs(match([mentee], mentors, mode=mode, min_score=2.0)) == [(1, 2)]


def test_optimal_beats_greedy_and_stable_takes_the_best_pair_first():
    # Greedy (and stable, whose preferences are the same scores) gives Ana the best single
    # pair (3 points) and leaves Ben a mentor worth 0; optimal gives 2.5 + 2 = 4.5.
    ana = Mentee(
        id=1,
        seniority=1,
        program="surgery",
        department="medicine",
        weights=only(program=3, department=2.5),
    )
    ben = Mentee(id=2, seniority=1, program="surgery", weights=only(program=2))
    x = Mentor(id=10, seniority=9, program="surgery")
    y = Mentor(id=11, seniority=9, department="medicine")
    optimal = match([ana, ben], [x, y])
    assert pairs(optimal) == [(1, 11), (2, 10)]
    assert optimal.total_score == 4.5
    assert [m.score for m in optimal.matches] == [2.5, 2.0]
    stable = match([ana, ben], [x, y], mode="stable")
    assert pairs(stable) == [(1, 10), (2, 11)]
    assert stable.total_score == 3.0 and stable.mode == "stable"


def test_optimal_matches_a_mentee_who_scores_zero_rather_than_nobody():
    # Among assignments with the largest total, the one that matches the most people.
    shares_nothing = Mentee(id=1, seniority=1, weights=NOTHING)
    result = match([shares_nothing], [Mentor(id=2, seniority=9)])
    assert pairs(result) == [(1, 2)]
    assert result.matches[0].reasons == () and result.total_score == 0.0


def test_among_equal_totals_optimal_matches_the_most_mentees():
    # Every pair scores 0; mentee 1 may only take mentor 11. Both are matched.
    mentees = [
        Mentee(id=1, seniority=1, weights=NOTHING, excluded={10}),
        Mentee(id=2, seniority=1, weights=NOTHING),
    ]
    mentors = [Mentor(id=10, seniority=9), Mentor(id=11, seniority=9)]
    assert pairs(match(mentees, mentors)) == [(1, 11), (2, 10)]


def test_pinned_pairs_stay_use_a_place_and_ignore_min_score():
    mentees = [
        Mentee(id=1, seniority=1, program="surgery", weights=only(program=3)),
        Mentee(id=2, seniority=1, weights=NOTHING),
    ]
    mentor = Mentor(id=10, seniority=9, program="surgery", capacity=1)
    # Left alone the engine gives the place to mentee 1 (3 points); the coordinator pinned 2.
    result = match(mentees, [mentor], min_score=1.0, pinned=[(2, 10)])
    assert result.matches[0].mentee_id == 2 and result.matches[0].pinned
    assert result.matches[0].score == 0.0
    assert why(result) == {1: NO_CAPACITY}
    stable = match(mentees, [mentor], mode="stable", pinned=[(2, 10)])
    assert pairs(stable) == [(2, 10)] and why(stable) == {1: NO_CAPACITY}


def test_forbidden_pairs_are_never_matched():
    mentee = Mentee(id=1, seniority=1, program="surgery", weights=only(program=1))
    best, other = Mentor(id=10, seniority=9, program="surgery"), Mentor(id=11, seniority=9)
    assert pairs(match([mentee], [best, other])) == [(1, 10)]
    assert pairs(match([mentee], [best, other], forbidden=[(1, 10)])) == [(1, 11)]


@pytest.mark.parametrize(
    ("pin", "message"),
    [
        ((1, 10), r"pinned pair \(mentee 1, mentor 10\): the mentor is not more senior"),
        ((2, 11), r"pinned pair \(mentee 2, mentor 11\): the mentee excluded this mentor"),
        ((3, 11), r"pinned pair \(mentee 3, mentor 11\): the mentor excluded this mentee"),
        ((11, 11), r"pinned pair \(mentee 11, mentor 11\): a person cannot mentor themselves"),
        ((2, 12), r"pinned pair \(mentee 2, mentor 12\): the coordinator forbade this pair"),
        ((2, 13), r"pinned pair \(mentee 2, mentor 13\): mentor 13 has no place left"),
        ((2, 99), r"pinned pair \(2, 99\): no mentor with id 99"),
        ((98, 11), r"pinned pair \(98, 11\): no mentee with id 98"),
    ],
)
def test_a_pin_that_breaks_a_hard_constraint_is_refused_by_name(pin, message):
    mentees = [
        Mentee(id=1, seniority=5),
        Mentee(id=2, seniority=1, excluded={11}),
        Mentee(id=3, seniority=1),
        Mentee(id=11, seniority=1),
    ]
    mentors = [
        Mentor(id=10, seniority=5),
        Mentor(id=11, seniority=9, excluded={3}),
        Mentor(id=12, seniority=9),
        Mentor(id=13, seniority=9, capacity=0),
    ]
    with pytest.raises(ValueError, match=message):
        match(mentees, mentors, pinned=[pin], forbidden=[(2, 12)])


def test_pins_beyond_a_capacity_or_twice_for_a_mentee_are_refused():
    mentees = [Mentee(id=1, seniority=1), Mentee(id=2, seniority=1)]
    mentors = [Mentor(id=10, seniority=9, capacity=1), Mentor(id=11, seniority=9)]
    with pytest.raises(ValueError, match=r"mentee 2, mentor 10\): mentor 10 has no place left"):
        match(mentees, mentors, pinned=[(1, 10), (2, 10)])
    with pytest.raises(ValueError, match="mentee 1 is pinned more than once"):
        match(mentees, mentors, pinned=[(1, 10), (1, 11)])


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: Mentor(id=1, seniority=9, capacity=-1), "capacity must be 0 or more"),
        (lambda: Mentee(id=1, seniority=1, weights={"dei": 3.5}), "weight of 'dei' must be"),
        (lambda: Mentee(id=1, seniority=1, weights={"dei": -1}), "weight of 'dei' must be"),
        (lambda: Mentee(id=1, seniority=1, weights={"dei": math.nan}), "weight of 'dei'"),
        (lambda: Mentee(id=1, seniority=1, weights={"gender": 1}), "unknown factor 'gender'"),
        (lambda: Mentee(id=1, seniority=1, languages="es"), "languages must be a set"),
        (lambda: Mentee(id=1, seniority=1, excluded={"2"}), "must be an integer"),
        (lambda: Mentor(id="7", seniority=9), "id must be an integer"),
    ],
)
def test_bad_records_are_refused(build, message):
    with pytest.raises(ValueError, match=message):
        build()


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda a, b: match([a, a], [b]), "duplicate mentee id 1"),
        (lambda a, b: match([a], [b, b]), "duplicate mentor id 2"),
        (lambda a, b: match([a], [b], mode="fastest"), "mode must be one of optimal, stable"),
        (lambda a, b: match([a], [b], min_score=math.nan), "min_score must be a finite"),
        (lambda a, b: match([a], [b], forbidden=[(1, 3)]), r"forbidden pair \(1, 3\): no mentor"),
        (lambda a, b: match([a], [b], forbidden=[(5, 2)]), r"forbidden pair \(5, 2\): no mentee"),
        (lambda a, b: match([a], [b], pinned=[(1,)]), "is not a"),
        (lambda a, b: match([b], [b]), "mentees must be Mentee records"),
    ],
)
def test_bad_calls_are_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call(Mentee(id=1, seniority=1), Mentor(id=2, seniority=9))


@pytest.mark.parametrize("mode", ["optimal", "stable"])
def test_empty_pools_match_nobody(mode):
    mentee, mentor = Mentee(id=1, seniority=1), Mentor(id=2, seniority=9)
    assert match([], [], mode=mode).matches == ()
    assert why(match([mentee], [], mode=mode)) == {1: NO_ELIGIBLE_MENTOR}
    nobody = match([], [mentor], mode=mode)
    assert (nobody.matches, nobody.unmatched, nobody.total_score) == ((), (), 0.0)


def test_the_engine_imports_nothing_from_django():
    code = (
        "import sys, belong.mentorship.matching;"
        "sys.exit(any(name.split('.')[0] == 'django' for name in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# --- properties --------------------------------------------------------------------------------


@settings(max_examples=120, deadline=None)
@given(pools(with_pins=True))
def test_optimal_is_the_exact_optimum_and_never_below_greedy(pool):
    result = pool.run("optimal")
    assert result.mode == "optimal"
    check_constraints(pool, result)
    pinned_units = sum(units(pool.score[p]) for p in pool.pinned)
    free_units = units(result.total_score) - pinned_units
    free_pairs = len(result.matches) - len(pool.pinned)
    # The largest total, and among those the most pairs.
    assert (free_units, free_pairs) == brute_force(pool)
    assert free_units >= sum(units(pool.score[p]) for p in greedy(pool))


@settings(max_examples=120, deadline=None)
@given(pools(with_pins=True))
def test_stable_has_no_blocking_pair_and_is_best_pair_first(pool):
    result = pool.run("stable")
    assert result.mode == "stable"
    check_constraints(pool, result)
    assert blocking_pairs(pool, result) == []
    # With both sides ranking by the same score, the stable matching is greedy's.
    assert sorted(p for p in pairs(result) if p not in pool.pinned) == greedy(pool)


@settings(max_examples=60, deadline=None)
@given(pools(with_pins=True), st.randoms(use_true_random=False))
def test_the_same_input_in_any_order_gives_the_same_result(pool, rng):
    for mode in ("optimal", "stable"):
        first = pool.run(mode)
        assert pool.run(mode) == first
        mentees, mentors = list(pool.mentees), list(pool.mentors)
        rng.shuffle(mentees)
        rng.shuffle(mentors)
        assert pool.run(mode, mentees, mentors) == first


@settings(max_examples=100, deadline=None)
@given(pools())
def test_scores_and_reasons_follow_the_stated_rules(pool):
    matrix = score_matrix(pool.mentees, pool.mentors)
    plain = score_matrix(pool.mentees, pool.mentors, identity=False)
    eligible = eligible_matrix(pool.mentees, pool.mentors, pool.forbidden)
    for i, a in enumerate(pool.mentees):
        for j, b in enumerate(pool.mentors):
            # The matrix, one pair in plain Python and the rules agree.
            assert matrix[i, j] == pool.score[a.id, b.id]
            assert plain[i, j] == pool.plain[a.id, b.id]
            points = {f: points_of(a, b, f) for f in FACTORS}
            bonus = PREFERRED_BONUS if b.id in a.preferred else 0.0
            assert abs(matrix[i, j] - (sum(points.values()) + bonus)) <= 0.00005 + 1e-9
            others = sum(v for f, v in points.items() if f != "identity")
            assert abs(plain[i, j] - (others + bonus)) <= 0.00005 + 1e-9
            assert eligible[i, j] == allowed(a, b, pool.forbidden)
            assert (broken_constraint(a, b, pool.forbidden) is None) == eligible[i, j]
            # Reasons: at most three, only factors that scored, strongest first, ties in
            # FACTORS order, and no factor left out that scored more than one named; identity
            # only where it cannot tell an answer (both have two aspects in play or more).
            if not identity_may_be_told(a, b):
                points["identity"] = 0.0
            reasons = explain(a, b)
            assert len(reasons) <= 3
            named = [r.factor for r in reasons]
            for r in reasons:
                assert points[r.factor] > 0
                assert abs(r.points - points[r.factor]) <= 0.00005 + 1e-9
            ranks = [(-r.points, FACTORS.index(r.factor)) for r in reasons]
            assert ranks == sorted(ranks)
            rest = [f for f in FACTORS if f not in named and round(points[f], 4) > 0]
            if len(reasons) < 3:
                assert rest == []
            for f in rest:
                assert (-round(points[f], 4), FACTORS.index(f)) > ranks[-1]
    result = pool.run("optimal")
    for m in result.matches:
        by_id = {a.id: a for a in pool.mentees}, {b.id: b for b in pool.mentors}
        assert m.reasons == explain(by_id[0][m.mentee_id], by_id[1][m.mentor_id])


ASPECTS = st.frozensets(st.sampled_from(VOCAB["identity"]))


def consented(mentee, mentor):
    return mentee.wants_shared_identity and len(mentee.identity) > 0 and len(mentor.identity) > 0


@settings(max_examples=100, deadline=None)
@given(pools(), st.lists(ASPECTS, min_size=10, max_size=10))
def test_identity_moves_no_score_without_the_request_and_both_consents(pool, flips):
    # Every person's identity aspects are replaced by new ones (perhaps none, perhaps the same).
    flipped_mentees = [
        Mentee(**{**vars(a), "identity": flips[k]}) for k, a in enumerate(pool.mentees)
    ]
    flipped_mentors = [
        Mentor(**{**vars(b), "identity": flips[-1 - k]}) for k, b in enumerate(pool.mentors)
    ]
    before = score_matrix(pool.mentees, pool.mentors)
    after = score_matrix(flipped_mentees, flipped_mentors)
    for i, j in itertools.product(range(len(pool.mentees)), range(len(pool.mentors))):
        if consented(pool.mentees[i], pool.mentors[j]) or consented(
            flipped_mentees[i], flipped_mentors[j]
        ):
            continue
        assert before[i, j] == after[i, j]
    # A mentee who did not ask: no identity value anywhere changes their row.
    for i, a in enumerate(pool.mentees):
        if not a.wants_shared_identity:
            assert (before[i] == after[i]).all()


@settings(max_examples=100, deadline=None)
@given(pools(with_pins=True), st.lists(ASPECTS, min_size=10, max_size=10))
def test_what_others_see_of_a_pair_never_depends_on_identity(pool, flips):
    """Anyone's aspects flipped, consented or not: the plain scores, the plain reasons and which
    pairs are acceptable (min_score) stay the same; only the assignment may move."""
    flipped = Pool(
        [Mentee(**{**vars(a), "identity": flips[k]}) for k, a in enumerate(pool.mentees)],
        [Mentor(**{**vars(b), "identity": flips[-1 - k]}) for k, b in enumerate(pool.mentors)],
        pool.forbidden,
        pool.min_score,
        pool.pinned,
    )
    plain = score_matrix(pool.mentees, pool.mentors, identity=False)
    assert (plain == score_matrix(flipped.mentees, flipped.mentors, identity=False)).all()
    assert flipped.ok == pool.ok
    for a, fa in zip(pool.mentees, flipped.mentees, strict=True):
        for b, fb in zip(pool.mentors, flipped.mentors, strict=True):
            assert explain(a, b, identity=False) == explain(fa, fb, identity=False)
    for mode in ("optimal", "stable"):
        before, after = pool.run(mode), flipped.run(mode)
        check_constraints(flipped, after)
        # Who has no acceptable mentor at all is the same either way.
        gone = {NO_ELIGIBLE_MENTOR, BELOW_MIN_SCORE}
        assert {u.mentee_id: u.why for u in before.unmatched if u.why in gone} == {
            u.mentee_id: u.why for u in after.unmatched if u.why in gone
        }


@settings(max_examples=40, deadline=None)
@given(pools(max_mentees=5, max_mentors=4))
def test_a_consented_shared_aspect_adds_its_weight(pool):
    # The positive control of the consent test: with the request and both aspects given,
    # sharing one adds exactly the identity weight.
    for a in pool.mentees:
        asking = Mentee(
            **{**vars(a), "wants_shared_identity": True, "identity": frozenset({"aspect_a"})}
        )
        for b in pool.mentors:
            base = Mentor(**{**vars(b), "identity": frozenset({"aspect_b"})})
            sharing = Mentor(**{**vars(b), "identity": frozenset({"aspect_a"})})
            gained = pair_score(asking, sharing) - pair_score(asking, base)
            assert abs(gained - a.weights["identity"]) <= 0.0001 + 1e-9


def test_a_larger_random_pool_keeps_every_constraint():
    rng = random.Random(3)
    mentees = [
        Mentee(
            id=i,
            seniority=rng.randint(1, 6),
            program=rng.choice(["a", "b", "c", ""]),
            dei_interests=frozenset(rng.sample(VOCAB["dei_interests"], rng.randint(0, 3))),
            excluded=frozenset({rng.randint(100, 160)}),
        )
        for i in range(1, 121)
    ]
    mentors = [
        Mentor(
            id=j,
            seniority=rng.randint(3, 12),
            program=rng.choice(["a", "b", "c"]),
            dei_interests=frozenset(rng.sample(VOCAB["dei_interests"], rng.randint(0, 3))),
            capacity=rng.randint(0, 3),
            excluded=frozenset({rng.randint(1, 120)}),
        )
        for j in range(100, 161)
    ]
    forbidden = frozenset((rng.randint(1, 120), rng.randint(100, 160)) for _ in range(30))
    pool = Pool(mentees, mentors, forbidden, 1.0)
    optimal, stable = pool.run("optimal"), pool.run("stable")
    check_constraints(pool, optimal)
    check_constraints(pool, stable)
    assert blocking_pairs(pool, stable) == []
    assert units(optimal.total_score) >= units(stable.total_score)
    assert units(optimal.total_score) >= sum(units(pool.score[p]) for p in greedy(pool))
    assert matching.MODES == ("optimal", "stable")
