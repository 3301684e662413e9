"""The collectives part of a person's own page (/me/): the collectives they belong to, how,
and who may see it. One query."""


def me_context(person) -> dict:
    return {
        "memberships": person.memberships.select_related("collective").order_by("collective__name")
    }
