"""Import an HR roster file (CSV or XLSX): docs/provisioning.md "HR roster files"."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from belong.people import roster
from belong.people.models import RosterImport


class Command(BaseCommand):
    help = (
        "Import people from an HR roster file (.csv in UTF-8, or .xlsx): every row is checked "
        "first; nothing is changed unless every row is right. People the file does not name "
        "are left as they are. The report is printed and kept (admin: roster imports)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The roster: a .csv (UTF-8) or .xlsx file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and print every change it would make; change nothing.",
        )

    def handle(self, *args, file, dry_run=False, **options):
        verbosity = options["verbosity"]

        def printed(entry):
            if verbosity >= 1:
                self.stdout.write("\n".join(roster.change_lines(entry)))

        record = roster.import_file(file, dry_run=dry_run, on_line=printed)
        report = record.report
        self.stdout.write(roster.readable(report, with_changes=False))
        if record.outcome == RosterImport.Outcome.REFUSED:
            raise CommandError(
                _("The roster was refused: nothing was changed (report %(id)d).")
                % {"id": record.pk}
            )
