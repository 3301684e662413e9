"""manage.py load_content: the seed pages' texts, verbatim, loaded once and then left to editors.

The loaded texts are compared with the raw seed pages themselves, not with ``seed.toml``, so a slip
in the data file shows here. The pages travel with the tests (``tests/home/seed_pages``, byte for
byte the public pages; ``BELONG_SEEDS_DIR`` points elsewhere), so a clone with nothing beside it
runs every comparison; where the shared seed folder sits beside the project (``../shared/seeds``),
a test (marker ``shared``) checks that the copy is still the same as the original.
"""

import datetime
import io
import os
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils.text import slugify

from belong.collectives.models import Collective, CollectivesPage, Commitment, FocusArea
from belong.events.models import Event, Series
from belong.home import seed
from belong.library.models import Policy, PolicyVersion
from belong.mentorship.models import Program, ProgramCommitment
from belong.training.models import Contact, Course, LearningObjective, TrainingPage

COLLECTIVES, MENTORSHIP, TRAINING = "000", "001", "002"
CHICAGO = ZoneInfo("America/Chicago")

MODELS = [
    CollectivesPage,
    FocusArea,
    Collective,
    Collective.focus_areas.through,
    Commitment,
    Program,
    ProgramCommitment,
    Policy,
    PolicyVersion,
    TrainingPage,
    Contact,
    Course,
    LearningObjective,
    Event,
    Series,
]

# Lines of the seed pages that are not content: image captions, headings of sections the site
# lays out itself, and headings that only name something stored in a field of its own.
NOT_CONTENT = {
    COLLECTIVES: {
        "Three providers at Whittier clinic",  # image caption
        "Collectives Areas of Focus",  # section heading
        "The American Indian Collective",  # heading: the collective's name
        "Mission",  # field label
        "Vision",  # field label
        "Muslim Collective Mission Statement",  # heading: the collective's name
        "residents in training with chief on inpatient unit",  # image caption
    },
    MENTORSHIP: {
        "GME DEI ADVISORY GROUP MENTORSHIP PROGRAM",  # the program's name, in capitals
        "welcome",  # section heading
        "mission & commitments",  # section heading
    },
    TRAINING: {
        "Expand all",  # page control
        "Learning Objectives:",  # field label
        "Upcoming Dates:",  # field label; the dates are sessions (test_sessions_...)
        "Matt Amundson, MEd",  # photo caption: the contact's name and credentials
        "Meet the Team",  # section heading
    },
}

NAMED = {"american-indian", "latinx", "muslim"}
UNNAMED = {"asian", "black-african-american", "health-equity", "lgbtq", "bipoc"}


# --- the seed pages ---------------------------------------------------------------------------


SEED_PAGES = Path(__file__).resolve().parent / "seed_pages"
SHARED_SEEDS = settings.BASE_DIR.parent / "shared" / "seeds"


def seeds_dir() -> Path:
    configured = os.environ.get("BELONG_SEEDS_DIR")
    return Path(configured) if configured else SEED_PAGES


def read_page(prefix: str) -> str:
    """The raw text of seed page ``prefix`` (000, 001, 002); fails, never skips, without it."""
    directory = seeds_dir()
    found = sorted(directory.glob(f"{prefix}_*.txt")) if directory.is_dir() else []
    if len(found) != 1:
        pytest.fail(
            f"seed page {prefix}_*.txt: found {len(found)} in {directory} "
            f"({'no such directory' if not directory.is_dir() else 'expected exactly one'}). "
            "The seed pages travel with the tests in tests/home/seed_pages; "
            "BELONG_SEEDS_DIR, when set, must name a directory that holds them.",
            pytrace=False,
        )
    return found[0].read_text(encoding="utf-8")


def norm(text: str) -> str:
    """Whitespace-normalised (str.split also splits on no-break spaces)."""
    return " ".join(text.split())


def page_lines(prefix: str) -> list[str]:
    """The page's non-empty lines, trimmed, without a list bullet or a "Description: " label."""
    lines = []
    for line in read_page(prefix).splitlines():
        line = norm(line).removeprefix("•").strip().removeprefix("Description: ")
        if line:
            lines.append(line)
    return lines


def dump() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


# --- what is loaded, and from which page ------------------------------------------------------


