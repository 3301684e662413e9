"""The keys that seal self-identification (BELONG_IDENTITY_KEYS): make one, see which rows each
key sealed, reseal every row with the first key, and pad the rows sealed before every document
was padded to one size. The procedure is in docs/operations.md."""

from cryptography.fernet import Fernet, InvalidToken
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models.functions import Length

from belong.people import sealed
from belong.people.models import SelfIdentification
from belong.people.sealed import identity_keys, token_length

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


def unpadded():
    """The rows whose token is not as long as every token sealed now: sealed before documents
    were padded (or padded to another size). Read from the column's length, no key needed."""
    return (
        SelfIdentification.objects.annotate(sealed_length=Length("answers"))
        .exclude(sealed_length=token_length())
        .order_by("pk")
        .values_list("pk", flat=True)
    )


class Command(BaseCommand):
    help = (
        "new: print a new key (put it first in BELONG_IDENTITY_KEYS). status: how many rows "
        "each key sealed, and how many are not padded. rotate: reseal every row with the first "
        "key; afterwards the other keys can be removed. reseal: reseal, with the first key, "
        "only the rows not padded to one size (once after upgrading; harmless to repeat)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["new", "status", "rotate", "reseal"])

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
            short = unpadded().count()
            if short:
                self.stdout.write(
                    f"not padded: {short} rows (their length shows how much was answered; "
                    "run `manage.py identity_keys reseal`)"
                )
            if unopened:
                raise CommandError(f"{unopened} rows open with none of the keys.")
            return
        if action == "reseal":
            resealed = self._reseal(list(unpadded()))
            self.stdout.write(f"Padded and resealed {resealed} rows with key 1.")
            return
        ids = list(SelfIdentification.objects.order_by("pk").values_list("pk", flat=True))
        resealed = self._reseal(ids)
        self.stdout.write(f"Resealed {resealed} rows with key 1.")
        for name, reseal in sorted(sealed.RESEALERS.items()):
            self.stdout.write(f"Resealed {reseal()} {name} with key 1.")

    def _reseal(self, ids):
        resealed = 0
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():
                rows = SelfIdentification.objects.select_for_update().filter(
                    pk__in=ids[start : start + BATCH]
                )
                for row in rows:
                    # Opened with whichever key sealed it, sealed again with the first (and
                    # padded: every token sealed now has one length); the update leaves
                    # `updated_at` alone: the answers did not change.
                    SelfIdentification.objects.filter(pk=row.pk).update(answers=row.answers)
                    resealed += 1
        return resealed
