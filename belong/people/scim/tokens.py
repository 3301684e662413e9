"""SCIM tokens: made and revoked by the installation (`manage.py scim_token`), each audited.
The secret is returned once; only its SHA-256 is kept."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from belong.lib.refusals import Refusal
from belong.people.actions import audit
from belong.people.models import ScimToken

MAX_NAME: int = ScimToken._meta.get_field("name").max_length or 80


class ScimTokenRefused(Refusal):
    code = "scim_token_refused"


@transaction.atomic
def create_scim_token(*, name: str) -> tuple[ScimToken, str]:
    name = " ".join(str(name).split())
    if not name or len(name) > MAX_NAME:
        raise ScimTokenRefused(
            _("A token's name has 1 to %(most)s characters.") % {"most": MAX_NAME}, field="name"
        )
    secret = ScimToken.new_secret()
    token = ScimToken.objects.create(name=name, hint=secret[-4:], digest=ScimToken.hash(secret))
    audit(actor=None, verb="scim_token.created", obj=token, name=name)
    return token, secret


def find(id_or_name: str) -> ScimToken:
    """The active token with this id, or the one active token with this name."""
    text = str(id_or_name).strip()
    tokens = ScimToken.objects.filter(revoked_at=None)
    if text.isdigit() and len(text) < 19:
        found = tokens.filter(pk=int(text)).first()
        if found is not None:
            return found
    named = list(tokens.filter(name=text)[:2])
    if len(named) == 1:
        return named[0]
    if named:
        raise ScimTokenRefused(
            _("Several active tokens are named “%(name)s”: revoke one by its id (--list).")
            % {"name": text},
            field="token",
        )
    raise ScimTokenRefused(
        _("No active SCIM token has the id or name “%(name)s”.") % {"name": text[:100]},
        field="token",
        status=404,
    )


@transaction.atomic
def revoke_scim_token(*, id_or_name: str) -> ScimToken:
    token = ScimToken.objects.select_for_update().get(pk=find(id_or_name).pk)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit(actor=None, verb="scim_token.revoked", obj=token, name=token.name)
    return token