def loaded_texts() -> list[tuple[str, str, str]]:
    """(seed page, what, text) for every text the loader stored that comes from a seed page."""
    texts = []

    def add(prefix, what, text):
        texts.append((prefix, what, text))

    page = CollectivesPage.current()
    add(COLLECTIVES, "collectives page title", page.title)
    add(COLLECTIVES, "collectives page intro", page.intro)
    add(COLLECTIVES, "collectives program name", page.program_name)
    for area in FocusArea.objects.all():
        add(COLLECTIVES, f"area of focus {area.slug}", area.name)
    for collective in Collective.objects.all():
        if not collective.name_to_confirm:
            add(COLLECTIVES, f"{collective.slug} name", collective.name)
        add(COLLECTIVES, f"{collective.slug} summary", collective.summary)
        add(COLLECTIVES, f"{collective.slug} mission", collective.mission)
        if collective.vision:
            add(COLLECTIVES, f"{collective.slug} vision", collective.vision)
        for item in collective.commitments.all():
            add(COLLECTIVES, f"{collective.slug} commitment {item.order}", item.text)

    program = Program.current()
    add(MENTORSHIP, "program name", program.name)
    add(MENTORSHIP, "program welcome", program.welcome)
    add(MENTORSHIP, "program mission intro", program.mission_intro)
    for item in program.commitments.all():
        add(MENTORSHIP, f"program commitment {item.order}", item.text)
    for policy in Policy.objects.all():
        add(MENTORSHIP, f"policy {policy.slug} title", policy.title)
        add(MENTORSHIP, f"policy {policy.slug} owner", policy.owner)
        add(MENTORSHIP, f"policy {policy.slug} review note", policy.review_note)
        for version in policy.versions.all():
            add(MENTORSHIP, f"policy {policy.slug} v{version.number}", version.body)

    training = TrainingPage.current()
    for field in ["title", "purpose", "foundational_heading", "foundational_intro", "request_note"]:
        add(TRAINING, f"training page {field}", getattr(training, field))
    for contact in Contact.objects.all():
        for field in ["name", "credentials", "pronouns", "title", "bio"]:
            add(TRAINING, f"contact {field}", getattr(contact, field))
    for course in Course.objects.all():
        add(TRAINING, f"course {course.slug} title", course.title)
        add(TRAINING, f"course {course.slug} description", course.description)
        for item in course.objectives.all():
            add(TRAINING, f"course {course.slug} objective {item.order}", item.text)
    for series in Series.objects.all():
        add(TRAINING, f"series {series.slug} name", series.name)
        add(TRAINING, f"series {series.slug} description", series.description)
    return texts


def in_order(page: str, texts: list[str]) -> list[str]:
    """The texts that are not found in the page after the previous one (empty: all in order)."""
    haystack, position, missing = norm(page), 0, []
    for text in texts:
        found = haystack.find(norm(text), position)
        if found < 0:
            missing.append(text)
        else:
            position = found + len(norm(text))
    return missing


# --- 1. everything of the seeds, verbatim -----------------------------------------------------


