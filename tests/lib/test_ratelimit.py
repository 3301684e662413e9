"""Rate limits every web process shares (belong.lib.ratelimit): without Redis the counters are
rows in the database, counted by one atomic upsert, never a process's own memory. Runs on the
database of the run (SQLite, and PostgreSQL with DATABASE_URL)."""

import os
import subprocess
import sys
import threading
import types
from pathlib import Path

import pytest
from django.db import connection, connections

from belong.home import periodic
from belong.home.models import RateLimitCounter
from belong.lib import ratelimit

ROOT = Path(__file__).resolve().parents[2]

# A process that counts HITS hits against one shared limit and prints what it was told.
PROBE = """
from belong.lib import ratelimit
print(" ".join(
    "yes" if ratelimit.allow("probe", "203.0.113.9", limit={limit}, window=3600) else "no"
    for _ in range({hits})
))
"""


def database_url():
    """The URL of this run's test database, for another process to use."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return (
        f"postgres://{settings['USER']}{password}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def start_probe(*, limit, hits):
    environment = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    environment.update(DATABASE_URL=database_url(), BELONG_DB_CONN_MAX_AGE="0")
    return subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "shell", "-c", PROBE.format(limit=limit, hits=hits)],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_one_limit(settings):
    """Two web processes, 6 requests each from one address, a limit of 5: 5 are allowed in all.
    With each process counting in its own memory, each allowed 5 (10 in all)."""
    settings.REDIS_URL = ""
    probes = [start_probe(limit=5, hits=6) for _ in range(2)]
    answers = []
    for probe in probes:
        out, err = probe.communicate(timeout=120)
        assert probe.returncode == 0, err
        answers += out.strip().splitlines()[-1].split()
    assert len(answers) == 12
    assert answers.count("yes") == 5
    # This process counts on the same rows: the limit is spent here too.
    assert not ratelimit.allow("probe", "203.0.113.9", limit=5, window=3600)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_hits_are_each_counted_once():
    """Eight requests at the same moment (threads, each with its own database connection, as
    processes have): with a limit of 3, exactly 3 are allowed."""
    barrier = threading.Barrier(8)
    answers, errors = [], []

    def hit():
        try:
            barrier.wait(timeout=30)
            answers.append(ratelimit.allow("race", "203.0.113.7", limit=3, window=3600))
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hit) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sorted(answers) == [False] * 5 + [True] * 3
    assert RateLimitCounter.objects.get().hits == 8


@pytest.mark.django_db
def test_a_new_window_counts_from_zero_and_runperiodic_deletes_the_old_ones(monkeypatch):
    clock = types.SimpleNamespace(now=1_700_000_000.0)  # November 2023
    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: clock.now))
    assert [ratelimit.allow("old", "x", limit=2, window=60) for _ in range(3)] == [
        True,
        True,
        False,
    ]
    clock.now += 60
    assert ratelimit.allow("old", "x", limit=2, window=60)
    assert RateLimitCounter.objects.count() == 2  # the ended window and the current one
    # Both windows are long past by the real clock: the job deletes them.
    assert periodic.rate_limit_windows() == "2 expired rate-limit counter(s) deleted"
    assert RateLimitCounter.objects.count() == 0


@pytest.mark.django_db
def test_a_current_window_outlives_the_cleanup():
    assert ratelimit.allow("now", "x", limit=2, window=3600)
    assert periodic.rate_limit_windows() == "0 expired rate-limit counter(s) deleted"
    assert RateLimitCounter.objects.get().hits == 1


@pytest.mark.django_db
def test_no_address_is_stored_in_clear():
    ratelimit.allow("certificate-verify", "203.0.113.42", limit=2, window=60)
    (key,) = RateLimitCounter.objects.values_list("key", flat=True)
    assert "203.0.113.42" not in key
