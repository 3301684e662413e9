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


class Mint:
    """Tokens and derived keys under one secret: HMAC-SHA256 (RFC 2104) from its inner and
    outer pads, hashed once. A release makes a token and a key for each of about a million
    units; hashing the padded key afresh for each (hmac.new, hmac.digest) and reading
    settings.SECRET_KEY for each took most of the time gathering them."""

    __slots__ = ("secret", "_inner", "_outer")

    def __init__(self, secret: bytes):
        self.secret = secret
        block = secret.ljust(hashlib.sha256().block_size, b"\0")  # 32 bytes: never hashed first
        self._inner = hashlib.sha256(bytes(b ^ 0x36 for b in block))
        self._outer = hashlib.sha256(bytes(b ^ 0x5C for b in block))

    def mac(self, message: bytes) -> bytes:
        inside = self._inner.copy()
        inside.update(message)
        outside = self._outer.copy()
        outside.update(inside.digest())
        return outside.digest()

    def token(self, kind: str, *ids) -> str:
        text = f"{kind}:{ids[0]}" if len(ids) == 1 else ":".join([kind, *map(str, ids)])
        return self.mac(text.encode()).hex()[:32]

    def derived_key(self, unit_token: str) -> int:
        return int.from_bytes(self.mac(b"key:" + unit_token.encode())[:4], "big")


_minted: tuple = ("", None)  # (the SECRET_KEY, its Mint)


def mint() -> Mint:
    """The Mint of the current SECRET_KEY (made once per key). Loops over many units take it
    once and call its `token` and `derived_key`."""
    global _minted
    key = settings.SECRET_KEY
    if _minted[0] != key:
        _minted = (key, Mint(hmac.digest(key.encode(), b"belong:releases", hashlib.sha256)))
    return _minted[1]


def secret() -> bytes:
    """The secret of tokens, derived keys and the engine's digests (from SECRET_KEY: rotating
    it refreshes every group once at the next release)."""
    return mint().secret


def token(kind: str, *ids) -> str:
    return mint().token(kind, *ids)


def derived_key(unit_token: str) -> int:
    return mint().derived_key(unit_token)


# Above this many people, their keys are read with the whole table (one row per person who ever
# had one) rather than named one by one in a query: a release asks for every workforce person's.
MANY = 1000


def _keys_of(ids) -> dict:
    rows = RecordKey.objects.values_list("person_id", "key")
    if len(ids) <= MANY:
        return dict(rows.filter(person_id__in=ids))
    return {pk: key for pk, key in rows if pk in ids}


def person_keys(person_ids) -> dict:
    """{person id: record key}, making the keys that do not exist yet (in bulk)."""
    ids = set(person_ids)
    keys = _keys_of(ids)
    missing = ids - keys.keys()
    if missing:
        RecordKey.objects.bulk_create(
            [RecordKey(person_id=pk, key=secrets.randbelow(KEY_SPACE)) for pk in missing],
            ignore_conflicts=True,
        )
        keys.update(_keys_of(missing))
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
