"""The collectives' part of a person's download (belong.people.personal_data)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from belong.collectives.models import (
    Announcement,
    Business,
    Experience,
    LeaderRole,
    Membership,
    Partner,
    Recommendation,
    RecommendationUpdate,
)
from belong.people.personal_data import EXPORTED

SECTION = "collectives"

FIELDS = {
    "collectives.Membership.person": EXPORTED,
    "collectives.LeaderRole.person": EXPORTED,
    "collectives.Announcement.author": EXPORTED,
    "collectives.Recommendation.author": EXPORTED,
    "collectives.RecommendationUpdate.by": EXPORTED,
    "collectives.Experience.person": EXPORTED + " (an anonymous experience has no person)",
    "collectives.Business.suggested_by": EXPORTED,
    "collectives.Partner.suggested_by": EXPORTED,
}


def export(person) -> dict:
    memberships = Membership.objects.filter(person=person).select_related("collective")
    roles = LeaderRole.objects.filter(person=person).select_related("collective")
    experiences = Experience.objects.filter(person=person).select_related("collective")
    recommendations = Recommendation.objects.filter(author=person).select_related("collective")
    answers = RecommendationUpdate.objects.filter(by=person).select_related("recommendation")
    announcements = Announcement.objects.filter(author=person).select_related("collective")
    suggested = [
        {"directory": kind, "name": entry.name, "status": entry.status}
        for kind, model in (("businesses", Business), ("partners", Partner))
        for entry in model.objects.filter(suggested_by=person).order_by("pk")
    ]
    return {
        "memberships": [
            {
                "collective": m.collective.name,
                "as": m.kind,
                "who_may_see_it": m.visibility,
                "joined": m.joined_at,
            }
            for m in memberships.order_by("joined_at", "pk")
        ],
        "leader_roles": [
            {
                "collective": r.collective.name,
                "title": r.other_title or r.title,
                "term_starts": r.starts_on,
                "term_ends": r.ends_on,
            }
            for r in roles.order_by("starts_on", "pk")
        ],
        "experiences_shared_with_your_name": [
            {
                "collective": e.collective.name,
                "text": e.text,
                "shared_on": e.shared_on,
                "may_be_published": e.consent_to_publish,
                "state": e.state,
            }
            for e in experiences.order_by("shared_on", "pk")
        ],
        "recommendations_written": [
            {
                "collective": r.collective.name,
                "title": r.title,
                "problem": r.problem,
                "proposal": r.proposal,
                "state": r.state,
                "created": r.created_at,
            }
            for r in recommendations.order_by("created_at", "pk")
        ],
        "recommendation_answers_given": [
            {"recommendation": u.recommendation.title, "state": u.state, "text": u.text, "at": u.at}
            for u in answers.order_by("at", "pk")
        ],
        "announcements_written": [
            {"collective": a.collective.name, "title": a.title, "published": a.published_at}
            for a in announcements.order_by("published_at", "pk")
        ],
        "directory_suggestions": suggested,
    }


def erase(person, *, now) -> None:
    """Memberships and leader roles end (the monthly counts follow); experiences shared under
    the person's name are deleted; what they wrote for a collective (recommendations, answers,
    announcements, directory suggestions) stays the collective's, with no author."""
    from belong.collectives.actions import memberships

    for collective_id in list(
        Membership.objects.filter(person=person).values_list("collective_id", flat=True)
    ):
        memberships.leave(collective_id, person=person, today=timezone.localdate(now))
    LeaderRole.objects.filter(person=person).delete()
    Experience.objects.filter(person=person).delete()
    Recommendation.objects.filter(author=person).update(author=None)
    RecommendationUpdate.objects.filter(by=person).update(by=None)
    Announcement.objects.filter(author=person).update(author=None)
    for model in (Business, Partner):
        model.objects.filter(suggested_by=person).update(suggested_by=None)


def leave(person, *, now) -> None:
    """A leaver's leader terms end (yesterday, as a DEI administrator ends one; a term not begun
    yet is withdrawn); their memberships and what they wrote stay."""
    today = timezone.localdate(now)
    LeaderRole.objects.filter(person=person, starts_on__gte=today).delete()
    LeaderRole.objects.filter(person=person).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    ).update(ends_on=today - datetime.timedelta(days=1))
