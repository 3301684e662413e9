from django.core.management.base import BaseCommand

from belong.home import periodic


class Command(BaseCommand):
    help = (
        "Run Belong's scheduled work once (idempotent): retry due outbox messages, and each "
        "later job as it is added. Run it from cron or a systemd timer every minute or so."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Print nothing unless it fails.")

    def handle(self, *args, quiet=False, **options):
        results = periodic.run_all()
        if not quiet:
            for name, outcome in results.items():
                self.stdout.write(f"{name}: {outcome}")
