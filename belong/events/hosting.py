"""Rules that an event's hosts add, without `events` importing them.

An app whose objects host events (collectives) registers one `HostRules` in its AppConfig.ready.
`events` asks every registered rule set, so events never import their hosts:

- `audience_q(person)`: a Q over Event selecting the members-only events whose audience holds
  `person` (the members and allies of a hosting collective, its leaders);
- `in_audience(person, event)`: the same for one loaded event;
- `can_manage(person, event)`: whether `person` runs the event (a hosting collective's leaders);
- `hosts(event)`: the objects hosting the event, for its page (each with `get_absolute_url`);
- `manage_url(event, person)`: the page where `person`, who runs the event, sees its roster, or "".

The audience of a members-only event is its hosts' to say, and no role adds to it: a DEI
administrator, a coordinator or a superuser gets a seat (or sight of it) only as a member, an ally
or a leader of a host (`events.actions.registration_problem`, `events.access.can_manage`).
"""

from django.db.models import Q


class HostRules:
    def audience_q(self, person) -> Q:
        return Q(pk__in=[])

    def in_audience(self, person, event) -> bool:
        return False

    def can_manage(self, person, event) -> bool:
        return False

    def hosts(self, event) -> list:
        return []

    def manage_url(self, event, person=None) -> str:
        return ""


_registered: list[HostRules] = []


def register(rules: HostRules) -> None:
    if not any(type(existing) is type(rules) for existing in _registered):
        _registered.append(rules)


def audience_q(person) -> Q:
    condition = Q(pk__in=[])
    for rules in _registered:
        condition |= rules.audience_q(person)
    return condition


def in_audience(person, event) -> bool:
    return any(rules.in_audience(person, event) for rules in _registered)


def can_manage(person, event) -> bool:
    return any(rules.can_manage(person, event) for rules in _registered)


def hosts(event) -> list:
    return [host for rules in _registered for host in rules.hosts(event)]


def manage_url(event, person=None) -> str:
    return next((url for rules in _registered if (url := rules.manage_url(event, person))), "")
