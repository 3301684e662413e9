"""The collectives' rules for the events they host (registered with belong.events.hosting):
a members-only event is for the members and allies of its hosting collectives and their
leaders; the leaders of every hosting collective run the event. The event's page lists its
hosting collectives (the one that holds it first) and links its roster for those who run it
(collectives:event_roster)."""

from django.db.models import Q

from belong.collectives import access
from belong.collectives.models import Collective, EventHosting, Membership
from belong.events.hosting import HostRules
from belong.events.models import Event


class CollectiveHostRules(HostRules):
    @staticmethod
    def _audience_ids(person):
        return access.joined_collective_ids(person) | access.led_collective_ids(person)

    def audience_q(self, person) -> Q:
        """Subqueries only: listing events costs no extra query."""
        joined = Membership.objects.filter(person=person).values("collective_id")
        led = access.current_leader_roles().filter(person=person).values("collective_id")
        hostings = EventHosting.objects.filter(
            Q(collective_id__in=joined) | Q(collective_id__in=led)
        )
        return Q(pk__in=hostings.values("event_id"))

    def in_audience(self, person, event) -> bool:
        ids = self._audience_ids(person)
        return (
            bool(ids) and EventHosting.objects.filter(event=event, collective_id__in=ids).exists()
        )

    def can_manage(self, person, event) -> bool:
        ids = access.led_collective_ids(person)
        return (
            bool(ids) and EventHosting.objects.filter(event=event, collective_id__in=ids).exists()
        )

    def hosts(self, event) -> list:
        """The active collectives hosting the event: the one that holds it first, then its
        co-hosts by name. One query."""
        if event.kind != Event.Kind.COLLECTIVE:
            return []
        collectives = Collective.objects.filter(hostings__event=event, is_active=True)
        return sorted(collectives, key=lambda c: (c.pk != event.host_id, c.name.casefold()))

    def manage_url(self, event, person=None) -> str:
        """The roster under the address of a hosting collective that `person` leads, else of
        the collective that holds the event."""
        if event.kind != Event.Kind.COLLECTIVE:
            return ""
        from django.urls import reverse

        led = access.led_collective_ids(person)
        collectives = sorted(
            Collective.objects.filter(hostings__event=event, is_active=True),
            key=lambda c: (c.pk not in led, c.pk != event.host_id, c.pk),
        )
        if not collectives:
            return ""
        return reverse("collectives:event_roster", args=[collectives[0].slug, event.pk])
