"""SCIM tokens for the institution's directory (Entra, Okta): make one, list them, revoke one."""

from django.core.management.base import BaseCommand, CommandError

from belong.lib.refusals import Refusal
from belong.people.models import ScimToken
from belong.people.scim import tokens


class Command(BaseCommand):
    help = (
        "SCIM provisioning tokens. `scim_token create NAME` makes one and prints its secret "
        "once (Belong keeps only its SHA-256); `scim_token --list` lists them; "
        "`scim_token --revoke ID_OR_NAME` revokes one for good. See docs/provisioning.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("words", nargs="*", metavar="create NAME")
        parser.add_argument("--revoke", metavar="ID_OR_NAME", help="Revoke this token.")
        parser.add_argument("--list", action="store_true", dest="listing", help="List the tokens.")

    def handle(self, *args, words, revoke=None, listing=False, **options):
        chosen = sum([bool(words), revoke is not None, listing])
        if chosen != 1:
            raise CommandError("Say one of: create NAME, --revoke ID_OR_NAME, --list.")
        try:
            if listing:
                self._list()
            elif revoke is not None:
                token = tokens.revoke_scim_token(id_or_name=revoke)
                self.stdout.write(f"Revoked SCIM token {token.pk} “{token.name}”.")
            else:
                if words[0] != "create" or len(words) < 2:
                    raise CommandError("Usage: scim_token create NAME")
                token, secret = tokens.create_scim_token(name=" ".join(words[1:]))
                self.stdout.write(secret)
                self.stderr.write(
                    f"SCIM token {token.pk} “{token.name}” made. The secret above is shown only "
                    "this once: give it to the directory as its bearer token."
                )
        except Refusal as refused:
            raise CommandError(refused.message) from None

    def _list(self):
        rows = ScimToken.objects.order_by("pk")
        if not rows.exists():
            self.stdout.write("No SCIM tokens.")
            return
        for token in rows:
            used = (
                token.last_used_at.isoformat(timespec="seconds") if token.last_used_at else "never"
            )
            state = (
                f"revoked {token.revoked_at.isoformat(timespec='seconds')}"
                if token.revoked_at
                else "active"
            )
            self.stdout.write(
                f"{token.pk}\t{token.name}\t…{token.hint}\tcreated "
                f"{token.created_at.isoformat(timespec='seconds')}\tlast used {used}\t{state}"
            )
