"""Text the databases can store: the one check for characters PostgreSQL refuses.

PostgreSQL refuses the NUL character (U+0000) in any text, and a lone surrogate (U+D800 to
U+DFFF, which a JSON escape such as ``"\\ud800"`` produces) cannot even be encoded to UTF-8 to
be sent (SQLite's driver refuses it too). Either reaching a query is a 500. Belong refuses them
at the edge instead, naming the field: ``belong.lib.middleware.UnstorableInputMiddleware`` runs
every path, query string, header, form field and JSON body through this module.

Everything else (other control characters, noncharacters such as U+FFFF, emoji) is stored as
given; tests/lib/test_storable.py checks on PostgreSQL that this module refuses exactly what the
database refuses.
"""

from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

NUL = "\x00"
MESSAGE_NUL = gettext_lazy(
    "This contains the NUL character (U+0000), which cannot be stored. Remove it."
)


def _surrogate_message(code):
    return gettext(
        "This contains an unpaired surrogate (%(code)s), which is not a character and cannot be "
        "stored. Remove it."
    ) % {"code": code}


# Translated when shown, in the language the answer is given in.
surrogate_message = lazy(_surrogate_message, str)


def _is_surrogate(char):
    return "\ud800" <= char <= "\udfff"


def problem(text):
    """Why ``text`` cannot be stored (a translatable message), or None if it can."""
    if NUL in text:
        return MESSAGE_NUL
    if text.isascii():
        return None
    for char in text:
        if _is_surrogate(char):
            return surrogate_message(f"U+{ord(char):04X}")
    return None


def printable(name):
    """A field name that may itself hold a refused character, safe to show and to store in
    logs: those characters are written as escapes (``a\\x00b``)."""
    return "".join(
        "\\x00" if char == NUL else f"\\u{ord(char):04x}" if _is_surrogate(char) else char
        for char in name
    )


def validate_storable(value):
    """A Django validator, for a form or model field that wants the check itself."""
    message = problem(value) if isinstance(value, str) else None
    if message is not None:
        raise ValidationError(message, code="unstorable")


def first_in_pairs(pairs):
    """The first refused (field, message) in (name, value) pairs such as a query string's or a
    form's, or None. A refused name is reported under its printable form."""
    for name, value in pairs:
        message = problem(name)
        if message is not None:
            return printable(name), message
        message = problem(value)
        if message is not None:
            return name, message
    return None


def first_in_json(data, root="body"):
    """The first refused (field, message) anywhere in parsed JSON, or None. Fields are named as
    the API names them: ``{"notes": ...}`` -> ``notes``, ``{"answers": [{"text": ...}]}`` ->
    ``answers.0.text``; a bare string body -> ``root``. Walks without recursion, so that no
    nesting depth can exhaust the stack."""
    stack: list[tuple[tuple, object]] = [((), data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, str):
            message = problem(value)
            if message is not None:
                return _dotted(where, root), message
        elif isinstance(value, dict):
            items = []
            for key, item in value.items():
                message = problem(key)
                if message is not None:
                    return _dotted((*where, printable(key)), root), message
                items.append(((*where, key), item))
            stack.extend(reversed(items))
        elif isinstance(value, list):
            stack.extend(reversed([((*where, index), item) for index, item in enumerate(value)]))
    return None


def _dotted(where, root):
    return ".".join(str(part) for part in where) or root
