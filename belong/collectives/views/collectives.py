from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from belong.collectives import access, counts, page_cache, sections
from belong.collectives.actions import memberships
from belong.collectives.forms.memberships import MembershipForm
from belong.collectives.models import (
    Collective,
    CollectivesPage,
    FocusArea,
    Membership,
)
from belong.events.models import Event
from belong.lib.refusals import add_to_form
from belong.people.access import is_signed_in

# The members panel of a collective's page names at most this many people.
MEMBERS_SHOWN = 100
# What the panel and the viewer's own membership show (Person.display_name's fields).
ROSTER_FIELDS = (
    "kind",
    "visibility",
    "person_id",
    "collective_id",
    "person__full_name",
    "person__preferred_name",
    "person__email",
    "person__credentials",
)


def _login_url(next_url):
    return f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': next_url})}"


@require_safe
def collective_list(request):
    """Every collective; for visitors from the cache when it can (collectives.page_cache)."""
    return page_cache.pages.serve(
        request, page_cache.pages.key(request, "list"), lambda: _collective_list(request)
    )


def _collective_list(request):
    """Each collective's card is the same for everyone who may see the same next event and
    belongs to it the same way (or not): the page selects those for the person (two queries:
    the events they may see among the upcoming ones, their memberships), then takes the cards
    from the cache and renders only the missing ones."""
    person = request.user
    signed_in = is_signed_in(person)
    upcoming = sections.upcoming_by_collective()
    candidates = {event_id for ids in upcoming.values() for event_id in ids}
    visible = set(sections.visible_upcoming(person, candidates)) if candidates else set()
    rows = [
        (pk, next((event_id for event_id in ids if event_id in visible), None))
        for pk, ids in upcoming.items()
    ]
    mine = (
        dict(Membership.objects.filter(person=person).values_list("collective_id", "kind"))
        if signed_in
        else {}
    )
    wanted = {
        pk: ("card", pk, next_event_id, mine.get(pk, ""), signed_in) for pk, next_event_id in rows
    }
    cards = page_cache.pages.fragments(wanted, lambda missing: _cards(missing, wanted))
    page, focus_areas = page_cache.pages.value(
        ("list-head",), lambda: (CollectivesPage.current(), list(FocusArea.objects.all()))
    )
    return render(
        request,
        "collectives/list.html",
        {
            "page": page,
            "cards": [cards[pk] for pk, _next in rows if pk in cards],
            "focus_areas": focus_areas,
            "threshold": settings.DISCLOSURE_THRESHOLD,
        },
    )


def _cards(pks, wanted):
    """{pk: html} of the cards of the collectives `pks`, as `wanted` describes each (see
    _collective_list): three queries, whatever their number."""
    collectives = counts.publish(
        counts.with_counts(Collective.objects.filter(pk__in=pks)).prefetch_related("focus_areas")
    )
    event_ids = [wanted[pk][2] for pk in pks if wanted[pk][2]]
    events = Event.objects.in_bulk(event_ids) if event_ids else {}
    return {
        collective.pk: render_to_string(
            "collectives/partials/collective_card.html",
            {
                "collective": collective,
                "next_event": events.get(wanted[collective.pk][2]),
                "my_kind": wanted[collective.pk][3],
                "signed_in": wanted[collective.pk][4],
            },
        )
        for collective in collectives
    }


def _membership_of(person, collective):
    if not is_signed_in(person):
        return None
    return Membership.objects.filter(person=person, collective=collective).first()


def _manage_url(collective):
    # The leaders' pages are their own module; the page links there once it exists.
    try:
        return reverse("collectives:manage", args=[collective.slug])
    except NoReverseMatch:
        return None


@require_safe
def collective_detail(request, slug):
    """A collective's page; for visitors from the cache when it can (collectives.page_cache)."""
    return page_cache.pages.serve(
        request,
        page_cache.pages.key(request, "detail", slug),
        lambda: _collective_detail(request, slug),
    )


def _collective_detail(request, slug):
    """What the person may see is selected first (sections.select); the page's shared parts
    (its main column, who belongs and its leaders, its areas of focus) come from the cache
    under that selection, and only the personal ones (their membership, the members they may
    see, the link to manage it) are rendered for them."""
    person = request.user
    # Every active collective by its slug, in one entry: an unknown address stores nothing.
    collective = page_cache.pages.value(
        ("collectives-by-slug",),
        lambda: {c.slug: c for c in Collective.objects.filter(is_active=True)},
    ).get(slug)
    if collective is None:
        raise Http404
    selection = sections.select(collective, person)
    membership, visible, more_members = None, None, False
    if is_signed_in(person):
        visible = list(
            access.visible_memberships(person, collective.memberships.all())
            .select_related("person")
            .only(*ROSTER_FIELDS)
            .order_by("person__full_name", "person__email", "pk")[: MEMBERS_SHOWN + 1]
        )
        more_members = len(visible) > MEMBERS_SHOWN
        visible = visible[:MEMBERS_SHOWN]
        # Their own membership is always among those they may see: a query only when the
        # roster's first names leave it out.
        membership = next((m for m in visible if m.person_id == person.pk), None)
        if membership is None and more_members:
            membership = _membership_of(person, collective)
    show_members = membership is not None or bool(visible) or access.is_leader(person, collective)
    parts = page_cache.pages.fragments(
        {
            "main": ("main", collective.pk, selection),
            "about": ("about", collective.pk),
            "areas": ("areas", collective.pk),
        },
        lambda missing: _detail_parts(collective, selection, missing),
    )
    return render(
        request,
        "collectives/detail.html",
        {
            "collective": collective,
            "parts": parts,
            "membership": membership,
            "visible_memberships": visible,
            "more_members": more_members,
            "members_shown": MEMBERS_SHOWN,
            "show_members": show_members,
            "manage_url": _manage_url(collective) if selection.runs else None,
            "login_url": _login_url(reverse("collectives:join", args=[collective.slug])),
        },
    )


