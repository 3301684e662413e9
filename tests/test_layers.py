"""Imports run one way (issue 15, part 4):

    lib <- notifications <- people <- events, library
        <- training | collectives | mentorship (never each other) <- insights <- api, home

An app may import from the layers below it, never from its own layer's other apps nor from
above. Every module under belong/ is read (imports at module level and inside functions,
`import x` and `from x import y`, relative ones resolved; migrations excluded), and every
app's templates: an `{% include %}` or `{% extends %}` of another app's template directory, or
a `{% load %}` of another app's template tags, is an import too.
"""

import ast
import re
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "belong"

# The layer of each app: an app imports only from apps of a lower layer.
LAYERS = {
    "lib": 0,
    "notifications": 1,
    "people": 2,
    "events": 3,
    "library": 3,
    "training": 4,
    "collectives": 4,
    "mentorship": 4,
    "insights": 5,
    "api": 6,
    "home": 6,
}


class Violation(NamedTuple):
    path: str
    line: int
    source: str
    target: str
    what: str

    def __str__(self):
        return (
            f"{self.path}:{self.line}: {self.source} (layer {LAYERS[self.source]}) imports "
            f"{self.target} (layer {LAYERS[self.target]}): {self.what}"
        )


def against_the_order(source: str, target: str | None) -> bool:
    return target is not None and target != source and LAYERS[target] >= LAYERS[source]


def app_of_module(name: str) -> str | None:
    parts = name.split(".")
    if len(parts) > 1 and parts[0] == "belong" and parts[1] in LAYERS:
        return parts[1]
    return None


def imported_modules(source: str, module: str) -> list[tuple[int, str]]:
    """(line, module name) of every import in `source`, the text of module `module`
    ("belong.people.views"), wherever it stands (module level, functions, classes)."""
    package = module.split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            if app_of_module(name):
                found.append((node.lineno, name))
            else:  # `from belong import training`: the names are the modules
                found.extend((node.lineno, f"{name}.{alias.name}") for alias in node.names)
    return found


def python_violations(path: Path) -> list[Violation]:
    relative = path.relative_to(ROOT)
    source = relative.parts[1]
    module = ".".join(relative.with_suffix("").parts)
    found = []
    for line, name in imported_modules(path.read_text(encoding="utf-8"), module):
        target = app_of_module(name)
        if against_the_order(source, target):
            found.append(Violation(relative.as_posix(), line, source, target, f"import {name}"))
    return found


TAG = re.compile(r"{%-?\s*(include|extends|load)\s+(.*?)\s*-?%}", re.S)
TEMPLATE_NAME = re.compile(r"""^["']([a-z_]+)/""")


def tag_libraries() -> dict:
    """{template tag library: the app that holds it}."""
    return {
        path.stem: path.parent.parent.name
        for path in PACKAGE.glob("*/templatetags/*.py")
        if path.stem != "__init__" and path.parent.parent.name in LAYERS
    }


def template_targets(text: str, libraries: dict) -> list[tuple[int, str, str]]:
    """(line, app, tag) of every include, extends and load in a template's text that names an
    app's template directory or template tags."""
    found = []
    for match in TAG.finditer(text):
        kind, argument = match.groups()
        line = text.count("\n", 0, match.start()) + 1
        if kind == "load":
            words = argument.split()
            # {% load a b %} loads libraries a and b; {% load x y from a %} loads from a.
            names = words[words.index("from") + 1 :] if "from" in words else words
            targets = [libraries.get(name) for name in names]
        else:
            named = TEMPLATE_NAME.match(argument)
            targets = [named.group(1) if named and named.group(1) in LAYERS else None]
        found.extend((line, target, match.group(0)) for target in targets if target)
    return found


def template_violations(path: Path, libraries: dict) -> list[Violation]:
    relative = path.relative_to(ROOT)
    source = relative.parts[1]
    found = []
    for line, target, tag in template_targets(path.read_text(encoding="utf-8"), libraries):
        if against_the_order(source, target):
            found.append(Violation(relative.as_posix(), line, source, target, tag))
    return found


def violations() -> list[Violation]:
    found = []
    libraries = tag_libraries()
    for app in sorted(LAYERS):
        for path in sorted((PACKAGE / app).rglob("*")):
            inside = path.relative_to(PACKAGE / app).parts
            if path.suffix == ".py" and "migrations" not in inside:
                found.extend(python_violations(path))
            elif path.is_file() and inside[0] == "templates":
                found.extend(template_violations(path, libraries))
    return found


def test_every_app_has_a_layer():
    apps = {path.parent.name for path in PACKAGE.glob("*/__init__.py")}
    assert apps == set(LAYERS)


def test_imports_run_one_way():
    against = violations()
    assert not against, "imports against the order of the layers:\n" + "\n".join(
        str(v) for v in against
    )


def test_the_walk_sees_every_kind_of_import():
    source = (
        "import belong.training.models\n"
        "from belong.mentorship import me\n"
        "from belong import insights\n"
        "from .. import api\n"
        "from belong.events.models import Event, Series\n"
        "def view():\n"
        "    from belong.collectives.models import Collective\n"
        "    from ..events.models import Event\n"
    )
    names = imported_modules(source, "belong.people.views")
    assert [(line, app_of_module(name)) for line, name in names] == [
        (1, "training"),
        (2, "mentorship"),
        (3, "insights"),
        (4, "api"),
        (5, "events"),
        (7, "collectives"),
        (8, "events"),
    ]
    assert against_the_order("people", "training")
    assert against_the_order("training", "collectives")  # one layer: never each other
    assert not against_the_order("training", "events")
    assert not against_the_order("people", "people")
    template = (
        '{% extends "base.html" %}{% load i18n mentorship %}\n'
        '{% include "training/partials/transcript.html" with a=1 %}\n'
        "{% include 'people/x.html' %}{% load event_time from events_lib %}\n"
    )
    libraries = {"mentorship": "mentorship", "events_lib": "events"}
    assert [(line, app) for line, app, _ in template_targets(template, libraries)] == [
        (1, "mentorship"),
        (2, "training"),
        (3, "people"),
        (3, "events"),
    ]
