"""The mentorship matching engine: who mentors whom in a cycle, and why.

Plain data in, plain data out; no Django imports. The mentorship app builds `Mentee` and
`Mentor` records from enrolments (passing identity aspects only with both people's consent for
matching), calls `match`, and stores the `Result`. Property-tested in
tests/mentorship/test_matching.py and benchmarked in bench/bench_matching.py.

Scoring
=======

The score of a (mentee, mentor) pair is, in the factor order of `FACTORS`,

    score = sum over factors f of  weight[f] * similarity[f]   (+ PREFERRED_BONUS)

where `weight` is the mentee's own 0..3 weight for the factor (default 1, identity 0) and every
similarity is in [0, 1]:

- program, department, campus: 1 when both answers are the same non-empty string, else 0;
- career, dei, languages, availability: the share of the mentee's answers that the mentor
  shares, |mentee & mentor| / |mentee| (0 when the mentee gave none). It reads "the mentor
  shares 2 of your 3 DEI interests"; a mentor is not marked down for having more interests;
- meeting: 1 when the two share at least one way of meeting (virtual, in person), else 0;
- identity: 1 only when the mentee asked for a mentor who shares an aspect of identity
  (`wants_shared_identity`) and the two identity sets intersect, else 0. The mentorship app
  passes a person's identity aspects only with that person's consent to use them for matching,
  so without both consents (an empty set on one side) or without the mentee's request the
  factor is absent: no identity value can change the score of such a pair.

A mentor the mentee named in `preferred` adds PREFERRED_BONUS points. Scores are rounded to
SCORE_DECIMALS decimals (0.0001 points), which makes the solver below exact.

Hard constraints
================

A pair is *eligible* when the mentor is strictly more senior (`mentor.seniority >
mentee.seniority`), neither excluded the other, they are not the same person (same id: someone
may enrol as a mentee in one role and a mentor in another), and the coordinator did not forbid
the pair. It is *acceptable* when it is eligible and its plain score (below) is at least
`min_score`. Only
acceptable pairs are ever matched, each mentee gets at most one mentor, and no mentor gets more
mentees than their capacity. The coordinator's `pinned` pairs are placed first (they must be
eligible and fit the capacities; `min_score` does not apply to them); the engine then matches
the other mentees to the remaining places.

Modes
=====

*optimal*: the assignment with the largest total score; among assignments with that total, one
that matches the most mentees. Exact, with scipy's `linear_sum_assignment` (a shortest augmenting
path method) over mentor places: each mentor is a column repeated once per free place. Every
acceptable pair gets the integer weight `q * K + 1`, where q is its score in units of 0.0001
points and K is one more than the number of mentees solved for; every other pair gets weight 0.
For any set of acceptable pairs M, the weight is K * (score of M in units) + |M|, and |M| < K,
so a larger weight means a larger total score, or the same total with more mentees matched.
The solver returns a complete assignment of the smaller side; pairs of weight 0 in it are
dropped, which changes no total, and any matching that leaves people unmatched extends to a
complete one by such pairs, so the result is a maximum over matchings that may leave people
unmatched (no dummy columns, no large negative weights that could force the solver into an
unwanted pair). Weights stay below 2**53, so the float64 arithmetic is exact.

*stable*: mentee-proposing deferred acceptance with capacities (the hospitals/residents
algorithm). Each mentee ranks their acceptable mentors by pair score, ties by the lower mentor
id; each mentor ranks acceptable mentees by the same pair score, ties by the lower mentee id.
Mentees propose in turn; a mentor holds the best proposals up to their capacity. The result has
no blocking pair: no acceptable mentee and mentor who both prefer each other to what they have
(a mentee prefers any acceptable mentor to none; a mentor with a free place prefers any
acceptable mentee to the free place). Pinned pairs are outside this: pinned mentees do not take
part, and their mentors' capacities are reduced by the pins. Because both sides rank by the same
pair score, this stable matching is the one found by repeatedly taking the best remaining pair
(by score, then mentee id, then mentor id), and it is unique.

Determinism
===========

Mentees and mentors are sorted by id before anything else, vocabularies are sorted, every tie
is broken by ids or by the canonical order, and nothing iterates a set or dict unordered: the
same input (in any list order) gives the same result.

Reasons
=======

`explain(mentee, mentor)` gives the (at most) three factors with the largest positive points,
strongest first, ties in `FACTORS` order, each with the values the two share. For the identity
factor the shared values are never given (shared is empty): identity aspects are shared for
matching, not to be shown to the other person. `describe` renders reasons in plain English; the
mentorship app translates them by factor.

Even without its values, "a shared aspect of identity" tells each reader that the other has one
of the reader's own aspects: for someone with a single aspect in play, it is the other's answer.
So the identity reason is given only when both sides have at least `MIN_ASPECTS_EXPLAINED` (2)
aspects in play (`identity_explained`): the mentee among the aspects they asked about, the mentor
among theirs on the same questions (an aspect is "question:value"; the question is what comes
before the first colon). Otherwise the reasons are the strongest factors other than identity,
chosen without it, so that neither their words nor how many there are depend on whether the two
share an aspect.

What others may see
===================

Those are the mentee's reasons. Anyone else (the coordinator reviewing a run, the mentor) must
not learn anyone's answers from what they see of a pair, and a score with identity points in it
tells, by subtraction, that the two share an aspect. So each match also carries its *plain*
score (`plain_score`: the same sum without the identity factor) and *plain* reasons
(`explain(..., identity=False)`), the result a `plain_total`, and `min_score` is compared with
the plain score, so that which pairs are acceptable never depends on identity. Only the choice
among acceptable pairs uses the identity points: that is what the mentee asked for, and what it
may tell is discussed in docs/matching.md.
"""

