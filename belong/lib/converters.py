"""URL path converters. ``<id:pk>`` is a row's id: digits up to ``MAX_ID``; anything larger is
simply no such row (404) instead of an integer the database cannot compare (a 500 on SQLite).

Registered when this module is imported, which ``belong/urls.py`` does before it includes any
app's urls. The API declares the same bound on its path parameters (``le=MAX_ID``).
"""

from django.urls import register_converter

# The largest id any of our databases stores: a signed 64-bit integer (BigAutoField).
MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]+"

    def to_python(self, value):
        number = int(value)  # a ValueError (too many digits for int()) is no match too
        if number > MAX_ID:
            raise ValueError("beyond any id")  # Django: this route does not match -> 404
        return number

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
