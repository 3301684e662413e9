"""A JSON document sealed at rest: the column holds one Fernet token, never a plain value (not
even the keys of the document, which would say which questions a person answered).

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
from django.core.exceptions import ImproperlyConfigured
from encrypted_fields.fields import EncryptedTextField


class SealedKeyError(ImproperlyConfigured):
    """No key in BELONG_IDENTITY_KEYS opens a sealed value."""


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
        return self.f.encrypt(json.dumps(value, sort_keys=True).encode("utf-8")).decode("ascii")

    def open(self, token: str):
        try:
            plain = self.f.decrypt(token.encode("ascii"))
        except InvalidToken:
            raise SealedKeyError(
                "A sealed value could not be opened with any key in BELONG_IDENTITY_KEYS: a key "
                "was removed before `manage.py identity_keys rotate` resealed every row."
            ) from None
        return json.loads(plain)

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
        return value