import heapq
import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from scipy.optimize import linear_sum_assignment

FACTORS = (
    "program",
    "department",
    "career",
    "dei",
    "languages",
    "meeting",
    "campus",
    "availability",
    "identity",
)
# Where each factor's answers live on a profile.
FIELD_OF = MappingProxyType(
    {
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
)
STRING_FACTORS = frozenset({"program", "department", "campus"})  # equal non-empty strings
SHARE_FACTORS = frozenset({"career", "dei", "languages", "availability"})  # |A & B| / |A|
ANY_FACTORS = frozenset({"meeting", "identity"})  # 1 when the sets intersect

MAX_WEIGHT = 3.0
DEFAULT_WEIGHTS = MappingProxyType({f: 0.0 if f == "identity" else 1.0 for f in FACTORS})
# The identity reason is given only when both sides have at least this many aspects in play.
MIN_ASPECTS_EXPLAINED = 2
PREFERRED_BONUS = 1.0  # as much as one factor that matches fully at the default weight
SCORE_DECIMALS = 4
MODES = ("optimal", "stable")

# Why a mentee is left unmatched.
NO_ELIGIBLE_MENTOR = "no_eligible_mentor"  # no mentor passes the hard constraints
BELOW_MIN_SCORE = "below_min_score"  # eligible mentors, but every pair scores under min_score
NO_CAPACITY = "no_capacity"  # acceptable mentors, but their places went to others

_SET_FIELDS = (
    "career_interests",
    "dei_interests",
    "languages",
    "meeting",
    "availability",
    "identity",
)
_STRING_FIELDS = ("program", "department", "campus")


_SCALE = 10.0**SCORE_DECIMALS


def _round(value: float) -> float:
    """Scores and points at SCORE_DECIMALS, rounded as numpy.round rounds a matrix (multiply,
    round half to even, divide), so that one pair and its matrix cell agree to the last bit."""
    return round(value * _SCALE) / _SCALE


def _check_int(owner: str, name: str, value) -> None:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{owner}: {name} must be an integer, not {value!r}")


def _as_frozenset(owner: str, name: str, value, kind: type) -> frozenset:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValueError(f"{owner}: {name} must be a set of {kind.__name__}, not {value!r}")
    out = frozenset(value)
    for item in out:
        if kind is int:
            _check_int(owner, f"an id in {name}", item)
        elif not isinstance(item, str):
            raise ValueError(f"{owner}: {name} must hold strings, not {item!r}")
    return out


@dataclass(frozen=True)
class Profile:
    """What mentees and mentors both answer. Sets are normalised to frozensets."""

    id: int
    seniority: int  # training level rank: PGY-1 = 1, ...; faculty rank higher
    program: str = ""  # GME program or specialty ("" = unknown)
    department: str = ""
    career_interests: frozenset[str] = frozenset()
    dei_interests: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    meeting: frozenset[str] = frozenset()  # "virtual", "in_person"
    campus: str = ""
    availability: frozenset[str] = frozenset()
    identity: frozenset[str] = frozenset()  # only with this person's consent for matching

    def _label(self) -> str:
        return f"{type(self).__name__.lower()} {self.id!r}"

    def __post_init__(self):
        _check_int(type(self).__name__.lower(), "id", self.id)
        owner = self._label()
        _check_int(owner, "seniority", self.seniority)
        for name in _STRING_FIELDS:
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{owner}: {name} must be a string")
        for name in _SET_FIELDS:
            object.__setattr__(self, name, _as_frozenset(owner, name, getattr(self, name), str))


@dataclass(frozen=True)
class Mentee(Profile):
    # How much each factor matters to the mentee, 0..3. Factors left out take DEFAULT_WEIGHTS
    # (1, identity 0); stored complete and read-only.
    weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_WEIGHTS, hash=False)
    wants_shared_identity: bool = False  # asked for a mentor sharing an aspect of identity
    preferred: frozenset[int] = frozenset()  # mentor ids the mentee would like (a bonus)
    excluded: frozenset[int] = frozenset()  # mentor ids never to be matched with

    def __post_init__(self):
        super().__post_init__()
        owner = self._label()
        if not isinstance(self.weights, Mapping):
            raise ValueError(f"{owner}: weights must be a mapping of factor to 0..{MAX_WEIGHT:g}")
        weights = dict(DEFAULT_WEIGHTS)
        for factor, value in self.weights.items():
            if factor not in weights:
                raise ValueError(
                    f"{owner}: unknown factor {factor!r} in weights (factors: {', '.join(FACTORS)})"
                )
            if (
                isinstance(value, bool)
                or not isinstance(value, numbers.Real)
                or not 0 <= value <= MAX_WEIGHT  # also refuses NaN
            ):
                raise ValueError(
                    f"{owner}: the weight of {factor!r} must be from 0 to {MAX_WEIGHT:g}, "
                    f"not {value!r}"
                )
            weights[factor] = float(value)
        object.__setattr__(self, "weights", MappingProxyType(weights))
        object.__setattr__(self, "wants_shared_identity", bool(self.wants_shared_identity))
        for name in ("preferred", "excluded"):
            object.__setattr__(self, name, _as_frozenset(owner, name, getattr(self, name), int))


