"""Who may do what in the mentorship program, decided here. The cycles, the enrolments of
others, matching, matches and applicant connections are for mentorship coordinators and DEI
administrators; everyone signed in enrols themselves and sees their own answers."""

from django.core.exceptions import PermissionDenied

from belong.people import roles
from belong.people.access import has_role

COORDINATORS = (roles.MENTORSHIP_COORDINATOR, roles.DEI_ADMINISTRATOR)


def can_coordinate(person) -> bool:
    return has_role(person, *COORDINATORS)


def coordinator_or_403(person) -> None:
    """For the coordinators' actions and pages: PermissionDenied (403) for anyone else."""
    if not can_coordinate(person):
        raise PermissionDenied