@pytest.mark.django_db
def test_every_loaded_text_is_verbatim_from_its_seed_page(content):
    pages = {prefix: norm(read_page(prefix)) for prefix in NOT_CONTENT}
    problems = []
    for prefix, what, text in loaded_texts():
        if not text or text != text.strip():
            problems.append(f"{what}: empty, or whitespace at an end: {text!r}")
            continue
        paragraphs = text.split("\n\n")
        for paragraph in paragraphs:
            if paragraph != paragraph.strip() or "\n" in paragraph:
                problems.append(f"{what}: paragraphs are not separated by one blank line")
            if norm(paragraph) not in pages[prefix]:
                problems.append(f"{what}: not in seed page {prefix}: {paragraph[:80]!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_every_line_of_the_seed_pages_is_loaded_or_known_not_to_be_content(content):
    stored = {
        norm(paragraph)
        for _, _, text in loaded_texts()
        for paragraph in text.split("\n\n")
        if paragraph
    }
    session_dates = set(implicit_bias_dates())
    unplaced = [
        f"{prefix}: {line!r}"
        for prefix, skip in NOT_CONTENT.items()
        for line in page_lines(prefix)
        if line not in stored and line not in skip and line not in session_dates
    ]
    assert not unplaced, "seed text that was not loaded:\n" + "\n".join(unplaced)


@pytest.mark.django_db
def test_everything_is_in_page_order(content):
    collectives = [CollectivesPage.current().title, CollectivesPage.current().intro]
    collectives += [area.name for area in FocusArea.objects.all()]
    for collective in Collective.objects.all():
        collectives += collective.mission.split("\n\n") + [collective.vision]
        collectives += [item.text for item in collective.commitments.all()]
    program = Program.current()
    mentorship = [program.welcome, program.mission_intro]
    mentorship += [item.text for item in program.commitments.all()]
    mentorship += Policy.objects.get().versions.get().body.split("\n\n")
    mentorship += [Policy.objects.get().review_note]
    training = [TrainingPage.current().purpose, TrainingPage.current().foundational_intro]
    training += [TrainingPage.current().request_note]
    for course in Course.objects.all():
        training += [course.title, course.description]
        training += [item.text for item in course.objectives.all()]
    training += [Contact.objects.get().bio, Series.objects.get().description]

    assert in_order(read_page(COLLECTIVES), [text for text in collectives if text]) == []
    assert in_order(read_page(MENTORSHIP), mentorship) == []
    assert in_order(read_page(TRAINING), training) == []


@pytest.mark.django_db
def test_counts(content):
    assert CollectivesPage.objects.count() == 1
    assert FocusArea.objects.count() == 9
    assert Collective.objects.count() == 8
    assert Commitment.objects.count() == 1 + 3 + 4  # Black and African American, LGBTQ+, Muslim
    assert Program.objects.count() == 1
    assert ProgramCommitment.objects.count() == 6
    assert Policy.objects.count() == 1
    assert PolicyVersion.objects.count() == 1
    assert TrainingPage.objects.count() == 1
    assert Contact.objects.count() == 1
    assert Course.objects.count() == 8
    assert LearningObjective.objects.count() == 25  # 3 each, and 4 for Workplace Wellbeing
    assert Event.objects.count() == 4
    assert Series.objects.count() == 1
    assert Collective.focus_areas.through.objects.count() == 0  # the page does not say


@pytest.mark.django_db
def test_page_order_and_slugs(content):
    assert list(FocusArea.objects.values_list("name", flat=True)) == [
        "Member Enrichment",
        "Professional Development",
        "Cultural Heritage",
        "Equitable Healthcare",
        "Equitable and Inclusive Workspace",
        "Community Partnership",
        "Attract and Recruit Diverse Talent",
        "Local minority owned businesses",
        "Cultural Intelligence Building + DEI Training",
    ]
    assert all(area.slug == slugify(area.name) for area in FocusArea.objects.all())
    assert list(Collective.objects.values_list("slug", "name")) == [
        ("american-indian", "American Indian Collective"),
        ("asian", "Asian Collective"),
        ("black-african-american", "Black and African American Collective"),
        ("latinx", "Latinx Collective"),
        ("health-equity", "Health Equity Collective"),
        ("lgbtq", "LGBTQ+ Collective"),
        ("muslim", "Muslim Collective"),
        ("bipoc", "BIPOC Collective"),
    ]
    assert list(Course.objects.values_list("slug", "title")) == [
        ("implicit-bias", "Implicit Bias"),
        ("bystander-interventions", "Bystander Interventions"),
        ("microaggressions-macroaggressions", "Microaggressions & Macroaggressions"),
        (
            "micro-affirmations-and-allyship",
            "Micro Affirmations and Allyship: Addressing Workplace Toxicity and Power Dynamics",
        ),
        ("cultural-humility", "Cultural Humility"),
        ("psychological-safety", "Psychological Safety"),
        ("workplace-wellbeing", "Workplace Wellbeing"),
        ("dominant-culture", "Dominant Culture"),
    ]


@pytest.mark.django_db
def test_spot_checks_collectives(content):
    page = CollectivesPage.current()
    assert page.title == "Hennepin Healthcare Collectives"
    assert page.intro.startswith("The Collectives are employee affinity groups where Hennepin")
    assert page.program_name == "Diversity Equity & Inclusion Collectives Program"

    latinx = Collective.objects.get(slug="latinx")
    assert latinx.summary == (
        "The Latinx Collective seeks to promote equity and create a sense of belonging, dignity "
        "and respect for our Latinx team members."
    )
    assert "to becomes a highly regarded employer" in latinx.mission  # the page's own wording
    assert "communities’ and patients’ needs." in latinx.mission  # curly apostrophes

    black = Collective.objects.get(slug="black-african-american")
    assert norm(black.mission) == (
        "To promote a culture where Black and African Americans are treated with equality, "
        "respect and receive the care they deserve."
    )
    assert [norm(item.text) for item in black.commitments.all()] == [
        "Eliminate stereotypes and insults through increased knowledge of the historical pain "
        "and trauma."
    ]

    health = Collective.objects.get(slug="health-equity")
    assert health.mission.startswith("We exist for our employees and community")
    assert health.vision.startswith("Integrate the lived experiences")
    assert health.vision.endswith("wealth and education.")

    muslim = Collective.objects.get(slug="muslim")
    first, second = muslim.mission.split("\n\n")
    assert first.startswith("The Muslim collective is dedicated")
    assert first.endswith("accepted within the organization.")
    assert second == (
        "Our collective seeks to uplift and support the diverse voices and needs of the Muslim "
        "community that are inclusive of our team members, patients, and the greater community."
    )
    assert muslim.commitments.count() == 4
    assert muslim.commitments.last().text.endswith("justice-driven and healthier world.")
    assert (
        Collective.objects.get(slug="lgbtq")
        .commitments.first()
        .text.startswith("We will take an intersectional approach")
    )

    for collective in Collective.objects.all():
        assert collective.summary == seed.first_sentence(collective.mission)
        assert collective.mission.startswith(collective.summary)
        assert collective.summary.endswith(".")
        assert collective.is_active


@pytest.mark.django_db
def test_spot_checks_training(content):
    training = TrainingPage.current()
    assert training.title == "Education & Training"
    assert training.foundational_heading == "Foundational Trainings"
    intro = training.foundational_intro.split("\n\n")
    assert len(intro) == 4
    assert intro[0].startswith("The purpose of the Office of Diversity, Equity, and Inclusion’s")
    assert intro[-1].endswith("which can be refined and personalized for your group.")
    assert training.request_note == (
        "Interested in this training? We can accommodate requests. Please complete this contact "
        "form. A minimum of 6 registrants is required."
    )

    wellbeing = Course.objects.get(slug="workplace-wellbeing")
    assert [item.text for item in wellbeing.objectives.all()] == [
        "Participants will be able to define psychological safety.",
        "Participants will learn about the five essential elements of the U.S Surgeon General’s "
        "Workplace Wellbeing Framework.",
        "Participants will engage in reflective exercises.",
        "Participants will determine action steps to promote workplace wellbeing for themselves "
        "and others.",
    ]
    micro = Course.objects.get(slug="microaggressions-macroaggressions")
    assert micro.objectives.last().text == (
        "Participants will be able to determine action steps to combat micro and macro "
        "aggressions"  # no final period, as on the page
    )
    repeated = "Participants will be able to engage in reflective practices."
    assert LearningObjective.objects.filter(text=repeated).count() == 7
    assert Course.objects.get(slug="bystander-interventions").description.endswith(
        "the consequences of our actions–or inactions."
    )

    assert Course.objects.get(slug="implicit-bias").duration_minutes == 90
    assert set(Course.objects.exclude(slug="implicit-bias").values_list("duration_minutes")) == {
        (None,)
    }
    assert set(Course.objects.values_list("foundational", "recorded")) == {(True, False)}
    assert set(Course.objects.values_list("formats", "prework")) == {("", "")}

    contact = Contact.objects.get()
    assert (contact.name, contact.credentials, contact.pronouns, contact.email) == (
        "Matt Amundson",
        "MEd",
        "he/him",
        "",
    )
    assert contact.title == "Learning and Development Manager (L&D) for the Medical School’s ODEI"
    assert contact.bio.startswith("Matt Amundson, MEd (he/him) is a Learning and Development")
    assert contact.bio.endswith("training opportunities!")

    series = Series.objects.get()
    assert (series.slug, series.name) == ("deans-lecture-series", "Dean's Lecture Series")
    assert series.description.startswith("The Medical School Dean’s Lecture Series is a series")


@pytest.mark.django_db
def test_spot_checks_mentorship_and_policy(content):
    program = Program.current()
    assert program.name == "GME DEI Advisory Group Mentorship Program"
    assert program.welcome.startswith("The GME DEI Advisory Group Mentorship Program welcomes")
    assert program.mission_intro == (
        "The GME Diversity, Equity and Inclusion Advisory Group is committed to:"
    )
    assert [item.text for item in program.commitments.all()] == [
        "Developing an understanding of the current state of diversity in GME programs",
        "Serving as a clearinghouse for best practices around recruiting for diversity",
        "Serving as a focal point for key diversity initiatives",
        "Connecting applicants to existing members of the Twin Cities community",
        "Developing an understanding of health disparities initiatives and metrics in the "
        "institutions our residents and fellows practice",
        "Aligning with the Medical School diversity statement",
    ]

    policy = Policy.objects.get(slug="medical-school-diversity-statement")
    assert policy.title == "Medical School Diversity Statement"
    assert policy.owner == "University of Minnesota Medical School"
    assert policy.review_interval_months == 6
    assert policy.last_reviewed_on is None
    assert policy.is_public
    assert policy.review_note.startswith("Given the dynamic nature of our community,")
    assert "reviewed bi-annually" in policy.review_note
    version = policy.versions.get()
    assert version.number == 1
    assert version.effective_on is None
    first, second = version.body.split("\n\n")
    assert first.startswith("The University of Minnesota Medical School is committed to")
    assert second.endswith("religious practice, and socioeconomic status.")


# --- the Implicit Bias sessions ---------------------------------------------------------------

DATE = re.compile(
    r"^(?:Monday|Tuesday|Wednesday|Thursday|Friday), (?P<month>[A-Z][a-z]+)\.? (?P<day>\d+), "
    r"(?P<year>\d{4}), from (?P<start>\d+:\d\d)(?: (?P<start_m>AM|PM))?-(?P<end>\d+:\d\d) "
    r"(?P<end_m>AM|PM)$"
)
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def implicit_bias_dates() -> list[str]:
    """The bullets under "Upcoming Dates:" on the training page."""
    lines = page_lines(TRAINING)
    dates = []
    for line in lines[lines.index("Upcoming Dates:") + 1 :]:
        if not DATE.match(line):
            break
        dates.append(line)
    return dates


def page_time(day: datetime.date, clock: str, meridiem: str) -> datetime.datetime:
    hour, minute = map(int, clock.split(":"))
    hour = hour % 12 + (12 if meridiem == "PM" else 0)
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=CHICAGO)


