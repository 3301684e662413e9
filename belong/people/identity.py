"""Self-identification: the questions, the shape of the answers, and what a use may read.

Every question is optional. An answer is one of
  - nothing (the question is left out of the document: not answered),
  - {"prefer_not": true}: "prefer not to say",
  - {"values": [keys...], "self_description": "..."}: the keys chosen (sorted) and, if given, the
    person's own words (a self-description is never matched on nor counted by category).
Answers are stored sealed (belong.people.sealed), padded to one size whatever they say, and
shown to their owner only; the uses the person consented to read them through
belong.people.privacy. Answers that would not fit the sealed size are refused here, naming
"answers" (`largest_answers` is the largest document these rules accept, and it fits).
"""

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from belong.lib import storable
from belong.lib.languages import SPOKEN_LANGUAGES
from belong.people import sealed

MAX_SELF_DESCRIPTION = 200
# The character that takes the most room in a sealed document: JSON escapes a control character
# as six bytes (\u0001); any other character is at most four bytes of UTF-8 there. A test checks
# this against every character.
COSTLIEST_CHARACTER = "\x01"


class Dimension(NamedTuple):
    key: str
    label: str
    choices: list
    multiple: bool
    help: str = ""


# The race and ethnicity categories, each with the Minnesota 2020 Census category it is counted
# in (../shared/data/minnesota-2020-census-race.csv; Hispanic or Latino origin is counted apart
# from race there, as here). The 2020 Census counted Middle Eastern and North African people as
# White, so that category maps onto "white" for the benchmark while it is its own answer here.
RACE_ETHNICITY = [
    ("american_indian_alaska_native", _("American Indian or Alaska Native")),
    ("asian", _("Asian")),
    ("black_african_american", _("Black or African American")),
    ("hispanic_latino", _("Hispanic or Latino/a/e")),
    ("middle_eastern_north_african", _("Middle Eastern or North African")),
    ("native_hawaiian_pacific_islander", _("Native Hawaiian or Pacific Islander")),
    ("white", _("White")),
    ("another", _("Another race or ethnicity")),
]
CENSUS_CATEGORY = {
    "american_indian_alaska_native": "american_indian_or_alaska_native",
    "asian": "asian",
    "black_african_american": "black_or_african_american",
    "hispanic_latino": "hispanic_or_latino_any_race",
    "middle_eastern_north_african": "white",
    "native_hawaiian_pacific_islander": "native_hawaiian_or_pacific_islander",
    "white": "white",
    "another": "some_other_race",
}

GENDER_IDENTITY = [
    ("woman", _("Woman")),
    ("man", _("Man")),
    ("non_binary", _("Non-binary")),
    ("transgender", _("Transgender")),
    ("two_spirit", _("Two-Spirit")),
]

SEXUAL_ORIENTATION = [
    ("asexual", _("Asexual")),
    ("bisexual", _("Bisexual")),
    ("gay", _("Gay")),
    ("lesbian", _("Lesbian")),
    ("pansexual", _("Pansexual")),
    ("queer", _("Queer")),
    ("straight", _("Straight or heterosexual")),
]

DISABILITY = [
    ("yes", _("I have a disability or a chronic condition")),
    ("no", _("I do not have a disability")),
]

FIRST_GENERATION = [
    ("college", _("The first in my family to go to college")),
    ("medicine", _("The first in my family in medicine or the health professions")),
    ("neither", _("Neither")),
]

DIMENSIONS = [
    Dimension(
        "race_ethnicity",
        _("Race and ethnicity"),
        RACE_ETHNICITY,
        True,
        _("Choose every one that describes you."),
    ),
    Dimension(
        "gender_identity",
        _("Gender identity"),
        GENDER_IDENTITY,
        True,
        _("Choose every one that describes you."),
    ),
    Dimension(
        "sexual_orientation",
        _("Sexual orientation"),
        SEXUAL_ORIENTATION,
        True,
        _("Choose every one that describes you."),
    ),
    Dimension("disability", _("Disability"), DISABILITY, False),
    Dimension("first_generation", _("First generation"), FIRST_GENERATION, True),
    Dimension(
        "languages",
        _("Languages of your family or community"),
        SPOKEN_LANGUAGES,
        True,
        _("The languages you grew up with or that your community speaks."),
    ),
]
BY_KEY = {dimension.key: dimension for dimension in DIMENSIONS}

# Answers that say a person does not have an aspect: two people giving them share nothing.
NOT_AN_ASPECT = frozenset({("disability", "no"), ("first_generation", "neither")})


