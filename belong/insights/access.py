"""Who may see and do what in insights, decided here and nowhere else. The dashboards' pages and
downloads, the API, the /me/ page's link and the actions ask these functions.

- The dashboards (`can_see_dashboards`): analysts and leadership, and DEI administrators.
- Cutting a release by hand (`can_cut_releases`): DEI administrators.
- Health-disparities initiatives: analysts, leadership and DEI administrators see every one
  (`can_see_all_initiatives`), a lead sees their own (`can_see_initiative`); a lead and DEI
  administrators change one (`can_change_initiative`); DEI administrators create them
  (`can_create_initiatives`). An initiative someone may not see is a 403 on its page (as the
  list is: the page says what it is for), a 404 when there is none.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from belong.insights.models import Initiative
from belong.people import roles
from belong.people.access import has_role, is_signed_in

DASHBOARD_VIEWERS = (roles.ANALYST, roles.DEI_ADMINISTRATOR)
INITIATIVE_CREATORS = (roles.DEI_ADMINISTRATOR,)
RELEASE_CUTTERS = (roles.DEI_ADMINISTRATOR,)


def can_see_dashboards(person) -> bool:
    """The dashboards, their downloads and their tables in the API."""
    return has_role(person, *DASHBOARD_VIEWERS)


def can_cut_releases(person) -> bool:
    """Cut a release by hand (at most once in RELEASE_MANUAL_MIN_DAYS: belong.insights.cutting)."""
    return has_role(person, *RELEASE_CUTTERS)


# --- initiatives ---------------------------------------------------------------------------------


def can_see_all_initiatives(person) -> bool:
    return has_role(person, *DASHBOARD_VIEWERS)


def can_create_initiatives(person) -> bool:
    return has_role(person, *INITIATIVE_CREATORS)


def can_see_initiative(person, initiative) -> bool:
    return can_see_all_initiatives(person) or (
        is_signed_in(person) and initiative.lead_id == person.pk
    )


def can_change_initiative(person, initiative) -> bool:
    return is_signed_in(person) and (
        has_role(person, roles.DEI_ADMINISTRATOR) or initiative.lead_id == person.pk
    )


def visible_initiatives(person):
    """The initiatives `person` may see: every one, or those they lead (none for a visitor)."""
    initiatives = Initiative.objects.select_related("lead", "unit")
    if can_see_all_initiatives(person):
        return initiatives
    if not is_signed_in(person):
        return initiatives.none()
    return initiatives.filter(lead=person)


def initiatives_or_403(person) -> list[Initiative]:
    """For the list's page: the initiatives `person` may see; 403 for someone who may see none
    (neither a reader of every initiative nor a lead)."""
    shown = list(visible_initiatives(person))
    if not shown and not can_see_all_initiatives(person):
        raise PermissionDenied
    return shown


def initiative_or_403(person, slug, *, change=False) -> Initiative:
    """For the initiative's pages: 404 when there is no such initiative, 403 when `person` may
    not see it (or, with `change`, may not change it)."""
    initiative = Initiative.objects.select_related("lead", "unit").filter(slug=slug).first()
    if initiative is None:
        raise Http404
    if not can_see_initiative(person, initiative):
        raise PermissionDenied
    if change and not can_change_initiative(person, initiative):
        raise PermissionDenied
    return initiative


def me_links(person):
    """The dashboards' entry in /me/'s side list, for those who may see them."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from belong.people.me_sections import Link

    if not can_see_dashboards(person):
        return []
    return [
        Link(
            10,
            reverse("insights:index"),
            _("Insights"),
            _("Dashboards about people, aggregated and suppressed"),
        )
    ]