@pytest.mark.django_db
def test_sessions_are_the_dates_on_the_page(content):
    expected = []
    for line in implicit_bias_dates():
        parts = DATE.match(line)
        day = datetime.date(
            int(parts["year"]), MONTHS.index(parts["month"][:3]) + 1, int(parts["day"])
        )
        start = page_time(day, parts["start"], parts["start_m"] or parts["end_m"])
        expected.append((start, page_time(day, parts["end"], parts["end_m"])))
    assert len(expected) == 4

    course = Course.objects.get(slug="implicit-bias")
    sessions = list(course.sessions.order_by("start"))
    assert [(event.start, event.end) for event in sessions] == expected
    assert sessions[0].start == datetime.datetime(2024, 5, 14, 12, 30, tzinfo=CHICAGO)
    assert sessions[1].end == datetime.datetime(2024, 6, 13, 12, 30, tzinfo=CHICAGO)
    for event in sessions:
        assert event.host == course
        assert event.kind == Event.Kind.SESSION
        assert event.title == "Implicit Bias"
        assert event.end - event.start == datetime.timedelta(minutes=course.duration_minutes)
        assert event.minimum == 6
        assert event.capacity is None
        assert event.status == Event.Status.SCHEDULED
        assert event.format == ""  # the page does not say whether they are virtual
        assert event.series is None
    assert set(Event.objects.all()) == set(sessions)