@dataclass(frozen=True)
class Mentor(Profile):
    capacity: int = 1  # how many mentees (>= 0)
    excluded: frozenset[int] = frozenset()  # mentee ids never to be matched with

    def __post_init__(self):
        super().__post_init__()
        owner = self._label()
        _check_int(owner, "capacity", self.capacity)
        if self.capacity < 0:
            raise ValueError(f"{owner}: capacity must be 0 or more, not {self.capacity}")
        object.__setattr__(self, "excluded", _as_frozenset(owner, "excluded", self.excluded, int))


@dataclass(frozen=True)
class Reason:
    factor: str  # one of FACTORS
    shared: tuple[str, ...]  # the values both gave, sorted (empty for identity)
    points: float  # what the factor added to the score


@dataclass(frozen=True)
class Match:
    mentee_id: int
    mentor_id: int
    score: float  # what the engine optimised, identity points included: for nobody's eyes
    reasons: tuple[Reason, ...]  # the mentee's reasons (`explain`)
    pinned: bool = False
    # What anyone but the mentee may see: the score without the identity factor
    # (`plain_score`) and the strongest other factors (`explain(..., identity=False)`).
    plain_score: float = 0.0
    plain_reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Unmatched:
    mentee_id: int
    why: str  # NO_ELIGIBLE_MENTOR, BELOW_MIN_SCORE or NO_CAPACITY


@dataclass(frozen=True)
class Result:
    matches: tuple[Match, ...]  # sorted by mentee id
    unmatched: tuple[Unmatched, ...]  # sorted by mentee id
    total_score: float  # of `score`, identity points included
    mode: str
    plain_total: float = 0.0  # of `plain_score`: what anyone but a mentee may see


# --- one pair, in plain Python ---------------------------------------------------------------


def similarity(mentee: Mentee, mentor: Mentor, factor: str) -> float:
    """How alike the two are on one factor, from 0 to 1 (see the module docstring)."""
    name = FIELD_OF[factor]
    mine, theirs = getattr(mentee, name), getattr(mentor, name)
    if factor in STRING_FACTORS:
        return 1.0 if mine and mine == theirs else 0.0
    shared = mine & theirs
    if factor == "identity":
        return 1.0 if mentee.wants_shared_identity and shared else 0.0
    if factor in ANY_FACTORS:
        return 1.0 if shared else 0.0
    return len(shared) / len(mine) if mine else 0.0


def contributions(mentee: Mentee, mentor: Mentor) -> dict[str, float]:
    """Each factor's points for the pair (weight times similarity), unrounded, in FACTORS order."""
    return {f: mentee.weights[f] * similarity(mentee, mentor, f) for f in FACTORS}


