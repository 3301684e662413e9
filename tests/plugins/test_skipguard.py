"""The skip guard (tests/skipguard.py), run on small pytest sessions of its own."""

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestAssertRewriteWarning")

INI = """
[pytest]
markers =
    postgres: needs PostgreSQL
    browser: needs Chromium
"""

SUITE = """
import pytest

def test_runs():
    pass

def test_skips():
    pytest.skip("no frobnicator here")

@pytest.mark.xfail(reason="known bug")
def test_known_bug():
    assert False

@pytest.mark.postgres
def test_needs_postgres():
    pytest.skip("not on this database")
"""


@pytest.fixture
def run(pytester, monkeypatch):
    """Run a session with the guard under the given environment; return its result."""
    pytester.makeini(INI)
    for name in ("BELONG_FORBID_SKIPS", "BELONG_ALLOW_SKIPS_MARKED", "BELONG_CHROMIUM"):
        monkeypatch.delenv(name, raising=False)

    def run(source=SUITE, **environ):
        pytester.makepyfile(test_suite=source)
        for name, value in environ.items():
            monkeypatch.setenv(name, value)
        return pytester.runpytest_inprocess("-p", "tests.skipguard", "-p", "no:django", "-rs")

    return run


def test_skips_are_allowed_by_default(run):
    result = run()
    result.assert_outcomes(passed=1, skipped=2, xfailed=1)
    assert result.ret == pytest.ExitCode.OK
    assert "FORBIDDEN SKIPS" not in result.stdout.str()


def test_forbidden_skips_fail_the_session_and_are_named(run):
    result = run(BELONG_FORBID_SKIPS="1")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "*FORBIDDEN SKIPS*",
            "2 test(s) skipped where every test must run; this session fails:",
            "SKIPPED test_suite.py::test_skips: no frobnicator here",
            # The marker skips it first when the database is not PostgreSQL.
            "SKIPPED test_suite.py::test_needs_postgres: *",
        ]
    )
    assert "test_known_bug" not in result.stdout.str().split("FORBIDDEN SKIPS")[1]


def test_tests_with_an_allowed_marker_may_skip(run):
    suite = SUITE.replace('pytest.skip("no frobnicator here")', "pass")
    result = run(suite, BELONG_FORBID_SKIPS="1", BELONG_ALLOW_SKIPS_MARKED="postgres")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*skips allowed*", "test_suite.py::test_needs_postgres: *"])


def test_an_allowed_marker_does_not_excuse_other_skips(run):
    result = run(BELONG_FORBID_SKIPS="1", BELONG_ALLOW_SKIPS_MARKED="postgres")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["SKIPPED test_suite.py::test_skips: no frobnicator here"])
    assert "SKIPPED test_suite.py::test_needs_postgres" not in result.stdout.str()


def test_a_skipped_module_is_a_forbidden_skip(run):
    source = 'import pytest\npytest.skip("whole module", allow_module_level=True)\n'
    result = run(source, BELONG_FORBID_SKIPS="1")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["SKIPPED test_suite.py: whole module"])


def test_browser_tests_skip_with_the_reason_when_chromium_is_missing(run):
    source = "import pytest\n\n@pytest.mark.browser\ndef test_page():\n    pass\n"
    result = run(source, BELONG_CHROMIUM="/nonexistent/chromium")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(["*needs Chromium at /nonexistent/chromium*"])


def test_no_tests_stays_exit_code_5(run):
    result = run("", BELONG_FORBID_SKIPS="1")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
