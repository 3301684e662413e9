"""Who may see and do what in the library, decided here and nowhere else. Pages, the API and
the actions ask these functions.

- Policies: anyone reads a public one; DEI administrators and the policy's steward record a
  review (`can_review`).
- The clearinghouse: anyone signed in suggests a resource; mentorship coordinators and DEI
  administrators publish, decline or take one back (`can_curate`). A resource's file is for
  anyone once it is published, before that for the curators and the person who suggested it
  (`can_download_file`); to anyone else it does not exist (404).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from belong.library.models import Policy, Resource
from belong.people import roles
from belong.people.access import has_role, is_signed_in

CURATORS = (roles.MENTORSHIP_COORDINATOR, roles.DEI_ADMINISTRATOR)
POLICY_REVIEWERS = (roles.DEI_ADMINISTRATOR,)


def can_curate(person) -> bool:
    return has_role(person, *CURATORS)


def can_review(person, policy) -> bool:
    """Record a review of `policy`: DEI administrators and its steward."""
    return is_signed_in(person) and (
        has_role(person, *POLICY_REVIEWERS) or policy.steward_id == person.pk
    )


def can_download_file(person, resource) -> bool:
    return (
        resource.state == Resource.State.PUBLISHED
        or can_curate(person)
        or (is_signed_in(person) and resource.submitted_by_id == person.pk)
    )


def resource_file_or_404(person, pk) -> Resource:
    """A resource with a file that `person` may download; 404 otherwise (a resource not yet
    published is not even confirmed to exist)."""
    resource = Resource.objects.filter(pk=pk).exclude(file="").first()
    if resource is None or not can_download_file(person, resource):
        raise Http404
    return resource


def policy_to_review_or_403(person, slug) -> Policy:
    """For the review page: 404 when there is no such policy, 403 when `person` may not record
    its review."""
    policy = get_object_or_404(Policy.objects.select_related("steward"), slug=slug)
    if not can_review(person, policy):
        raise PermissionDenied
    return policy
