from django.core.management.base import BaseCommand, CommandError

from belong.home.demo import DemoDisabled, load_demo


class Command(BaseCommand):
    help = "Load demo people, sessions and memberships (only when BELONG_DEMO is on; idempotent)."

    def handle(self, *args, **options):
        try:
            made = load_demo()
        except DemoDisabled as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"]:
            summary = ", ".join(f"{count} {name}" for name, count in made.items())
            self.stdout.write(f"Demo data: created {summary}.")
