"""The outbox's part of a person's download (belong.people.personal_data): the messages
Belong sent or will send them, with their text as it is kept (a private message's text is
erased once it is sent)."""

from belong.notifications.models import OutboundMessage

SECTION = "messages"

# The decision is spelt out, not imported: notifications sits below people (tests/test_layers.py),
# and a word that is not personal_data.EXPORTED fails tests/people/test_personal_data.py.
FIELDS = {"notifications.OutboundMessage.person": "exported"}


def export(person) -> list:
    return [
        {
            "to": m.to_email,
            "subject": m.subject,
            "text": m.body_text,
            "status": m.status,
            "created": m.created_at,
            "sent": m.sent_at,
        }
        for m in OutboundMessage.objects.filter(person=person).order_by("created_at", "pk")
    ]


ERASE_LAST = 1  # after the apps whose erasure tells the person something


def erase(person, *, now) -> None:
    """Every message to the person goes, sent or not (a message the erasure itself caused
    included): the address they had is not kept anywhere."""
    OutboundMessage.objects.filter(person=person).delete()
    OutboundMessage.objects.filter(to_email__iexact=person.email).delete()