def pair_score(mentee: Mentee, mentor: Mentor) -> float:
    """The score of one pair; the same number as its cell in `score_matrix`."""
    total = 0.0
    for points in contributions(mentee, mentor).values():
        total += points
    if mentor.id in mentee.preferred:
        total += PREFERRED_BONUS
    return _round(total)


def plain_score(mentee: Mentee, mentor: Mentor) -> float:
    """The score of one pair without the identity factor: what anyone but the mentee may see of
    it, and what `min_score` is compared with (see "What others may see")."""
    total = 0.0
    for factor, points in contributions(mentee, mentor).items():
        if factor != "identity":
            total += points
    if mentor.id in mentee.preferred:
        total += PREFERRED_BONUS
    return _round(total)


def _question(aspect: str) -> str:
    return aspect.split(":", 1)[0]


def identity_explained(mentee: Mentee, mentor: Mentor) -> bool:
    """Whether the pair's reasons may say "a shared aspect of identity": only when the mentee
    has at least MIN_ASPECTS_EXPLAINED aspects in play and the mentor as many on the questions
    the mentee asked about, so that neither learns the other's answer from it (see Reasons)."""
    questions = {_question(aspect) for aspect in mentee.identity}
    theirs = [aspect for aspect in mentor.identity if _question(aspect) in questions]
    return len(mentee.identity) >= MIN_ASPECTS_EXPLAINED and len(theirs) >= MIN_ASPECTS_EXPLAINED


def explain(mentee: Mentee, mentor: Mentor, *, identity: bool = True) -> tuple[Reason, ...]:
    """The three strongest factors that scored, strongest first, ties in FACTORS order; the
    identity factor only when `identity_explained`, else the three strongest of the others.
    With `identity=False` (the reasons anyone but the mentee reads) never the identity factor."""
    scored = []
    identity_shown = identity and identity_explained(mentee, mentor)
    for rank, (factor, raw) in enumerate(contributions(mentee, mentor).items()):
        if factor == "identity" and not identity_shown:
            continue
        points = _round(raw)
        if points > 0:
            scored.append((-points, rank, factor, points))
    scored.sort()
    reasons = []
    for _neg, _rank, factor, points in scored[:3]:
        shared: tuple[str, ...]
        if factor == "identity":
            shared = ()  # never shown: shared for matching, not for the other person to read
        elif factor in STRING_FACTORS:
            shared = (getattr(mentee, factor),)
        else:
            name = FIELD_OF[factor]
            shared = tuple(sorted(getattr(mentee, name) & getattr(mentor, name)))
        reasons.append(Reason(factor, shared, points))
    return tuple(reasons)


_PHRASES = {
    "program": "same program",
    "department": "same department",
    "campus": "same campus",
    "career": "both interested in {}",
    "dei": "both work on {}",
    "languages": "both speak {}",
    "meeting": "both meet {}",
    "availability": "both available {}",
    "identity": "a shared aspect of identity",
}


def _words(values: Sequence[str]) -> str:
    if len(values) <= 1:
        return "".join(values)
    return f"{', '.join(values[:-1])} and {values[-1]}"


def describe(reasons: Iterable[Reason], labels: Mapping[str, str] | None = None) -> str:
    """Reasons in plain English: "both work on recruitment; same department; both speak
    Spanish". `labels` maps answer keys to words ("es" -> "Spanish"); a key without a label is
    shown with its underscores as spaces."""
    labels = labels or {}
    parts = []
    for reason in reasons:
        phrase = _PHRASES[reason.factor]
        if "{}" in phrase:
            words = [labels.get(key, key.replace("_", " ")) for key in reason.shared]
            phrase = phrase.format(_words(words))
        parts.append(phrase)
    return "; ".join(parts)


# --- the whole pool, with numpy ----------------------------------------------------------------


def _codes(values: Sequence[str]) -> tuple[np.ndarray, dict[str, int]]:
    vocabulary = {v: k for k, v in enumerate(sorted({v for v in values if v}))}
    return np.array([vocabulary.get(v, -1) for v in values], dtype=np.int64), vocabulary


def _indicator(sets: Sequence[frozenset], vocabulary: Mapping[str, int]) -> np.ndarray:
    """0/1 matrix: one row per person, one column per known value."""
    out = np.zeros((len(sets), len(vocabulary)), dtype=np.float64)
    get = vocabulary.get
    cols = np.fromiter((get(v, -1) for values in sets for v in values), dtype=np.int64)
    rows = np.repeat(np.arange(len(sets)), [len(values) for values in sets])
    known = cols >= 0
    out[rows[known], cols[known]] = 1.0
    return out


