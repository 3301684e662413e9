"""Every day or time the API takes (query, path or body) is bounded and written one way: the
OpenAPI document gives each the Day pattern (YYYY-MM-DD, 1900 to 2999), so that a new date
parameter cannot take `0` for 1 January 1970 again, and schema fuzzers know the bounds."""

from belong.api.api import api
from belong.api.schemas import DAY_PATTERN

DOCUMENT = api.get_openapi_schema()
TIME_FORMATS = {"date", "date-time", "time"}


def _schemas(schema):
    """A schema and the schemas inside it (anyOf, items, properties), $refs followed."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = DOCUMENT["components"]["schemas"][name]
    yield schema
    for part in schema.get("anyOf", []) + schema.get("allOf", []):
        yield from _schemas(part)
    if "items" in schema:
        yield from _schemas(schema["items"])
    for value in schema.get("properties", {}).values():
        yield from _schemas(value)


def inputs():
    for path, operations in DOCUMENT["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                for schema in _schemas(parameter.get("schema", {})):
                    yield f"{method} {path} {parameter['name']}", schema
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                for schema in _schemas(body["schema"]):
                    yield f"{method} {path} body", schema


def test_every_day_or_time_the_api_takes_carries_the_day_pattern():
    timed = [(where, schema) for where, schema in inputs() if schema.get("format") in TIME_FORMATS]
    assert {where for where, _schema in timed} >= {
        "get /api/v1/events from",
        "get /api/v1/events to",
        "post /api/v1/mentorship/matches/{match_id}/meetings body",
    }
    for where, schema in timed:
        assert schema["format"] == "date", where  # no time of day is taken anywhere yet
        assert schema.get("pattern") == DAY_PATTERN, where
