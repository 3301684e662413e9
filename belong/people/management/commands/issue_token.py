"""Print a new personal access token for a person, for operators and scripts."""

from django.core.management.base import BaseCommand, CommandError

from belong.people import actions
from belong.people.models import ApiToken, Person

DEFAULT_NAME = "issued by manage.py issue_token"


class Command(BaseCommand):
    help = (
        "Create a personal access token for the person with this email address and print it. "
        "The token is shown only this once: Belong keeps only its SHA-256."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The person's email address.")
        parser.add_argument(
            "--name",
            default=DEFAULT_NAME,
            help=f"What the token is for (at most 80 characters; default: {DEFAULT_NAME!r}).",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="How many days the token lasts (default: BELONG_API_TOKEN_DAYS, 90; at most "
            "BELONG_API_TOKEN_MAX_DAYS, 365).",
        )
        parser.add_argument(
            "--scope",
            action="append",
            choices=ApiToken.Scope.values,
            dest="scopes",
            help="What the token may do: read, write, identity (one's self-identification and "
            "consents). Repeat it for several; default: read and write.",
        )

    def handle(self, *args, email, name, days=None, scopes=None, **options):
        name = name.strip()
        max_length = ApiToken._meta.get_field("name").max_length
        if not name:
            raise CommandError("--name must not be empty.")
        if len(name) > max_length:
            raise CommandError(f"--name must be at most {max_length} characters.")
        person = Person.objects.filter(email__iexact=email.strip()).first()
        if person is None:
            raise CommandError(f"No person with the email address {email!r}.")
        if not person.is_active:
            raise CommandError(f"{email} is not active: a token for them would not work.")
        try:
            token, secret = actions.create_token(person=person, name=name, days=days, scopes=scopes)
        except actions.TokenRefused as refusal:
            raise CommandError(f"--{refusal.field}: {refusal.message}") from refusal
        if options["verbosity"] > 1:
            self.stderr.write(f"Token {token.hint}… ({token.name!r}) for {person.email}")
        self.stdout.write(secret)
