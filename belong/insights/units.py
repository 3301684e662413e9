"""What a release counts, as the engine takes it (belong.lib.releases): each topic's tables,
its groups (the rows) and its units (a person, a membership, an attendance...), each with an
opaque token, a record key and the column it counts in for each table.

A token is an HMAC of what the unit is (never its id in clear): the engine keeps per-unit
digests between releases and needs a name for each unit that stays the same. A person's record
key is random and stored (RecordKey, made on first need); a unit that is not a person (an
attendance, a meeting) takes a key derived from its token with the same secret, as
unpredictable to a reader and as stable."""

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field

from django.conf import settings

from belong.insights.models import RecordKey

KEY_SPACE = 2**32


def secret() -> bytes:
    """The secret of tokens, derived keys and the engine's digests (from SECRET_KEY: rotating
    it refreshes every group once at the next release)."""
    return hmac.new(settings.SECRET_KEY.encode(), b"belong:releases", hashlib.sha256).digest()


def token(kind: str, *ids) -> str:
    text = ":".join([kind, *(str(i) for i in ids)])
    return hmac.new(secret(), text.encode(), hashlib.sha256).hexdigest()[:32]


def derived_key(unit_token: str) -> int:
    digest = hmac.new(secret(), b"key:" + unit_token.encode(), hashlib.sha256).digest()
    return int.from_bytes(digest[:4], "big")


def person_keys(person_ids) -> dict:
    """{person id: record key}, making the keys that do not exist yet (in bulk)."""
    ids = set(person_ids)
    keys = dict(RecordKey.objects.filter(person_id__in=ids).values_list("person_id", "key"))
    missing = ids - keys.keys()
    if missing:
        RecordKey.objects.bulk_create(
            [RecordKey(person_id=pk, key=secrets.randbelow(KEY_SPACE)) for pk in missing],
            ignore_conflicts=True,
        )
        keys.update(RecordKey.objects.filter(person_id__in=missing).values_list("person_id", "key"))
    return keys


@dataclass
class Table:
    key: str
    columns: list
    row_totals: bool = False
    column_totals: bool = False
    grand_total: bool = False


@dataclass
class Unit:
    token: str
    record_key: int
    group: str
    cells: dict


@dataclass
class Source:
    """One topic as of now: what the engine publishes (tables, groups, units), the facts the
    pages need beside it (`meta`: labels of the rows as of the cut, sessions held...) and the
    tokens of a person's units (`tokens_of`), for the people whose consent or data must leave."""

    topic: str
    tables: list
    groups: list
    units: list
    meta: dict = field(default_factory=dict)
    tokens_of: object = None  # tokens_of(person ids) -> set of tokens
    # Counts self-identification: a revoked consent or erased answers make the person leave.
    consent_based: bool = False
    # The combinations of cells a unit can have ({table: column or None}), when the tables
    # describe the same people (the engine's check then reasons across them as a reader can);
    # None: any combination.
    types: list | None = None

    def departed(self, person_ids) -> set:
        if not person_ids or self.tokens_of is None:
            return set()
        return set(self.tokens_of(person_ids))


def month_key(month) -> str:
    return f"{month:%Y-%m}"