# --- 2-4. idempotent, editors' edits kept, names to confirm ---------------------------------


@pytest.mark.django_db
def test_a_second_run_changes_nothing(content):
    before = dump()
    made = seed.load_content()
    assert made == dict.fromkeys(seed.COUNTS, 0)
    assert dump() == before


@pytest.mark.django_db
def test_edits_made_after_loading_survive_a_second_run(content):
    latinx = Collective.objects.get(slug="latinx")
    latinx.mission = "Edited by an editor."
    latinx.save(update_fields=["mission"])
    Collective.objects.filter(slug="asian").update(name="Asian Pacific Collective")
    Collective.objects.filter(slug="asian").update(name_to_confirm=False)
    Commitment.objects.filter(collective__slug="muslim", order=2).delete()
    FocusArea.objects.filter(slug="cultural-heritage").update(name="Heritage")
    Course.objects.filter(slug="cultural-humility").update(title="Cultural Humility 101")
    LearningObjective.objects.filter(course__slug="dominant-culture").delete()
    Course.objects.get(slug="implicit-bias").sessions.update(status=Event.Status.COMPLETED)
    TrainingPage.objects.update(purpose="A new purpose.", title="Training")
    CollectivesPage.objects.update(title="Our Collectives")
    Program.objects.update(welcome="Welcome!")
    ProgramCommitment.objects.filter(order=6).delete()
    Policy.objects.update(review_interval_months=12, last_reviewed_on=datetime.date(2025, 1, 6))
    PolicyVersion.objects.update(body="Edited statement.")
    Contact.objects.update(email="matt@example.org")
    Series.objects.update(description="")
    edited = dump()

    call_command("load_content", verbosity=0)

    assert dump() == edited
    assert Collective.objects.get(slug="latinx").mission == "Edited by an editor."
    assert Commitment.objects.filter(collective__slug="muslim").count() == 3
    assert not LearningObjective.objects.filter(course__slug="dominant-culture").exists()