@dataclass(frozen=True)
class _Table:
    """One factor over the whole pool, ready for matrix work: the mentees' weights and answers
    and the mentors' answers, as codes (a string factor) or 0/1 indicator matrices (a set
    factor), with what turns an overlap into a similarity."""

    factor: str
    weight: np.ndarray  # per mentee
    mine: np.ndarray  # codes (n,) or indicators (n, values)
    theirs: np.ndarray  # codes (m,) or indicators (m, values)
    count: np.ndarray | None = None  # SHARE_FACTORS: the mentee's number of values (at least 1)
    wants: np.ndarray | None = None  # identity: the mentees who asked for it


def _tables(mentees: Sequence[Mentee], mentors: Sequence[Mentor]) -> list[_Table]:
    """A table per factor that some mentee weighs (a factor nobody weighs adds exactly 0)."""
    tables = []
    for factor in FACTORS:
        weight = np.array([p.weights[factor] for p in mentees], dtype=np.float64)
        if not weight.any():
            continue
        name = FIELD_OF[factor]
        if factor in STRING_FACTORS:
            codes, vocabulary = _codes([getattr(p, name) for p in mentees])
            theirs = np.array([vocabulary.get(getattr(p, name), -2) for p in mentors])
            tables.append(_Table(factor, weight, codes, theirs))
            continue
        mine = [getattr(p, name) for p in mentees]
        vocabulary = {v: k for k, v in enumerate(sorted(set().union(*mine)))}
        a = _indicator(mine, vocabulary)
        b = _indicator([getattr(p, name) for p in mentors], vocabulary)
        count = np.maximum(a.sum(axis=1), 1.0) if factor in SHARE_FACTORS else None
        wants = None
        if factor == "identity":
            wants = np.array([p.wants_shared_identity for p in mentees], dtype=bool)
        tables.append(_Table(factor, weight, a, b, count, wants))
    return tables


def _fill_similarity(table: _Table, out: np.ndarray) -> None:
    """Every pair's similarity on the table's factor, into `out` (mentees x mentors)."""
    if table.factor in STRING_FACTORS:
        np.equal(table.mine[:, None], table.theirs[None, :], out=out)
        return
    np.matmul(table.mine, table.theirs.T, out=out)  # how many values each pair shares, exactly
    if table.count is not None:
        out /= table.count[:, None]
    else:
        np.greater(out, 0.0, out=out)
        if table.wants is not None:
            out[~table.wants] = 0.0


