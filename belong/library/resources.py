"""The clearinghouse of best practices: suggesting a resource, curating it, finding it.

Anyone signed in suggests a resource (a link or a file, a summary, tags); mentorship
coordinators and DEI administrators publish or decline it (belong/library/access.py). Search is PostgreSQL's full-text
search (title weighted above summary, web-search syntax, ranked) where the database is
PostgreSQL, and every word in the title or summary elsewhere (the development SQLite)."""

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.lib import uploads
from belong.library import access
from belong.library.actions import Refused
from belong.library.models import Resource
from belong.notifications import outbox
from belong.people.actions import audit

SEARCH_CONFIG = "english"


@transaction.atomic
def suggest(*, person, title, summary, tags, link="", upload=None) -> Resource:
    if not link and upload is None:
        raise Refused(_("Give a link or attach a file."), field="link")
    unknown = sorted(set(tags) - set(Resource.Tag.values))
    if unknown:
        raise Refused(_("Unknown tags: %(tags)s.") % {"tags": ", ".join(unknown)}, field="tags")
    content_type = ""
    if upload is not None:
        try:
            content_type = uploads.check_upload(upload)
        except uploads.UploadRefused as refusal:
            raise Refused(refusal.message, field="file") from None
    resource = Resource(
        title=title.strip(),
        summary=summary.strip(),
        link=link,
        tags=sorted(set(tags)),
        content_type=content_type,
        submitted_by=person,
    )
    if upload is not None:
        resource.file.save(upload.name, upload, save=False)
    resource.save()
    audit(actor=person, verb="resource.suggested", obj=resource)
    return resource


@transaction.atomic
def curate(resource_id, *, actor, state, reason="") -> Resource:
    if not access.can_curate(actor):
        raise PermissionDenied
    resource = Resource.objects.select_for_update().get(pk=resource_id)
    if state not in Resource.State.values:
        raise Refused(_("Publish, decline or take back a resource."), field="state")
    if state == Resource.State.DECLINED and not reason.strip():
        raise Refused(
            _("Say why it is declined: the person who suggested it is told."), field="reason"
        )
    resource.state = state
    resource.curated_by = actor
    resource.decline_reason = reason.strip() if state == Resource.State.DECLINED else ""
    resource.published_at = timezone.now() if state == Resource.State.PUBLISHED else None
    resource.save(update_fields=["state", "curated_by", "decline_reason", "published_at"])
    audit(actor=actor, verb=f"resource.{state}", obj=resource)
    author = resource.submitted_by
    if author is not None and author.is_active and state != Resource.State.SUBMITTED:
        outbox.queue(
            key=f"resource:{state}:{resource.pk}:{author.pk}",
            to_email=author.email,
            person=author,
            template=f"library/email/resource_{state}",
            context={"person": author, "resource": resource},
        )
    return resource


def search(resources, query):
    """The resources matching `query`, best first on PostgreSQL (see the module docstring)."""
    query = (query or "").strip()[:200]
    if not query:
        return resources
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("title", weight="A", config=SEARCH_CONFIG) + SearchVector(
            "summary", weight="B", config=SEARCH_CONFIG
        )
        wanted = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return (
            resources.annotate(document=vector, rank=SearchRank(vector, wanted))
            .filter(document=wanted)
            .order_by("-rank", "-published_at", "-pk")
        )
    for word in query.split():
        resources = resources.filter(Q(title__icontains=word) | Q(summary__icontains=word))
    return resources