@pytest.mark.django_db
def test_what_is_missing_is_created_again_and_nothing_else(content):
    Collective.objects.filter(slug__in=["lgbtq", "bipoc"]).delete()
    Course.objects.get(slug="implicit-bias").sessions.filter(start__month=7).delete()
    before = dump()

    made = seed.load_content()

    assert made["collectives"] == 2
    assert made["collective commitments"] == 3
    assert made["sessions"] == 1
    assert sum(made.values()) == 6
    after = dump()
    for table in ["CollectivesPage", "FocusArea", "Course", "LearningObjective", "Policy"]:
        assert after[table] == before[table]
    lgbtq = Collective.objects.get(slug="lgbtq")
    assert (lgbtq.order, lgbtq.name_to_confirm) == (6, True)
    assert lgbtq.commitments.count() == 3
    assert Event.objects.count() == 4


@pytest.mark.django_db
def test_name_to_confirm_is_set_exactly_for_the_unnamed_collectives(content):
    flagged = set(Collective.objects.filter(name_to_confirm=True).values_list("slug", flat=True))
    assert flagged == UNNAMED
    named = set(Collective.objects.filter(name_to_confirm=False).values_list("slug", flat=True))
    assert named == NAMED
    page = norm(read_page(COLLECTIVES))
    for collective in Collective.objects.all():
        # A name the page does not give is exactly one that must be confirmed.
        assert (collective.name not in page) == collective.name_to_confirm


# --- the command, the transaction, the seed directory ------------------------------------------


@pytest.mark.django_db
def test_the_command_prints_one_line_unless_quiet():
    out = io.StringIO()
    call_command("load_content", stdout=out)
    assert out.getvalue() == (
        "Seed content: created 3 pages, 9 areas of focus, 8 collectives, 8 collective "
        "commitments, 6 program commitments, 1 policy, 1 policy version, 1 contact, 8 courses, "
        "25 learning objectives, 4 sessions, 1 series.\n"
    )
    again = io.StringIO()
    call_command("load_content", stdout=again)
    assert again.getvalue() == "Seed content: created nothing (all of it was already there).\n"
    quiet = io.StringIO()
    call_command("load_content", stdout=quiet, verbosity=0)
    assert quiet.getvalue() == ""


@pytest.mark.django_db
def test_a_failing_load_leaves_nothing_behind(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the series broke")

    monkeypatch.setattr(seed, "_series", broken)
    with pytest.raises(RuntimeError, match="the series broke"):
        seed.load_content()
    assert all(not model.objects.exists() for model in MODELS)


def test_a_missing_seeds_directory_fails_and_says_where_it_looked(monkeypatch, tmp_path):
    monkeypatch.setenv("BELONG_SEEDS_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(pytest.fail.Exception, match=r"nowhere.*no such directory.*BELONG_SEEDS"):
        read_page(COLLECTIVES)


@pytest.mark.shared
def test_the_seed_pages_beside_the_tests_are_the_shared_originals():
    """The copy in tests/home/seed_pages is the public pages byte for byte (where the shared seed
    folder is beside the project; elsewhere the ``shared`` marker skips this with its reason)."""
    originals = {path.name: path.read_bytes() for path in SHARED_SEEDS.glob("*.txt")}
    copies = {path.name: path.read_bytes() for path in SEED_PAGES.glob("*.txt")}
    assert sorted(originals) == sorted(copies)
    assert [name for name in originals if originals[name] != copies[name]] == []


def test_first_sentence():
    assert seed.first_sentence("One. Two.") == "One."
    assert seed.first_sentence("One.\xa0Two.") == "One."
    assert seed.first_sentence("No end") == "No end"
    assert seed.first_sentence("First para\n\nSecond. Third.") == "First para"
    assert seed.first_sentence("Version 1.5 ships. Then") == "Version 1.5 ships."
