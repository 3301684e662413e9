"""Erase a person's personal data on their request, for operators (the person can do it
themselves on /me/privacy/erase-account/)."""

from django.core.management.base import BaseCommand, CommandError

from belong.people import personal_data
from belong.people.models import Person


class Command(BaseCommand):
    help = (
        "Erase the personal data of the person with this email address (what others need stays, "
        "naming no one; docs/privacy.md). Cannot be undone: needs --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", help="The person's email address.")
        parser.add_argument("--yes", action="store_true", help="Really erase.")

    def handle(self, *args, email, yes, **options):
        person = Person.objects.filter(email__iexact=email.strip()).first()
        if person is None:
            raise CommandError(f"No person with the email address {email!r}.")
        if not yes:
            raise CommandError(f"This erases {person.email}'s personal data for good: add --yes.")
        personal_data.erase(person, actor=None)
        self.stdout.write(f"Erased: the account is now {person.pk} ({Person.ERASED_DOMAIN}).")
