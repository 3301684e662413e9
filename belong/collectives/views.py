from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from belong.collectives import access, counts, page_cache, sections
from belong.collectives.actions import memberships
from belong.collectives.forms import MembershipForm
from belong.collectives.models import (
    Collective,
    CollectivesPage,
    EventHosting,
    FocusArea,
    Membership,
)
from belong.events.models import Event

# The members panel of a collective's page names at most this many people.
MEMBERS_SHOWN = 100


def _signed_in(person):
    return person is not None and person.is_authenticated


def _login_url(next_url):
    return f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': next_url})}"


def _next_event_id(person):
    """The soonest upcoming event a collective hosts (or co-hosts) that `person` may see, as a
    subquery over Collective: listing costs no query per collective."""
    visible = Event.objects.visible_to(person).upcoming().values("pk")
    hostings = (
        EventHosting.objects.filter(collective=OuterRef("pk"), event__in=visible)
        .order_by("event__start", "event_id")
        .values("event_id")[:1]
    )
    return Subquery(hostings)


def _memberships_by_collective(person):
    if not _signed_in(person):
        return {}
    return {m.collective_id: m for m in Membership.objects.filter(person=person)}


@require_safe
def collective_list(request):
    """Every collective; for visitors from the cache when it can (collectives.page_cache)."""
    return page_cache.pages.serve(
        request, page_cache.pages.key(request, "list"), lambda: _collective_list(request)
    )


def _collective_list(request):
    person = request.user
    collectives = counts.publish(
        counts.with_counts(Collective.objects.filter(is_active=True))
        .annotate(next_event_id=_next_event_id(person))
        .prefetch_related("focus_areas")
    )
    event_ids = [c.next_event_id for c in collectives if c.next_event_id]
    events = Event.objects.in_bulk(event_ids) if event_ids else {}
    mine = _memberships_by_collective(person)
    for collective in collectives:
        collective.next_event = events.get(collective.next_event_id)
        collective.my_membership = mine.get(collective.pk)
    return render(
        request,
        "collectives/list.html",
        {
            "page": CollectivesPage.current(),
            "collectives": collectives,
            "focus_areas": FocusArea.objects.all(),
            "threshold": settings.DISCLOSURE_THRESHOLD,
        },
    )


def _membership_of(person, collective):
    if not _signed_in(person):
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
    person = request.user
    collective = access.collective_or_404(
        slug,
        counts.with_counts(Collective.objects.prefetch_related("focus_areas", "commitments")),
    )
    counts.publish([collective])
    leader_roles = (
        access.current_leader_roles()
        .filter(collective=collective)
        .select_related("person")
        .order_by("title", "starts_on", "pk")
    )
    membership = _membership_of(person, collective)
    visible, more_members = None, False
    if _signed_in(person):
        visible = list(
            access.visible_memberships(person, collective.memberships.all())
            .select_related("person")
            .order_by("person__full_name", "person__email", "pk")[: MEMBERS_SHOWN + 1]
        )
        more_members = len(visible) > MEMBERS_SHOWN
        visible = visible[:MEMBERS_SHOWN]
    show_members = membership is not None or bool(visible) or access.is_leader(person, collective)
    return render(
        request,
        "collectives/detail.html",
        {
            "collective": collective,
            "leader_roles": leader_roles,
            "membership": membership,
            "visible_memberships": visible,
            "more_members": more_members,
            "members_shown": MEMBERS_SHOWN,
            "show_members": show_members,
            "manage_url": _manage_url(collective) if access.can_run(person, collective) else None,
            "login_url": _login_url(reverse("collectives:join", args=[collective.slug])),
            "threshold": settings.DISCLOSURE_THRESHOLD,
            **sections.detail_context(collective, person),
        },
    )


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
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
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
