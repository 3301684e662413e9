"""Every write and read of self-identification and consent.

The owner reads and changes their own answers and consents here. A use (mentorship matching,
aggregate reporting) reads answers only through `read_for`, which returns only the people whose
consent to that use stands at that moment and writes one audit entry for the read (which use,
how many people, why; never a value). Revoking a consent or erasing the answers takes effect for
every later read: nothing is copied out of the sealed row.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.people import identity
from belong.people.actions import audit
from belong.people.models import AuditEvent, Consent, Person, SelfIdentification

Purpose = Consent.Purpose


def answers_of(person) -> dict:
    """The person's own answers ({} when they gave none). For their eyes only."""
    row = SelfIdentification.objects.filter(person=person).first()
    return row.answers if row is not None else {}


def has_answers(person) -> bool:
    """Whether the person gave any answer (nothing is opened to tell)."""
    return SelfIdentification.objects.filter(person=person).exists()


@transaction.atomic
def save_answers(*, person, answers) -> dict:
    """Replace the person's answers with `answers` (checked: identity.Invalid names the
    question at fault and nothing changes). No answer at all erases the row."""
    cleaned = identity.clean_answers(answers)
    if not cleaned:
        erase_answers(person=person)
        return {}
    SelfIdentification.objects.update_or_create(person=person, defaults={"answers": cleaned})
    audit(actor=person, verb="identity.saved", obj=person)
    return cleaned


@transaction.atomic
def erase_answers(*, person) -> bool:
    deleted, _rows = SelfIdentification.objects.filter(person=person).delete()
    if deleted:
        audit(actor=person, verb="identity.erased", obj=person)
    return bool(deleted)


def standing(person) -> dict:
    """{purpose: the consent that stands} for the person."""
    return {
        consent.purpose: consent
        for consent in Consent.objects.filter(person=person, revoked_at__isnull=True)
    }


def history(person) -> list[Consent]:
    return list(Consent.objects.filter(person=person).order_by("-given_at", "-pk"))


def give(*, person, purpose, now=None) -> Consent:
    """The person consents to `purpose`; giving a consent that stands changes nothing."""
    if purpose not in Purpose.values:
        raise identity.Invalid(
            _("Consent is given for one of: %(purposes)s.")
            % {"purposes": ", ".join(Purpose.values)},
            field="purpose",
        )
    try:
        with transaction.atomic():
            Person.objects.select_for_update().filter(pk=person.pk).first()
            existing = Consent.objects.filter(
                person=person, purpose=purpose, revoked_at__isnull=True
            ).first()
            if existing is not None:
                return existing
            consent = Consent.objects.create(
                person=person, purpose=purpose, given_at=now or timezone.now()
            )
            audit(actor=person, verb="consent.given", obj=consent, purpose=purpose)
            return consent
    except IntegrityError:  # the same consent given twice at once: the other one stands
        return Consent.objects.get(person=person, purpose=purpose, revoked_at__isnull=True)


@transaction.atomic
def revoke(*, person, purpose, now=None) -> Consent | None:
    """The person's consent to `purpose` stops at once; None when none stood."""
    consent = (
        Consent.objects.select_for_update()
        .filter(person=person, purpose=purpose, revoked_at__isnull=True)
        .first()
    )
    if consent is None:
        return None
    consent.revoked_at = now or timezone.now()
    consent.save(update_fields=["revoked_at"])
    audit(actor=person, verb="consent.revoked", obj=consent, purpose=purpose)
    return consent


def consenting(purpose, person_ids) -> set:
    """The ids among `person_ids` whose consent to `purpose` stands."""
    return set(
        Consent.objects.filter(
            purpose=purpose, revoked_at__isnull=True, person_id__in=list(person_ids)
        ).values_list("person_id", flat=True)
    )


def read_for(purpose, person_ids, *, actor, why, obj=None) -> dict:
    """{person id: answers} for the people among `person_ids` (ids, or a queryset of them)
    whose consent to `purpose` stands and who answered; one audit entry records the read
    (its purpose and why: never a value, nor how many people were read, which would be an
    exact count of people that moves with one person's consent). One query: the consent is
    joined, not listed."""
    rows = SelfIdentification.objects.filter(
        person_id__in=person_ids,
        person__consents__purpose=purpose,
        person__consents__revoked_at__isnull=True,
    ).values_list("person_id", "answers")
    answers = dict(rows)
    audit(actor=actor, verb="identity.read", obj=obj, purpose=purpose, why=why)
    return answers


def changed_since(purpose, person_ids, moment) -> bool:
    """Whether any of `person_ids` gave or revoked their consent to `purpose`, or changed or
    erased their answers, after `moment` (a use made before must then be made again)."""
    ids = list(person_ids)
    consents = Consent.objects.filter(purpose=purpose, person_id__in=ids).filter(
        Q(given_at__gt=moment) | Q(revoked_at__gt=moment)
    )
    answers = SelfIdentification.objects.filter(person_id__in=ids, updated_at__gt=moment)
    erased = AuditEvent.objects.filter(
        verb="identity.erased",
        at__gt=moment,
        object_type="people.person",
        object_id__in=[str(pk) for pk in ids],
    )
    return consents.exists() or answers.exists() or erased.exists()
