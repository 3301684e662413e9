"""belong.lib.storable: the one check for characters the databases refuse, and proof on
PostgreSQL that it refuses exactly what PostgreSQL refuses."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, connection, transaction

from belong.lib import storable

REFUSED = ["\x00", "a\x00b", "\ud800", "x\udfff", json.loads('"\\udc00 lone"')]
STORED = [
    "",
    "plain",
    "\x01\x1f\x7f",
    "\ufffe\uffff",
    "é ü ñ 中文",
    "😀",
    json.loads('"\\ud83d\\ude00"'),
]


@pytest.mark.parametrize("text", REFUSED)
def test_nul_and_lone_surrogates_are_refused(text):
    assert storable.problem(text) is not None
    with pytest.raises(ValidationError):
        storable.validate_storable(text)


@pytest.mark.parametrize("text", STORED)
def test_everything_else_is_stored_as_given(text):
    assert storable.problem(text) is None
    storable.validate_storable(text)


def test_the_message_names_the_character():
    assert "U+0000" in str(storable.problem("a\x00"))
    assert "U+D800" in str(storable.problem("a\ud800"))


def test_pairs_name_the_field_and_print_a_bad_name():
    assert storable.first_in_pairs([("q", "ok"), ("page", "1")]) is None
    field, _ = storable.first_in_pairs([("q", "ok"), ("topic", "a\x00")])
    assert field == "topic"
    field, _ = storable.first_in_pairs([("to\x00pic", "fine")])
    assert field == "to\\x00pic"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"notes": "a\\u0000"}', "notes"),
        ('{"ok": 1, "answers": [{"text": "fine"}, {"text": "\\ud800"}]}', "answers.1.text"),
        ('["fine", "\\u0000"]', "1"),
        ('"\\u0000"', "body"),
        ('{"a": {"b\\u0000": 1}}', "a.b\\x00"),
    ],
)
def test_json_is_walked_and_the_field_named_as_the_api_names_it(body, field):
    found = storable.first_in_json(json.loads(body))
    assert found is not None and found[0] == field


def test_clean_json_passes():
    assert storable.first_in_json({"a": [1, 2.5, None, True, {"b": "😀"}], "c": ""}) is None


def test_any_depth_is_walked_without_recursion():
    deep = "\x00"
    for _ in range(20000):  # far beyond Python's recursion limit
        deep = [deep]
    assert storable.first_in_json(deep)[0] == ".".join(["0"] * 20000)


@pytest.mark.postgres
@pytest.mark.django_db
@pytest.mark.parametrize("text", REFUSED + STORED)
def test_postgresql_refuses_exactly_what_the_check_refuses(text):
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT %s::text", [text])
            echoed = cursor.fetchone()[0]
    except (DataError, UnicodeEncodeError):
        echoed = None
    assert (echoed is None) == (storable.problem(text) is not None)
    assert echoed in (None, text)
