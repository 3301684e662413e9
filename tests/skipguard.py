"""Skips that explain themselves, and runs in which a skip is a failure.

Registered from ``tests/conftest.py`` (``pytest_plugins``).

Markers (declared in pyproject.toml):

* ``postgres``: the test is skipped unless the default database is PostgreSQL
  (``DATABASE_URL=postgres://...``).
* ``shared``: the test is skipped unless the shared folder (``../shared/seeds``) is beside the
  project: it checks the project's copy of something against its original there.
* ``browser``: the test is skipped unless Chromium is at ``BELONG_CHROMIUM``
  (default ``/usr/bin/chromium``).
* ``proxy``: the test is skipped unless nginx is at ``BELONG_NGINX`` (default
  ``/usr/sbin/nginx``): it runs the real nginx in front of a real gunicorn.

Environment:

* ``BELONG_FORBID_SKIPS=1``: every skipped test (or module) fails the session (exit code 1), and
  the summary names each one with its reason. CI sets it: a skip there means a test that never
  ran. Expected failures (xfail) are not skips.
* ``BELONG_ALLOW_SKIPS_MARKED=postgres[,other]``: with ``BELONG_FORBID_SKIPS``, tests carrying one
  of these markers may still skip (CI's second run, on SQLite, allows ``postgres``).
"""

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

DEFAULT_CHROMIUM = "/usr/bin/chromium"
DEFAULT_NGINX = "/usr/sbin/nginx"
POSTGRES_REASON = (
    "needs PostgreSQL: set DATABASE_URL=postgres://USER@HOST:5432/NAME "
    "(the default database here is {vendor})"
)
SHARED_REASON = (
    "compares the project's copy with the shared originals in {path}, which are not beside this "
    "clone (a clone alone runs every other test against the copy in the project)"
)
BROWSER_REASON = (
    "needs Chromium at {path}: apt-get install chromium, or set BELONG_CHROMIUM=/path/to/chromium"
)
PROXY_REASON = "needs nginx at {path}: apt-get install nginx, or set BELONG_NGINX=/path/to/nginx"


def chromium_path() -> str:
    return os.environ.get("BELONG_CHROMIUM") or DEFAULT_CHROMIUM


def chromium_available() -> bool:
    path = Path(chromium_path())
    return path.is_file() and os.access(path, os.X_OK)


def nginx_path() -> str:
    return os.environ.get("BELONG_NGINX") or DEFAULT_NGINX


def nginx_available() -> bool:
    path = Path(nginx_path())
    return path.is_file() and os.access(path, os.X_OK)


def shared_seeds() -> Path:
    """The shared seed pages' folder beside the project (``../shared/seeds``)."""
    return Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"


def database_vendor() -> str:
    from django.db import connections

    return connections["default"].vendor


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _names(name: str) -> frozenset[str]:
    return frozenset(part.strip() for part in os.environ.get(name, "").split(",") if part.strip())


def _reason(longrepr) -> str:
    # A skip's longrepr is (path, lineno, "Skipped: reason"); anything else is shown as it is.
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


@dataclass(frozen=True)
class Skip:
    nodeid: str
    reason: str
    markers: frozenset[str]


class SkipGuard:
    def __init__(self, config):
        self.config = config
        self.forbid = _flag("BELONG_FORBID_SKIPS")
        self.allowed_markers = _names("BELONG_ALLOW_SKIPS_MARKED")
        self.markers_by_nodeid: dict[str, frozenset[str]] = {}
        self.skips: list[Skip] = []

    # --- automatic skips ----------------------------------------------------------------------
    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, config, items):
        vendor = None
        for item in items:
            markers = frozenset(mark.name for mark in item.iter_markers())
            self.markers_by_nodeid[item.nodeid] = markers
            if "postgres" in markers:
                vendor = vendor or database_vendor()
                if vendor != "postgresql":
                    item.add_marker(pytest.mark.skip(reason=POSTGRES_REASON.format(vendor=vendor)))
            if "shared" in markers and not shared_seeds().is_dir():
                item.add_marker(pytest.mark.skip(reason=SHARED_REASON.format(path=shared_seeds())))
            if "browser" in markers and not chromium_available():
                item.add_marker(
                    pytest.mark.skip(reason=BROWSER_REASON.format(path=chromium_path()))
                )
            if "proxy" in markers and not nginx_available():
                item.add_marker(pytest.mark.skip(reason=PROXY_REASON.format(path=nginx_path())))

    # --- recording ----------------------------------------------------------------------------
    def pytest_runtest_logreport(self, report):
        if report.skipped and not hasattr(report, "wasxfail"):
            markers = self.markers_by_nodeid.get(report.nodeid)
            if markers is None:  # e.g. on an xdist controller, which does not collect
                markers = frozenset(report.keywords)
            self.skips.append(Skip(report.nodeid, _reason(report.longrepr), markers))

    def pytest_collectreport(self, report):
        if report.skipped:
            self.skips.append(Skip(report.nodeid, _reason(report.longrepr), frozenset()))

    def forbidden(self) -> list[Skip]:
        if not self.forbid:
            return []
        return [skip for skip in self.skips if not (skip.markers & self.allowed_markers)]

    def allowed(self) -> list[Skip]:
        if not self.forbid:
            return []
        return [skip for skip in self.skips if skip.markers & self.allowed_markers]

    # --- verdict ------------------------------------------------------------------------------
    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus):
        if hasattr(self.config, "workerinput"):
            return  # an xdist worker: the controller decides
        quiet = (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED)
        if self.forbidden() and session.exitstatus in quiet:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    def pytest_terminal_summary(self, terminalreporter, exitstatus, config):
        if not self.forbid or hasattr(config, "workerinput"):
            return
        forbidden = self.forbidden()
        allowed = self.allowed()
        if allowed:
            terminalreporter.section("skips allowed (BELONG_ALLOW_SKIPS_MARKED)", sep="-")
            for skip in allowed:
                terminalreporter.line(f"{skip.nodeid}: {skip.reason}")
        if forbidden:
            terminalreporter.section("FORBIDDEN SKIPS (BELONG_FORBID_SKIPS=1)", sep="=", red=True)
            terminalreporter.line(
                f"{len(forbidden)} test(s) skipped where every test must run; this session fails:",
                red=True,
                bold=True,
            )
            for skip in forbidden:
                terminalreporter.line(f"SKIPPED {skip.nodeid}: {skip.reason}", red=True)
        else:
            terminalreporter.line(
                "skip guard: no forbidden skips"
                + (
                    f" (allowed for markers {sorted(self.allowed_markers)})"
                    if self.allowed_markers
                    else ""
                )
            )


def pytest_configure(config):
    config.pluginmanager.register(SkipGuard(config), "belong-skipguard")