def _pair_similarity(table: _Table, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """The similarity of the pairs (rows[k], cols[k]) only, as `_fill_similarity` computes it."""
    if table.factor in STRING_FACTORS:
        return (table.mine[rows] == table.theirs[cols]).astype(np.float64)
    overlap = np.einsum("kv,kv->k", table.mine[rows], table.theirs[cols])
    if table.count is not None:
        return overlap / table.count[rows]
    similar = (overlap > 0.0).astype(np.float64)
    if table.wants is not None:
        similar[~table.wants[rows]] = 0.0
    return similar


def _score_matrices(mentees, mentors, tables) -> tuple[np.ndarray, np.ndarray]:
    """(scores, plain scores): every pair's score, and its score without the identity factor
    (the same array when no mentee weighs identity). Identity is the last factor, so the plain
    sum is the full one stopped before it: one pass, as `pair_score` and `plain_score` add."""
    n, m = len(mentees), len(mentors)
    scores = np.zeros((n, m), dtype=np.float64)
    if n == 0 or m == 0:
        return scores, scores
    buffer = np.empty((n, m), dtype=np.float64)
    plain = scores
    for table in tables:
        if table.factor == "identity":  # last in FACTORS, so last here
            plain = scores.copy()
        _fill_similarity(table, buffer)
        buffer *= table.weight[:, None]
        scores += buffer
    del buffer
    column = {mentor.id: j for j, mentor in enumerate(mentors)}
    rows, cols = [], []
    for i, mentee in enumerate(mentees):
        for mentor_id in sorted(mentee.preferred):
            j = column.get(mentor_id)
            if j is not None:
                rows.append(i)
                cols.append(j)
    for out in (scores, plain) if plain is not scores else (scores,):
        if rows:
            out[rows, cols] += PREFERRED_BONUS  # ids are unique: no pair twice
        np.round(out, SCORE_DECIMALS, out=out)
    return scores, plain


def score_matrix(
    mentees: Sequence[Mentee], mentors: Sequence[Mentor], *, identity: bool = True
) -> np.ndarray:
    """Every pair's score, mentees as rows and mentors as columns in the order given (float64,
    rounded like `pair_score`; with `identity=False` like `plain_score`). Hard constraints are
    not applied here (see `eligible_matrix`)."""
    scores, plain = _score_matrices(mentees, mentors, _tables(mentees, mentors))
    return scores if identity else plain


def _explain_pairs(mentees, mentors, tables, pairs) -> list[tuple[Reason, ...]]:
    """`explain` for many pairs at once, from the pool's tables: the same reasons, to the bit
    (each factor's points are weight times similarity, rounded as `_round` rounds)."""
    if not pairs:
        return []
    rows = np.array([i for i, _j in pairs], dtype=np.int64)
    cols = np.array([j for _i, j in pairs], dtype=np.int64)
    points = np.zeros((len(FACTORS), len(pairs)), dtype=np.float64)
    for table in tables:
        raw = table.weight[rows] * _pair_similarity(table, rows, cols)
        points[FACTORS.index(table.factor)] = np.rint(raw * _SCALE) / _SCALE
    # The identity factor is left out of the reasons where `identity_explained` says so, before
    # choosing the strongest (as `explain` does).
    row = FACTORS.index("identity")
    for k in np.flatnonzero(points[row] > 0).tolist():
        if not identity_explained(mentees[pairs[k][0]], mentors[pairs[k][1]]):
            points[row, k] = 0.0
    # Strongest first; a stable sort keeps ties in FACTORS order.
    order = np.argsort(-points, axis=0, kind="stable")[:3].T.tolist()
    values = points.T.tolist()
    explained = []
    for k, (i, j) in enumerate(pairs):
        mentee, mentor = mentees[i], mentors[j]
        reasons = []
        for rank in order[k]:
            if values[k][rank] <= 0:
                break
            factor = FACTORS[rank]
            shared: tuple[str, ...]
            if factor == "identity":
                shared = ()
            elif factor in STRING_FACTORS:
                shared = (getattr(mentee, factor),)
            else:
                name = FIELD_OF[factor]
                shared = tuple(sorted(getattr(mentee, name) & getattr(mentor, name)))
            reasons.append(Reason(factor, shared, values[k][rank]))
        explained.append(tuple(reasons))
    return explained


def eligible_matrix(
    mentees: Sequence[Mentee],
    mentors: Sequence[Mentor],
    forbidden: Iterable[tuple[int, int]] = (),
) -> np.ndarray:
    """Which pairs pass the hard constraints other than capacity and min_score: the mentor more
    senior, no exclusion on either side, not the same person, not forbidden. Rows and columns
    in the order given."""
    row = {mentee.id: i for i, mentee in enumerate(mentees)}
    column = {mentor.id: j for j, mentor in enumerate(mentors)}
    mine = np.array([p.seniority for p in mentees], dtype=np.int64)
    theirs = np.array([p.seniority for p in mentors], dtype=np.int64)
    eligible = theirs[None, :] > mine[:, None]
    mentee_ids = np.array([p.id for p in mentees], dtype=np.int64)
    mentor_ids = np.array([p.id for p in mentors], dtype=np.int64)
    eligible &= mentee_ids[:, None] != mentor_ids[None, :]
    rows, cols = [], []
    for i, mentee in enumerate(mentees):
        for mentor_id in mentee.excluded:
            if mentor_id in column:
                rows.append(i)
                cols.append(column[mentor_id])
    for j, mentor in enumerate(mentors):
        for mentee_id in mentor.excluded:
            if mentee_id in row:
                rows.append(row[mentee_id])
                cols.append(j)
    for mentee_id, mentor_id in forbidden:
        if mentee_id in row and mentor_id in column:
            rows.append(row[mentee_id])
            cols.append(column[mentor_id])
    if rows:
        eligible[rows, cols] = False
    return eligible


def broken_constraint(mentee: Mentee, mentor: Mentor, forbidden=frozenset()) -> str | None:
    """Why a pair is not eligible, in words, or None when it is (one pair, plain Python)."""
    if mentee.id == mentor.id:
        return "a person cannot mentor themselves"
    if mentor.seniority <= mentee.seniority:
        return "the mentor is not more senior than the mentee"
    if mentor.id in mentee.excluded:
        return "the mentee excluded this mentor"
    if mentee.id in mentor.excluded:
        return "the mentor excluded this mentee"
    if (mentee.id, mentor.id) in forbidden:
        return "the coordinator forbade this pair"
    return None


# --- matching ----------------------------------------------------------------------------------


def _pairs(name: str, pairs, mentee_ids: set, mentor_ids: set) -> list[tuple[int, int]]:
    out = []
    for pair in pairs:
        try:
            mentee_id, mentor_id = pair
        except (TypeError, ValueError):
            raise ValueError(f"{name}: {pair!r} is not a (mentee_id, mentor_id) pair") from None
        if mentee_id not in mentee_ids:
            raise ValueError(f"{name} pair {pair!r}: no mentee with id {mentee_id!r}")
        if mentor_id not in mentor_ids:
            raise ValueError(f"{name} pair {pair!r}: no mentor with id {mentor_id!r}")
        out.append((mentee_id, mentor_id))
    return out


def _unique(kind: str, people: Sequence[Profile]) -> None:
    seen = set()
    for person in people:
        if person.id in seen:
            raise ValueError(f"duplicate {kind} id {person.id!r}")
        seen.add(person.id)


def _optimal(scores, acceptable, capacity) -> list[tuple[int, int]]:
    """Maximum total score, then most pairs, over acceptable pairs within `capacity`."""
    rows = np.flatnonzero(acceptable.any(axis=1))
    if rows.size == 0:
        return []
    acceptable = acceptable[rows]
    cols = np.flatnonzero(acceptable.any(axis=0))
    acceptable = acceptable[:, cols]
    # A mentor never needs more places than the mentees who may take them.
    places = np.minimum(capacity[cols], acceptable.sum(axis=0))
    k = rows.size + 1
    weight = np.rint(scores[np.ix_(rows, cols)] * _SCALE)
    weight *= k
    weight += 1.0
    weight[~acceptable] = 0.0
    if float(weight.max()) * min(rows.size, int(places.sum())) >= 2.0**53:
        raise ValueError("too many people to match exactly in one run; split the pool")
    owner = np.repeat(np.arange(cols.size), places)
    if rows.size <= owner.size:  # a row per mentee, a column per place
        cost = np.repeat(weight, places, axis=1)
        del weight
        np.negative(cost, out=cost)
        mentee_at, place_at = linear_sum_assignment(cost)
    else:  # a row per place (the solver wants no more rows than columns)
        cost = np.ascontiguousarray(np.repeat(weight.T, places, axis=0))
        del weight
        np.negative(cost, out=cost)
        place_at, mentee_at = linear_sum_assignment(cost)
    del cost
    mentor_at = owner[place_at]
    keep = acceptable[mentee_at, mentor_at]  # the pairs of weight 0 are dropped
    return list(zip(rows[mentee_at[keep]].tolist(), cols[mentor_at[keep]].tolist(), strict=True))


def _stable(scores, acceptable, capacity) -> list[tuple[int, int]]:
    """Mentee-proposing deferred acceptance with capacities."""
    proposers = np.flatnonzero(acceptable.any(axis=1))
    held: list[list[tuple[float, int]]] = [[] for _ in range(capacity.size)]
    choices: dict[int, tuple[list[int], list[float]]] = {}
    for i in proposers.tolist():
        ok = np.flatnonzero(acceptable[i])  # ascending mentor index = ascending id
        # Best score first; a stable sort keeps ties in ascending mentor id.
        ranked = ok[np.argsort(-scores[i, ok], kind="stable")]
        choices[i] = (ranked.tolist(), scores[i, ranked].tolist())
    following = dict.fromkeys(choices, 0)
    free = sorted(choices, reverse=True)  # the result does not depend on the order; this is fixed
    while free:
        i = free.pop()
        mentors, their_scores = choices[i]
        while following[i] < len(mentors):
            position = following[i]
            following[i] += 1
            j, offer = mentors[position], (their_scores[position], -i)
            places = held[j]
            if len(places) < capacity[j]:
                heapq.heappush(places, offer)  # the least preferred held on top
                break
            if offer > places[0]:  # better score, or the same score and a lower id
                _score, loser = heapq.heapreplace(places, offer)
                free.append(-loser)
                break
    return [(-neg_i, j) for j, places in enumerate(held) for _score, neg_i in places]


def match(
    mentees: Iterable[Mentee],
    mentors: Iterable[Mentor],
    *,
    mode: str = "optimal",
    min_score: float = 0.0,
    pinned: Iterable[tuple[int, int]] = (),
    forbidden: Iterable[tuple[int, int]] = (),
) -> Result:
    """Match mentees to mentors (see the module docstring for the rules and both modes)."""
    mentees = sorted(mentees, key=lambda p: p.id)
    mentors = sorted(mentors, key=lambda p: p.id)
    for kind, people, cls in (("mentee", mentees, Mentee), ("mentor", mentors, Mentor)):
        for person in people:
            if not isinstance(person, cls):
                raise ValueError(f"{kind}s must be {cls.__name__} records, not {person!r}")
        _unique(kind, people)
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if (
        isinstance(min_score, bool)
        or not isinstance(min_score, numbers.Real)
        or not math.isfinite(min_score)
    ):
        raise ValueError(f"min_score must be a finite number, not {min_score!r}")
    mentee_ids = {p.id for p in mentees}
    mentor_ids = {p.id for p in mentors}
    pinned = _pairs("pinned", pinned, mentee_ids, mentor_ids)
    forbidden = frozenset(_pairs("forbidden", forbidden, mentee_ids, mentor_ids))

    row = {p.id: i for i, p in enumerate(mentees)}
    column = {p.id: j for j, p in enumerate(mentors)}
    capacity = np.array([p.capacity for p in mentors], dtype=np.int64)
    free_row = np.ones(len(mentees), dtype=bool)
    fixed = []
    for mentee_id, mentor_id in pinned:
        i, j = row[mentee_id], column[mentor_id]
        pair = f"pinned pair (mentee {mentee_id!r}, mentor {mentor_id!r})"
        if not free_row[i]:
            raise ValueError(f"{pair}: mentee {mentee_id!r} is pinned more than once")
        problem = broken_constraint(mentees[i], mentors[j], forbidden)
        if problem:
            raise ValueError(f"{pair}: {problem}")
        if capacity[j] == 0:
            raise ValueError(
                f"{pair}: mentor {mentor_id!r} has no place left for it "
                f"(capacity {mentors[j].capacity})"
            )
        capacity[j] -= 1
        free_row[i] = False
        fixed.append((i, j))

    tables = _tables(mentees, mentors)
    # Without a mentee who weighs identity the two are the same array.
    scores, plain = _score_matrices(mentees, mentors, tables)
    eligible = eligible_matrix(mentees, mentors, forbidden)
    # Acceptable or not never depends on identity (What others may see).
    acceptable = eligible & (plain >= min_score)
    open_ = acceptable & free_row[:, None] & (capacity > 0)[None, :]
    solve = _optimal if mode == "optimal" else _stable
    found = solve(scores, open_, capacity)

    pairs = [*fixed, *found]
    explained = _explain_pairs(mentees, mentors, tables, pairs)
    # The plain reasons differ only where the mentee's name identity (rare: two aspects or more
    # on each side); elsewhere they are the same three strongest other factors.
    plain_explained = [
        explain(mentees[i], mentors[j], identity=False)
        if any(r.factor == "identity" for r in explained[k])
        else explained[k]
        for k, (i, j) in enumerate(pairs)
    ]
    matches = []
    matched = set()
    for k, (i, j) in enumerate(pairs):
        matched.add(i)
        matches.append(
            Match(
                mentee_id=mentees[i].id,
                mentor_id=mentors[j].id,
                score=float(scores[i, j]),
                reasons=explained[k],
                pinned=k < len(fixed),
                plain_score=float(plain[i, j]),
                plain_reasons=plain_explained[k],
            )
        )
    matches.sort(key=lambda m: m.mentee_id)
    unmatched = []
    for i, mentee in enumerate(mentees):
        if i in matched:
            continue
        if not eligible[i].any():
            why = NO_ELIGIBLE_MENTOR
        elif not acceptable[i].any():
            why = BELOW_MIN_SCORE
        else:
            why = NO_CAPACITY
        unmatched.append(Unmatched(mentee.id, why))
    total = plain_total = 0.0
    for m in matches:
        total += m.score
        plain_total += m.plain_score
    return Result(tuple(matches), tuple(unmatched), _round(total), mode, _round(plain_total))


__all__ = [
    "ANY_FACTORS",
    "BELOW_MIN_SCORE",
    "DEFAULT_WEIGHTS",
    "FACTORS",
    "MAX_WEIGHT",
    "MODES",
    "NO_CAPACITY",
    "NO_ELIGIBLE_MENTOR",
    "PREFERRED_BONUS",
    "SCORE_DECIMALS",
    "SHARE_FACTORS",
    "STRING_FACTORS",
    "Match",
    "Mentee",
    "Mentor",
    "Profile",
    "Reason",
    "Result",
    "Unmatched",
    "broken_constraint",
    "contributions",
    "describe",
    "eligible_matrix",
    "explain",
    "identity_explained",
    "match",
    "pair_score",
    "plain_score",
    "score_matrix",
    "similarity",
]
