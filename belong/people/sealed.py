"""A JSON document sealed at rest: the column holds one Fernet token, never a plain value (not
even the keys of the document, which would say which questions a person answered).

Every token has the same length. A Fernet token is as long as what it seals, so the document
(compact JSON, UTF-8) is padded with spaces to `SEALED_SIZE` bytes before it is sealed: without
the padding, the length alone told which questions were answered and, for some lengths, the
answers. JSON ignores whitespace after the value, so the padding goes on reading, and a token
sealed before padding (shorter) still opens; `manage.py identity_keys reseal` pads those. A
document that would not fit is refused, never cut (`SealedTooLarge`, and a ValidationError from
the field's `clean`); `SEALED_SIZE` fits the largest document the self-identification questions
accept (belong.people.identity.largest_answers; a test holds the two together).

The encryption is django-fernet-encrypted-fields'. What is ours: the keys are Fernet keys from
the environment (`settings.IDENTITY_KEYS`, the first seals, each one opens), not derived from
SECRET_KEY, so that the secret key and the identity keys rotate apart; a token no key opens is an
error (the library would hand back the token itself as if it were the value); and a dump of the
database (`dumpdata`) carries the token, which `loaddata` opens again.
"""

import functools
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext
from encrypted_fields.fields import EncryptedTextField

# The size every sealed document is padded to, in bytes of its JSON. The largest answers the
# questions accept take 7,905 (every choice ticked, every self-description 200 characters that
# JSON writes as six bytes each): 8 KiB leaves room for a short new question. Changing it changes
# the length of every new token: run `manage.py identity_keys reseal` after, so old rows follow.
SEALED_SIZE = 8192


class SealedKeyError(ImproperlyConfigured):
    """No key in BELONG_IDENTITY_KEYS opens a sealed value."""


class SealedTooLarge(ValueError):
    """A document larger than SEALED_SIZE: it is refused, never cut."""

    def __init__(self, size):
        self.size = size
        super().__init__(too_large_message(size))


def too_large_message(size) -> str:
    return gettext(
        "This document takes %(size)s bytes once written out, and a sealed document holds at "
        "most %(most)s: nothing was stored. Shorten it."
    ) % {"size": size, "most": SEALED_SIZE}


def encode(value) -> bytes:
    """The document as it is sealed, before padding: compact JSON in UTF-8 with its keys sorted
    (so equal documents are equal bytes). Characters are written as themselves, four bytes at
    most, rather than escaped (up to twelve); only control characters are escaped (six)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def padded(value) -> bytes:
    """`encode(value)` padded with spaces to exactly SEALED_SIZE bytes; SealedTooLarge if it
    does not fit."""
    plain = encode(value)
    if len(plain) > SEALED_SIZE:
        raise SealedTooLarge(len(plain))
    return plain + b" " * (SEALED_SIZE - len(plain))


@functools.lru_cache(maxsize=1)
def token_length() -> int:
    """The length of every token sealed now (a Fernet token's length follows only the length
    of what it seals, whatever the key)."""
    return len(Fernet(Fernet.generate_key()).encrypt(b" " * SEALED_SIZE))


def identity_keys() -> list[bytes]:
    keys = []
    for position, key in enumerate(settings.IDENTITY_KEYS, start=1):
        try:
            Fernet(key)
        except ValueError as exc:
            raise ImproperlyConfigured(
                f"BELONG_IDENTITY_KEYS: key {position} is not a Fernet key (32 bytes, urlsafe "
                "base64); make one with `manage.py identity_keys new`."
            ) from exc
        keys.append(key.encode("ascii"))
    if not keys:
        raise ImproperlyConfigured("BELONG_IDENTITY_KEYS holds no key.")
    return keys


@functools.lru_cache(maxsize=8)
def _fernet(keys: tuple) -> MultiFernet:
    identity_keys()  # checks every key, naming a bad one
    return MultiFernet([Fernet(key.encode("ascii")) for key in keys])


class SealedJSONField(EncryptedTextField):
    """A dict or list, stored as one Fernet token of its JSON."""

    @property
    def keys(self):
        return identity_keys()

    @property
    def f(self):
        # Looked up on every use so that a key change (rotation, a test) takes effect at once;
        # built once per set of keys.
        return _fernet(tuple(settings.IDENTITY_KEYS))

    def get_prep_value(self, value):
        if value is None:
            return None
        return self.f.encrypt(padded(value)).decode("ascii")

    def open(self, token: str):
        try:
            plain = self.f.decrypt(token.encode("ascii"))
        except InvalidToken:
            raise SealedKeyError(
                "A sealed value could not be opened with any key in BELONG_IDENTITY_KEYS: a key "
                "was removed before `manage.py identity_keys rotate` resealed every row."
            ) from None
        # The padding is whitespace after the value; a token sealed before padding has none.
        return json.loads(plain.rstrip(b" "))

    def from_db_value(self, value, expression, connection):
        return None if value is None else self.open(value)

    def to_python(self, value):
        if isinstance(value, str):  # a token from a dump (loaddata)
            return self.open(value)
        return value

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return self.get_prep_value(value)

    def clean(self, value, model_instance):
        if value is not None:
            size = len(encode(value))
            if size > SEALED_SIZE:
                raise ValidationError(too_large_message(size), code="too_large")
        return value


# Other columns sealed with the identity keys, in apps above people (the release engine's state):
# each registers a function that reseals its rows with the first key and returns how many, so
# that `identity_keys rotate` leaves nothing sealed with a key about to be removed.
RESEALERS: dict = {}


def register_resealer(name, reseal) -> None:
    RESEALERS[name] = reseal
