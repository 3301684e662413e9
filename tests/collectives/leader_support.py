"""Naming a leader in a test's setting, without the email that tells them.

Every appointment emails the person named (tests/collectives/test_leader_actions.py proves it);
tests about other messages (announcements, recommendations, experiences) set their leaders up
with `appoint` so that their outbox holds only what they look at.
"""

from django.core import mail

from belong.collectives.actions import leaders
from belong.notifications.models import OutboundMessage

TOLD = ("leader:", "leader-ended:", "leader-withdrawn:")


def forget_leader_mail():
    """Drop the appointment and end-of-term messages from the outbox and the sent mail."""
    for prefix in TOLD:
        OutboundMessage.objects.filter(key__startswith=prefix).delete()
    mail.outbox[:] = [m for m in mail.outbox if "account was changed" not in m.subject]


def appoint(collective_id, **kwargs):
    role = leaders.appoint_leader(collective_id, **kwargs)
    forget_leader_mail()
    return role


def end_term(role_id, **kwargs):
    role = leaders.end_leader_term(role_id, **kwargs)
    forget_leader_mail()
    return role