class Invalid(ValueError):
    """An answer that does not fit its question; `field` is the question's key."""

    def __init__(self, message, *, field):
        super().__init__(message)
        self.message = str(message)
        self.field = field


def clean_answers(raw) -> dict:
    """The answers checked and put in their stored shape; raises Invalid naming the question."""
    if not isinstance(raw, dict):
        raise Invalid(_("Answers are an object with one entry per question."), field="answers")
    cleaned = {}
    for key, answer in raw.items():
        dimension = BY_KEY.get(key)
        if dimension is None:
            raise Invalid(
                _("There is no question %(key)s; the questions are: %(keys)s.")
                % {"key": key, "keys": ", ".join(BY_KEY)},
                field="answers",
            )
        answer = _clean_answer(dimension, answer)
        if answer:
            cleaned[key] = answer
    size = len(sealed.encode(cleaned))
    if size > sealed.SEALED_SIZE:
        raise Invalid(
            _(
                "These answers take %(size)s bytes, more than the %(most)s that are stored for "
                "anyone: shorten a self-description."
            )
            % {"size": size, "most": sealed.SEALED_SIZE},
            field="answers",
        )
    return cleaned


def largest_answers() -> dict:
    """The valid answers that take the most room once sealed: every question answered with
    every choice it allows (the longest one where only one is allowed) and a self-description of
    MAX_SELF_DESCRIPTION costliest characters. SEALED_SIZE must hold them."""
    answers = {}
    for dimension in DIMENSIONS:
        keys = [key for key, _label in dimension.choices]
        answers[dimension.key] = {
            "values": sorted(keys) if dimension.multiple else [max(keys, key=len)],
            "self_description": COSTLIEST_CHARACTER * MAX_SELF_DESCRIPTION,
        }
    return answers


def _clean_answer(dimension, answer) -> dict:
    if answer is None:
        return {}
    if not isinstance(answer, dict):
        raise Invalid(
            _("Give this answer as values, a self-description, or prefer not to say."),
            field=dimension.key,
        )
    prefer_not = answer.get("prefer_not") is True
    values = answer.get("values") or []
    description = answer.get("self_description") or ""
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise Invalid(_("The values are a list of answers."), field=dimension.key)
    if not isinstance(description, str):
        raise Invalid(_("The self-description is text."), field=dimension.key)
    unstorable = storable.problem(description)
    if unstorable is not None:
        raise Invalid(unstorable, field=dimension.key)
    description = " ".join(description.split())
    if prefer_not:
        if values or description:
            raise Invalid(
                _("Either choose answers or prefer not to say, not both."), field=dimension.key
            )
        return {"prefer_not": True}
    known = {key for key, _label in dimension.choices}
    unknown = sorted(set(values) - known)
    if unknown:
        raise Invalid(
            _("%(values)s is not an answer to this question; the answers are: %(known)s.")
            % {
                "values": ", ".join(unknown),
                "known": ", ".join(key for key, _l in dimension.choices),
            },
            field=dimension.key,
        )
    values = sorted(set(values))
    if not dimension.multiple and len(values) > 1:
        raise Invalid(_("Choose one answer to this question."), field=dimension.key)
    if len(description) > MAX_SELF_DESCRIPTION:
        raise Invalid(
            _("A self-description has at most %(most)s characters.")
            % {"most": MAX_SELF_DESCRIPTION},
            field=dimension.key,
        )
    answer = {}
    if values:
        answer["values"] = values
    if description:
        answer["self_description"] = description
    return answer


def matching_aspects(answers: dict, dimensions) -> frozenset[str]:
    """The aspects of identity that matching may compare: "dimension:value" for each chosen
    value of `dimensions` (never a self-description, never an answer saying a person does not
    have an aspect)."""
    aspects = set()
    for key in dimensions:
        for value in (answers or {}).get(key, {}).get("values", ()):
            if (key, value) not in NOT_AN_ASPECT:
                aspects.add(f"{key}:{value}")
    return frozenset(aspects)


def labelled(answers: dict) -> list[dict]:
    """The answers in words, question by question, for their owner's eyes (and download)."""
    rows = []
    for dimension in DIMENSIONS:
        answer = (answers or {}).get(dimension.key)
        if not answer:
            continue
        names = dict(dimension.choices)
        rows.append(
            {
                "key": dimension.key,
                "question": str(dimension.label),
                "prefer_not": bool(answer.get("prefer_not")),
                "values": [str(names[v]) for v in answer.get("values", ()) if v in names],
                "self_description": answer.get("self_description", ""),
            }
        )
    return rows
