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
    context   context(person) -> dict, added to the page's context;
    links     links(person) -> [Link(order, url, title, description)], the app's entries in the
              page's side list (its own settings and the pages a role opens), all sections'
              together in `order`: insights registers only its dashboards' link, for those who
              may see them; people registers its own (profile, privacy, tokens) the same way.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Link:
    order: int
    url: str
    title: str
    description: str


def _nothing(person) -> dict:
    return {}


def _no_links(person) -> list[Link]:
    return []


@dataclass(frozen=True)
class Section:
    name: str
    order: int
    template: str
    context: Callable[..., dict]
    links: Callable[..., list[Link]]


_sections: dict[str, Section] = {}


def register(
    name: str,
    *,
    order: int,
    context: Callable[..., dict] = _nothing,
    template: str = "",
    links: Callable[..., list[Link]] = _no_links,
) -> None:
    _sections[name] = Section(
        name=name, order=order, template=template, context=context, links=links
    )


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda section: (section.order, section.name))


def context(person) -> dict:
    """The sections (`me_sections`, in order), everything their contexts give, and the side
    list's links of every section (`me_links`, in order)."""
    found = sections()
    data: dict = {"me_sections": found}
    links: list[Link] = []
    for section in found:
        data.update(section.context(person))
        links.extend(section.links(person))
    data["me_links"] = sorted(links, key=lambda link: link.order)
    return data