def _detail_parts(collective, selection, names):
    """{name: html} of the shared parts `names` of a collective's page, from `selection`."""
    parts = {}
    if "main" in names:
        context = {"collective": collective, **sections.detail_context(collective, selection)}
        parts["main"] = render_to_string("collectives/partials/detail_main.html", context)
    if "about" in names:
        counted = counts.publish(counts.with_counts(Collective.objects.filter(pk=collective.pk)))
        leader_roles = (
            access.current_leader_roles()
            .filter(collective=collective)
            .select_related("person")
            .order_by("title", "starts_on", "pk")
        )
        parts["about"] = render_to_string(
            "collectives/partials/detail_about.html",
            {
                "collective": counted[0] if counted else None,
                "leader_roles": leader_roles,
                "threshold": settings.DISCLOSURE_THRESHOLD,
            },
        )
    if "areas" in names:
        parts["areas"] = render_to_string(
            "collectives/partials/detail_areas.html", {"collective": collective}
        )
    return parts


# -- joining, changing, leaving ------------------------------------------------------------


def _saved_message(collective, outcome):
    membership = outcome.membership
    if outcome.created:
        if membership.kind == Membership.Kind.ALLY:
            text = _("You joined %(collective)s as an ally. Who may see it: %(visibility)s.")
        else:
            text = _("You joined %(collective)s as a member. Who may see it: %(visibility)s.")
    elif outcome.changed:
        text = _("Your membership of %(collective)s was saved. Who may see it: %(visibility)s.")
    else:
        text = _("Nothing changed: your membership of %(collective)s is as it was.")
    return text % {
        "collective": collective.name,
        "visibility": membership.get_visibility_display().lower(),
    }


def _save_membership(request, collective, membership):
    """Join or change from the posted form: a redirect with a message, or the form again with
    its errors (400) and nothing changed."""
    form = MembershipForm(request.POST)
    if form.is_valid():
        try:
            outcome = memberships.join(
                collective.pk,
                person=request.user,
                kind=form.cleaned_data["kind"],
                visibility=form.cleaned_data["visibility"],
            )
        except memberships.Refused as exc:
            add_to_form(form, exc)
        except Collective.DoesNotExist:
            raise Http404 from None
        else:
            messages.success(request, _saved_message(collective, outcome))
            return redirect(collective.get_absolute_url())
    return render(
        request,
        "collectives/join.html",
        {"collective": collective, "form": form, "membership": membership},
        status=400,
    )


@login_required
@require_http_methods(["GET", "POST"])
def join(request, slug):
    collective = access.collective_or_404(slug)
    membership = _membership_of(request.user, collective)
    if request.method == "POST":
        return _save_membership(request, collective, membership)
    return render(
        request,
        "collectives/join.html",
        {
            "collective": collective,
            "form": MembershipForm(membership=membership),
            "membership": membership,
        },
    )


@login_required
@require_POST
def change_membership(request, slug):
    collective = access.collective_or_404(slug)
    membership = _membership_of(request.user, collective)
    if membership is None:
        messages.info(
            request,
            _("You have not joined %(collective)s: choose how to join it here.")
            % {"collective": collective.name},
        )
        return redirect("collectives:join", slug=collective.slug)
    return _save_membership(request, collective, membership)


def _next_url(request, default):
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@login_required
@require_http_methods(["GET", "POST"])
def leave(request, slug):
    # One may leave a collective that is no longer active (its page is gone): found through
    # one's own membership, 404 for anybody else.
    collective = Collective.objects.filter(slug=slug).first() if slug else None
    if collective is None or not (
        collective.is_active or request.user.memberships.filter(collective=collective).exists()
    ):
        raise Http404
    default = collective.get_absolute_url() if collective.is_active else reverse("people:me")
    back = _next_url(request, default)
    if request.method == "POST":
        try:
            left = memberships.leave(collective.pk, person=request.user)
        except Collective.DoesNotExist:
            raise Http404 from None
        if left:
            messages.success(
                request,
                _(
                    "You left %(collective)s. Your membership was deleted: only an "
                    "anonymous monthly count of members and allies is kept, with no names."
                )
                % {"collective": collective.name},
            )
        else:
            messages.info(
                request,
                _("You were not a member of %(collective)s: nothing changed.")
                % {"collective": collective.name},
            )
        return redirect(back)
    membership = _membership_of(request.user, collective)
    if membership is None:
        messages.info(
            request,
            _("You are not a member of %(collective)s.") % {"collective": collective.name},
        )
        return redirect(default)
    return render(
        request,
        "collectives/leave.html",
        {"collective": collective, "membership": membership, "next": back},
    )
