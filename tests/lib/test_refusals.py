"""belong.lib.refusals: every app's refusal is one `Refusal` with its app's defaults; the API
answers any of them in its error shape, a page shows one on its form."""

import json

import pytest
from django import forms

from belong.api.errors import refusal_response
from belong.collectives.actions.directories import ImportRefused, RowError
from belong.collectives.actions.memberships import Refused as CollectiveRefused
from belong.events.actions import Busy as EventBusy
from belong.events.actions import Refused as EventRefused
from belong.insights.cutting import Refused as ReleaseRefused
from belong.insights.initiatives import Refused as InitiativeRefused
from belong.lib.images import PictureRefused
from belong.lib.refusals import Busy, Refusal, add_to_form, page_status
from belong.lib.uploads import UploadRefused
from belong.library.actions import Refused as LibraryRefused
from belong.mentorship.actions.cycles import Refused as MentorshipRefused
from belong.training.actions.evaluations import EvaluationRefused
from belong.training.actions.requests import RequestRefused


@pytest.mark.parametrize(
    "refusal_class, field, status",
    [
        (EventRefused, "event", 409),
        (CollectiveRefused, "collective", 400),
        (EvaluationRefused, "token", 409),
        (RequestRefused, "status", 409),
        (MentorshipRefused, "cycle", 400),
        (ReleaseRefused, "release", 409),
        (InitiativeRefused, "initiative", 400),
        (PictureRefused, None, 400),
        (UploadRefused, None, 400),
    ],
)
def test_each_apps_refusal_is_a_refusal_with_its_defaults(refusal_class, field, status):
    refused = refusal_class("No.")
    assert isinstance(refused, Refusal)
    assert (refused.message, refused.field, refused.status, refused.code) == (
        "No.",
        field,
        status,
        "refused",
    )
    given = refusal_class("Not that.", field="title", status=404, code="gone")
    assert (given.field, given.status, given.code) == ("title", 404, "gone")
    # The class keeps its default: one refusal's arguments are not the next one's.
    assert refusal_class("Again.").field == field


def test_the_librarys_refusal_is_a_refusal():
    refused = LibraryRefused("No.")
    assert isinstance(refused, Refusal)
    assert (refused.field, refused.status) == ("outcome", 400)
    assert LibraryRefused("No.", field="text").errors_by_field() == {"text": ["No."]}


def test_the_lists_of_rows_at_fault_stay_theirs():
    rows = [RowError(2, "name", "Missing.")]
    assert ImportRefused(rows).errors == rows
    assert InitiativeRefused("Bad file.", errors=[(3, "value", "Not a number.")]).errors == [
        (3, "value", "Not a number.")
    ]


def test_errors_by_field():
    assert EventRefused("Full.").errors_by_field() == {"event": ["Full."]}
    assert PictureRefused("Not a picture.").errors_by_field() == {}
    several = {"from": ["Too early."], "to": ["Too late."]}
    assert Refusal("Two problems.", field_errors=several).errors_by_field() == several


def test_busy_is_a_refusal_with_its_own_words_and_status():
    busy = EventBusy()
    assert isinstance(busy, Busy) and isinstance(busy, Refusal)
    assert not isinstance(busy, EventRefused)  # `except Refused` does not swallow it
    assert (busy.status, busy.code, busy.field) == (503, "busy", None)
    assert busy.message == str(EventBusy.message)


def test_the_api_answers_any_refusal_in_its_shape():
    response = refusal_response(MentorshipRefused("Closed.", field="role", status=409))
    assert response.status_code == 409
    assert json.loads(response.content) == {"detail": "Closed.", "errors": {"role": ["Closed."]}}
    assert "Retry-After" not in response

    busy = refusal_response(EventBusy())
    assert busy.status_code == 503
    assert busy["Retry-After"] == "2"
    assert json.loads(busy.content) == {"detail": str(EventBusy.message), "errors": {}}


class TitleForm(forms.Form):
    title = forms.CharField()


def test_a_refusal_on_a_form():
    form = TitleForm(data={"title": "x"})
    assert form.is_valid()
    add_to_form(form, CollectiveRefused("Taken.", field="title"))
    add_to_form(form, CollectiveRefused("Not open."))  # "collective": no such field
    assert form.errors == {"title": ["Taken."], "__all__": ["Not open."]}


@pytest.mark.parametrize(
    "status, shown", [(400, 400), (403, 403), (404, 404), (409, 409), (503, 409)]
)
def test_page_status(status, shown):
    assert page_status(Refusal("No.", status=status)) == shown
    assert page_status(EventBusy()) == 503
