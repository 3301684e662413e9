"""Every public page and the signed-in pages, in Chromium, with the seed content: each answers,
passes axe-core (WCAG 2.x A and AA, best practices), names itself in its one h1, and fits a
320px-wide screen (WCAG 1.4.10 Reflow) without horizontal scrolling."""

import pytest

from tests.e2e.a11y import visit

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

NARROW = {"width": 320, "height": 720}


def _collectives_title():
    from belong.collectives.models import CollectivesPage

    return CollectivesPage.current().title


def _collective_name():
    from belong.collectives.models import Collective

    return Collective.objects.get(slug="latinx").name


def _training_title():
    from belong.training.models import TrainingPage

    return TrainingPage.current().title


def _course_title():
    from belong.training.models import Course

    return Course.objects.get(slug="implicit-bias").title


def _program_name():
    from belong.mentorship.models import Program

    return Program.current().name


def _statement_title():
    from belong.library.models import Policy

    return Policy.objects.get(slug="medical-school-diversity-statement").title


def _seed_session():
    """The page of one of the seed's dated Implicit Bias sessions."""
    from belong.events.models import Event

    return f"/events/{Event.objects.filter(kind='session').order_by('start').first().pk}/"


# (path, or a function giving it from the seed content; what its h1 says: a text the h1 contains, a function giving it from the seed content, or
# None for "a non-empty h1").
PUBLIC_PAGES = {
    "home": ("/", None),
    "collectives": ("/collectives/", _collectives_title),
    "collective": ("/collectives/latinx/", _collective_name),
    "training": ("/training/", _training_title),
    "course": ("/training/implicit-bias/", _course_title),
    "lectures": ("/lectures/", "lecture"),
    "mentorship": ("/mentorship/", _program_name),
    "resources": ("/resources/", None),
    "diversity-statement": (
        "/resources/policies/medical-school-diversity-statement/",
        _statement_title,
    ),
    "session": (_seed_session, _course_title),
    "certificate-verify": ("/training/certificates/verify/", "certificate"),
    "recommendations": ("/collectives/recommendations/", "recommendations"),
    "focus-area": ("/collectives/focus/community-partnership/", None),
    "sign-in": ("/sign-in/", "sign in"),
    "password-reset": ("/password-reset/", "password"),
}
SIGNED_IN_PAGES = {
    "me": ("/me/", None),
    "profile": ("/me/profile/", "profile"),
    "my-calendar": ("/me/calendar/", "calendar"),
    "group-request": ("/training/request/", None),
    "my-requests": ("/training/requests/", None),
    "businesses": ("/collectives/businesses/", "businesses"),
    "partners": ("/collectives/partners/", "partners"),
    "suggest-business": ("/collectives/businesses/suggest/", "suggest"),
    "join": ("/collectives/latinx/join/", None),
    "share": ("/collectives/latinx/share/", None),
}


def _normal(text):
    return " ".join(text.split()).casefold()


def assert_h1(page, path, expected):
    headings = page.locator("h1")
    assert headings.count() == 1, f"{path}: {headings.count()} h1 elements, expected exactly one"
    heading = _normal(headings.inner_text())
    assert heading, f"{path}: the h1 is empty"
    if expected is None:
        return
    wanted = _normal(expected() if callable(expected) else expected)
    assert wanted in heading, f"{path}: h1 {heading!r} does not say {wanted!r}"


def assert_no_horizontal_scroll(page, path):
    width = page.evaluate("document.documentElement.scrollWidth")
    if width <= NARROW["width"]:
        return
    # Name the culprits: elements whose right edge is past the viewport.
    wide = page.evaluate(
        """(limit) => Array.from(document.querySelectorAll('body *'))
            .filter(el => el.getBoundingClientRect().right > limit + 0.5)
            .slice(0, 10)
            .map(el => el.tagName.toLowerCase()
                 + (el.id ? '#' + el.id : '')
                 + (el.classList.length ? '.' + Array.from(el.classList).join('.') : '')
                 + ' (right edge ' + Math.round(el.getBoundingClientRect().right) + 'px)')""",
        NARROW["width"],
    )
    pytest.fail(
        f"{path} scrolls sideways at {NARROW['width']}px: scrollWidth is {width}px; "
        f"too wide: {', '.join(wide) or 'no single element found'}",
        pytrace=False,
    )


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page(page, content, name):
    path, expected = PUBLIC_PAGES[name]
    path = path() if callable(path) else path
    visit(page, path)
    assert_h1(page, path, expected)


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_signed_in_page(page, content, sign_in, alice, name):
    sign_in(alice)
    path, expected = SIGNED_IN_PAGES[name]
    visit(page, path)
    assert_h1(page, path, expected)
    assert page.locator("[action$='/sign-out/'], [href$='/sign-out/']").count() >= 1, (
        f"{path}: a signed-in page offers no way to sign out"
    )


@pytest.mark.parametrize("name", [*PUBLIC_PAGES, *SIGNED_IN_PAGES])
def test_page_fits_a_320px_screen(page, content, sign_in, alice, name):
    if name in SIGNED_IN_PAGES:
        sign_in(alice)
    path, _expected = {**PUBLIC_PAGES, **SIGNED_IN_PAGES}[name]
    path = path() if callable(path) else path
    page.set_viewport_size(NARROW)
    visit(page, path)
    assert_no_horizontal_scroll(page, path)
