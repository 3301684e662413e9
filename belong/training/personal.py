"""The trainings' part of a person's download (belong.people.personal_data). Evaluations are
anonymous (no person, no registration): they cannot be in anybody's download."""

from belong.people.personal_data import EXPORTED
from belong.training.models import Certificate, GroupRequest, GroupRequestChange, PreworkFile

SECTION = "training"

FIELDS = {
    "training.Certificate.person": EXPORTED,
    "training.GroupRequest.requester": EXPORTED,
    "training.GroupRequestChange.by": EXPORTED,
    "training.PreworkFile.uploaded_by": EXPORTED + " (the file's title, not the file)",
}


def export(person) -> dict:
    certificates = Certificate.objects.filter(person=person).select_related("course")
    requests = GroupRequest.objects.filter(requester=person).prefetch_related("courses")
    changes = GroupRequestChange.objects.filter(by=person).select_related("request")
    files = PreworkFile.objects.filter(uploaded_by=person)
    return {
        "certificates": [
            {
                "kind": c.kind,
                "course": c.course.title if c.course else "",
                "code": c.code,
                "completed_on": c.completed_on,
            }
            for c in certificates.order_by("completed_on", "pk")
        ],
        "group_requests": [
            {
                "group": r.group_name,
                "trainings": sorted(course.title for course in r.courses.all()),
                "expected_participants": r.expected_participants,
                "format": r.format,
                "what_to_tailor": r.tailoring,
                "status": r.status,
                "created": r.created_at,
            }
            for r in requests.order_by("created_at", "pk")
        ],
        "group_request_changes_made": [
            {"request": c.request.group_name, "status": c.status, "note": c.note, "at": c.at}
            for c in changes.order_by("at", "pk")
        ],
        "pre_work_files_uploaded": [
            {"title": f.title, "uploaded": f.uploaded_at} for f in files.order_by("pk")
        ],
    }


def erase(person, *, now) -> None:
    """Certificates go. A group request is the organisation's record of a session it asked
    for: it stays with the anonymised account, without what its requester wrote."""
    Certificate.objects.filter(person=person).delete()
    GroupRequest.objects.filter(requester=person).update(tailoring="")
    GroupRequestChange.objects.filter(by=person).update(by=None)
    PreworkFile.objects.filter(uploaded_by=person).update(uploaded_by=None)
