"""The parts of a person's own page (/me/) that the domain apps hold.

`people` sits below the domain apps (tests/test_layers.py), so /me/ imports none of them: each
app registers its section when Django starts (in its AppConfig.ready), as its `personal` module
gives its part of the personal-data download:

    me_sections.register(
        "mentorship", order=30, template="mentorship/partials/me.html", context=me_context
    )

    name      the section's name (registering a name again replaces it);
    order     where it stands on the page, smallest first, after the profile;
    template  rendered in the page's main column with the page's context ("" for none);
    context   context(person) -> dict, added to the page's context (so a section may also set a
              flag the page's settings list reads, such as `manage_training`, or only that:
              insights registers no template, only `see_insights`).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    name: str
    order: int
    template: str
    context: Callable[..., dict]


_sections: dict[str, Section] = {}


def register(name: str, *, order: int, context: Callable[..., dict], template: str = "") -> None:
    _sections[name] = Section(name=name, order=order, template=template, context=context)


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.name))


def context(person) -> dict:
    """The sections (`me_sections`, in order) and everything their contexts give."""
    found = sections()
    data: dict = {"me_sections": found}
    for section in found:
        data.update(section.context(person))
    return data
