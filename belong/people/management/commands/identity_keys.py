"""The keys that seal self-identification (BELONG_IDENTITY_KEYS): make one, see which rows each
key sealed, and reseal every row with the first key. The procedure is in docs/operations.md."""

from cryptography.fernet import Fernet, InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from belong.people.models import SelfIdentification
from belong.people.sealed import identity_keys

BATCH = 500


def _raw_tokens():
    table = SelfIdentification._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, answers FROM {table} ORDER BY id")  # noqa: S608 (our table)
        yield from cursor.fetchall()


def _sealed_by(token, keys):
    """The position (0-based) of the key that opens `token`, or None."""
    for position, key in enumerate(keys):
        try:
            Fernet(key).decrypt(token.encode("ascii"))
        except InvalidToken:
            continue
        return position
    return None


class Command(BaseCommand):
    help = (
        "new: print a new key (put it first in BELONG_IDENTITY_KEYS). status: how many rows "
        "each key sealed. rotate: reseal every row with the first key; afterwards the other "
        "keys can be removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["new", "status", "rotate"])

    def handle(self, *args, action, **options):
        if action == "new":
            self.stdout.write(Fernet.generate_key().decode("ascii"))
            return
        keys = identity_keys()
        if action == "status":
            counts = [0] * len(keys)
            unopened = 0
            for _pk, token in _raw_tokens():
                position = _sealed_by(token, keys)
                if position is None:
                    unopened += 1
                else:
                    counts[position] += 1
            for position, count in enumerate(counts, start=1):
                self.stdout.write(f"key {position}: {count} rows")
            if unopened:
                raise CommandError(f"{unopened} rows open with none of the keys.")
            return
        resealed = self._rotate()
        self.stdout.write(f"Resealed {resealed} rows with key 1.")

    def _rotate(self):
        ids = list(SelfIdentification.objects.order_by("pk").values_list("pk", flat=True))
        resealed = 0
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():
                rows = SelfIdentification.objects.select_for_update().filter(
                    pk__in=ids[start : start + BATCH]
                )
                for row in rows:
                    # Opened with whichever key sealed it, sealed again with the first; the
                    # update leaves `updated_at` alone: the answers did not change.
                    SelfIdentification.objects.filter(pk=row.pk).update(answers=row.answers)
                    resealed += 1
        return resealed
