"""How many members and allies a collective has, as pages and the API may show it.

A count of people is published only through the disclosure engine: a small count shows as
"<11" (settings.DISCLOSURE_THRESHOLD). The members and the allies of a collective are two cells
of one table (collectives x [members, allies]) published without any total: a total of members
and allies would let a hidden count be recomputed, so none is ever shown."""

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from belong.collectives.models import Membership
from belong.insights import disclosure


def _count_of(kind):
    counted = (
        Membership.objects.filter(collective=OuterRef("pk"), kind=kind)
        .order_by()
        .values("collective")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_counts(collectives):
    """Annotate a queryset of collectives with their raw counts (no extra query). The raw
    numbers are for `publish` only: never print them."""
    return collectives.annotate(
        raw_member_count=_count_of(Membership.Kind.MEMBER),
        raw_ally_count=_count_of(Membership.Kind.ALLY),
    )


def publish(collectives):
    """Set `member_count` and `ally_count` (disclosure Cells: print them, or their `.shown`) on
    each collective annotated by `with_counts`. Returns the collectives, as a list.

    Each cell is published on its own (publish_count): with no total shown anywhere, primary
    suppression is all the table needs. This is the one place to switch to the engine's
    publish_table (all margins off) for the collectives x [members, allies] table."""
    collectives = list(collectives)
    threshold = settings.DISCLOSURE_THRESHOLD
    for collective in collectives:
        collective.member_count = disclosure.publish_count(
            collective.raw_member_count, threshold=threshold
        )
        collective.ally_count = disclosure.publish_count(
            collective.raw_ally_count, threshold=threshold
        )
    return collectives
