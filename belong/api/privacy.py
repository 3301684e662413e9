"""The caller's self-identification and consents: for their owner only (there is no endpoint
that reads another person's), never cached."""

import datetime

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from belong.api.auth import SIGNED_IN, caller
from belong.api.errors import ErrorOut, error_body
from belong.api.schemas import BodyIn, choice
from belong.people import identity, privacy
from belong.people.models import Consent

router = Router(tags=["privacy"], auth=SIGNED_IN)
Purpose = choice(Consent.Purpose)

QUESTIONS = ", ".join(f"`{d.key}`" for d in identity.DIMENSIONS)


class AnswersIn(BodyIn):
    answers: dict


class AnswersOut(Schema):
    answers: dict


class ConsentOut(Schema):
    purpose: Purpose
    given_at: datetime.datetime
    revoked_at: datetime.datetime | None

    @staticmethod
    def resolve_given_at(obj):
        return timezone.localtime(obj.given_at)

    @staticmethod
    def resolve_revoked_at(obj):
        return obj.revoked_at and timezone.localtime(obj.revoked_at)


@router.get(
    "/me/self-identification",
    response={200: AnswersOut, 401: ErrorOut},
    summary="My self-identification",
    description="Only ever the caller's own answers.",
)
def get_answers(request, response: HttpResponse):
    add_never_cache_headers(response)
    return {"answers": privacy.answers_of(caller(request))}


@router.put(
    "/me/self-identification",
    response={200: AnswersOut, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut},
    summary="Replace my self-identification",
    description=(
        f'`answers` has an entry per question answered ({QUESTIONS}): `{{"values": [...], '
        '"self_description": "..."}` or `{"prefer_not": true}`; a question left out is not '
        'answered, and `{"answers": {}}` erases the row. A bad answer is a 400 naming the '
        "question, and a body that is not an object with `answers` a 422; nothing changes."
    ),
)
def put_answers(request, payload: AnswersIn, response: HttpResponse):
    add_never_cache_headers(response)
    try:
        answers = privacy.save_answers(person=caller(request), answers=payload.answers)
    except identity.Invalid as invalid:
        return JsonResponse(
            error_body(invalid.message, {invalid.field: [invalid.message]}), status=400
        )
    return {"answers": answers}


@router.get(
    "/me/consents",
    response={200: list[ConsentOut], 401: ErrorOut},
    summary="The record of my consents",
)
def get_consents(request):
    return privacy.history(caller(request))


@router.put(
    "/me/consents/{purpose}",
    response={200: ConsentOut, 401: ErrorOut, 422: ErrorOut},
    summary="Give my consent to a use",
    description="Giving a consent that stands changes nothing.",
)
def give_consent(request, purpose: Purpose):
    return privacy.give(person=caller(request), purpose=purpose)


@router.delete(
    "/me/consents/{purpose}",
    response={204: None, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Revoke my consent to a use",
    description="At once; a 404 when no consent to it stands.",
)
def revoke_consent(request, purpose: Purpose):
    if privacy.revoke(person=caller(request), purpose=purpose) is None:
        return JsonResponse(error_body(_("No consent to this use stands.")), status=404)
    return Status(204, None)
