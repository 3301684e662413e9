"""The vocabularies of the enrolment questionnaire. Answers are stored as these keys (never as
the translated labels), so that the matching engine compares keys and a label can change without
touching anybody's answers."""

from django.utils.translation import gettext_lazy as _

from belong.lib.languages import SPOKEN_LANGUAGES

# Training levels, with their seniority rank: a mentor must rank strictly above the mentee.
TRAINING_LEVELS = [
    ("pgy1", _("PGY-1 (intern)"), 1),
    ("pgy2", _("PGY-2"), 2),
    ("pgy3", _("PGY-3"), 3),
    ("pgy4", _("PGY-4"), 4),
    ("pgy5", _("PGY-5"), 5),
    ("pgy6", _("PGY-6"), 6),
    ("pgy7", _("PGY-7 or later"), 7),
    ("instructor", _("Faculty: instructor"), 10),
    ("assistant", _("Faculty: assistant professor"), 11),
    ("associate", _("Faculty: associate professor"), 12),
    ("professor", _("Faculty: professor"), 13),
]
TRAINING_LEVEL_CHOICES = [(key, label) for key, label, _rank in TRAINING_LEVELS]
SENIORITY = {key: rank for key, _label, rank in TRAINING_LEVELS}
# Who may take which role: mentees are residents and fellows; mentors are faculty and senior
# fellows (PGY-4 and later), who mentor only people junior to them.
MENTEE_LEVELS = {key for key, _label, rank in TRAINING_LEVELS if rank < 10}
MENTOR_LEVELS = {key for key, _label, rank in TRAINING_LEVELS if rank >= 4}

CAREER_INTERESTS = [
    ("clinical", _("Clinical practice")),
    ("academic", _("Academic medicine")),
    ("research", _("Research")),
    ("education", _("Medical education")),
    ("leadership", _("Leadership and administration")),
    ("advocacy", _("Advocacy and health policy")),
    ("global", _("Global health")),
    ("community_practice", _("Community and rural practice")),
]

DEI_INTERESTS = [
    ("anti_racism", _("Anti-racism work")),
    ("sdoh", _("Social determinants of health")),
    ("community", _("Community engagement")),
    ("recruitment", _("Recruitment and retention for diversity")),
    ("research", _("Health equity research")),
    ("lgbtq_health", _("LGBTQ+ health")),
    ("disability", _("Disability and accessibility")),
    ("language_access", _("Language access and interpreting")),
]

LANGUAGES = SPOKEN_LANGUAGES  # one list with self-identification

MEETING = [
    ("virtual", _("Virtual")),
    ("in_person", _("In person")),
]

AVAILABILITY = [
    ("weekday_morning", _("Weekday mornings")),
    ("weekday_midday", _("Weekday lunchtime")),
    ("weekday_evening", _("Weekday evenings")),
    ("weekend", _("Weekends")),
]

# The factors a mentee weighs (0: does not matter, 3: matters a lot). The identity factor is
# asked apart, with its own consent.
WEIGHTED_FACTORS = [
    ("program", _("Same program or specialty")),
    ("department", _("Same department")),
    ("career", _("Shared career interests")),
    ("dei", _("Shared DEI interests")),
    ("languages", _("A shared language")),
    ("meeting", _("The same way of meeting")),
    ("campus", _("The same campus")),
    ("availability", _("Overlapping availability")),
]
WEIGHT_CHOICES = [
    (0, _("Does not matter")),
    (1, _("Matters a little")),
    (2, _("Matters")),
    (3, _("Matters a lot")),
]
DEFAULT_WEIGHT = 1

MAX_MENTOR_CAPACITY = 5

# The vocabulary of each set-valued factor (and of the coordinator's tables), by factor name.
VOCABULARIES = {
    "career": CAREER_INTERESTS,
    "dei": DEI_INTERESTS,
    "languages": LANGUAGES,
    "meeting": MEETING,
    "availability": AVAILABILITY,
}


def labels(choices, keys):
    """The labels of `keys` in `choices`' order (unknown keys are left out)."""
    wanted = set(keys or ())
    return [label for key, label in choices if key in wanted]
