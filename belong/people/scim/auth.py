"""The SCIM client's bearer token: `Authorization: Bearer <secret>`, found by the SHA-256 of
the secret among ScimTokens not revoked (a lookup by digest: nothing is compared character by
character). Nothing else signs a SCIM request in: not a session, not a person's API token."""

from django.utils import timezone

from belong.people.models import ScimToken

MAX_SECRET = 200


def token_for(request):
    """The ScimToken the request carries, or None; its last use is recorded."""
    header = request.headers.get("Authorization", "")
    scheme, _space, secret = header.partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret or len(secret) > MAX_SECRET:
        return None
    token = ScimToken.objects.filter(digest=ScimToken.hash(secret), revoked_at=None).first()
    if token is not None:
        now = timezone.now()
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
