from django.core.management.base import BaseCommand

from belong.home.seed import load_content


class Command(BaseCommand):
    help = (
        "Create the seed content (collectives, courses, the mentorship program, the diversity "
        "statement, ...) that is missing. Idempotent: never changes or duplicates what exists."
    )

    def handle(self, *args, **options):
        load_content(stdout=self.stdout if options["verbosity"] else None)
