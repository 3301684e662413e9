"""`make run` serves through a real server.

The very line `make run` runs (`manage.py serve`, as `make -n run` prints it) starts on a free
port in a temporary BELONG_VAR_DIR and prepares everything itself (migrations, static files,
seed content, demo data). Then 50 people press "register" for one session at the same moment
(real threads released by a barrier): every one is answered (no connection reset), none with a
5xx, the seats are never oversold and the waitlist holds the rest in order; every one of them
is emailed (into var/mail, by the task worker). Debug is off, static files are served, SQLite
is in WAL. Ctrl-C (SIGINT to the terminal's process group) or SIGTERM stops every process it
started. Once on SQLite, once on PostgreSQL with Redis (a database and a Redis of the test's
own). Every wait is bounded.
"""

import email
import email.policy
import http.client
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import dj_database_url
import psycopg
import pytest
import redis
from psycopg import sql

from tests.home.server_support import (
    alive,
    clean_env,
    descendants,
    free_port,
    get,
    log_tail,
    make_line,
    shell_json,
    start,
    stop,
    wait_until_healthy,
)

PEOPLE = 50
CAPACITY = 20
STARTUP_SECONDS = 300  # preparation included: migrations, seed content, demo data
MAIL_SECONDS = 120

# 50 people with a token each and one upcoming session of a seed course, in the served database.
SETUP = f"""
import datetime, json
from django.utils import timezone
from belong.events import actions as events
from belong.events.models import Event
from belong.people import actions as people
from belong.people.models import Person
from belong.training.models import Course

course = Course.objects.filter(is_active=True).order_by("pk").first()
start = timezone.now() + datetime.timedelta(days=21)
event = events.create_event(
    actor=None, host=course, title="Burst session", kind=Event.Kind.SESSION, start=start,
    end=start + datetime.timedelta(hours=2), capacity={CAPACITY}, minimum=6,
)
tokens = []
for n in range({PEOPLE}):
    person = Person.objects.create_user(
        email=f"burst{{n}}@belong.test", password=None, full_name=f"Burst Person {{n}}"
    )
    tokens.append(people.create_token(person=person, name="burst test")[1])
print(json.dumps({{"event": event.pk, "tokens": tokens}}))
"""

STORED = """
import json
from collections import Counter
from belong.events.models import Registration
from belong.notifications.models import OutboundMessage
rows = Registration.objects.filter(event_id=%d)
outbox = OutboundMessage.objects.filter(to_email__startswith="burst").values_list("to_email", "subject")
print(json.dumps({
    "rows": rows.count(), **Counter(rows.values_list("state", flat=True)), "outbox": list(outbox)
}))
"""


def burst(port, event_id, tokens):
    """Every token's owner registers at the same moment; each answer is (status, body) or the
    exception the client got (a reset connection)."""
    barrier = threading.Barrier(len(tokens))
    answers = [None] * len(tokens)

    def register(index, token):
        try:
            barrier.wait(timeout=60)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                connection.request(
                    "PUT",
                    f"/api/v1/events/{event_id}/registration",
                    body=b"{}",
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "application/json",
                    },
                )
                response = connection.getresponse()
                answers[index] = (response.status, response.read())
            finally:
                connection.close()
        except Exception as exc:  # reported by the test
            answers[index] = exc

    threads = [
        threading.Thread(target=register, args=(index, token), name=f"person-{index}")
        for index, token in enumerate(tokens)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    return answers


def mail_sent(mail_dir):
    """(recipient, subject) of every message the file backend wrote (each file: messages
    separated by a line of dashes)."""
    sent = []
    for path in sorted(Path(mail_dir).glob("*.log")):
        for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if chunk.strip():
                message = email.message_from_bytes(chunk.lstrip(), policy=email.policy.default)
                sent.append((str(message["To"]), " ".join(str(message["Subject"]).split())))
    return sent


def serve_and_burst(tmp_path, *, stop_signal, **env_extra):
    """Run `make run`'s line, check it, fire the burst, stop it; returns the env and output."""
    port = free_port()
    var_dir = tmp_path / "var"
    env = clean_env(var_dir, **env_extra)
    process = start(make_line("run", port), env, tmp_path / "make-run.log")
    try:
        wait_until_healthy(process, port, seconds=STARTUP_SECONDS)
        tree = descendants(process.pid)
        commands = " | ".join(tree.values())
        assert "gunicorn belong.wsgi:application" in commands
        assert "--worker-class=belong.home.edge.ThreadWorker" in commands
        assert "manage.py db_worker" in commands
        assert sum("gunicorn" in args for args in tree.values()) >= 3  # a master, 2+ workers

        # Debug off: a missing page is the site's own 404, not Django's technical page.
        status, body = get(port, "/no-such-page/")
        assert status == 404 and b"URLconf" not in body
        status, body = get(port, "/static/belong/css/belong.css")
        assert status == 200 and body

        setup = shell_json(env, SETUP)
        answers = burst(port, setup["event"], setup["tokens"])

        failures = [f"{type(a).__name__}: {a}" for a in answers if isinstance(a, BaseException)]
        assert failures == [], failures
        statuses = Counter(status for status, _body in answers)
        assert statuses == {201: PEOPLE}, (statuses, log_tail(process))
        results = [json.loads(body) for _status, body in answers]
        states = Counter(result["state"] for result in results)
        assert states == {"registered": CAPACITY, "waitlisted": PEOPLE - CAPACITY}
        positions = sorted(r["waitlist_position"] for r in results if r["state"] == "waitlisted")
        assert positions == list(range(1, PEOPLE - CAPACITY + 1))
        stored = shell_json(env, STORED % setup["event"])
        queued = Counter((to, " ".join(subject.split())) for to, subject in stored.pop("outbox"))
        assert stored == {"rows": PEOPLE, "registered": CAPACITY, "waitlisted": PEOPLE - CAPACITY}

        # The task worker delivers every message the burst queued (each one's registration or
        # waitlist email; "it will run" once the minimum is reached) into var/mail
        # (BELONG_EMAIL=file), each once.
        assert {to for to, _subject in queued} == {f"burst{n}@belong.test" for n in range(PEOPLE)}
        deadline = time.monotonic() + MAIL_SECONDS
        while time.monotonic() < deadline:
            sent = Counter(m for m in mail_sent(var_dir / "mail") if m[0].startswith("burst"))
            if sent.total() >= queued.total():
                break
            time.sleep(1)
        assert sent == queued
        assert set(sent.values()) == {1}

        tree = descendants(process.pid)
        code = stop(process, stop_signal)
        assert code == 0, log_tail(process)
        assert [pid for pid in tree if alive(pid)] == []
        with pytest.raises(OSError):
            get(port, "/healthz", timeout=2)
        return env, Path(process.log_path).read_text(errors="replace")
    finally:
        if process.poll() is None:
            stop(process, signal.SIGKILL)


def test_make_run_answers_a_burst_of_registrations_on_sqlite(tmp_path):
    env, output = serve_and_burst(tmp_path, stop_signal=signal.SIGINT)  # Ctrl-C
    assert "database: sqlite3" in output
    database = Path(env["BELONG_VAR_DIR"]) / "belong.sqlite3"
    with sqlite3.connect(database) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.fixture
def own_postgres_database():
    """A database of this test's own on the suite's PostgreSQL server, dropped afterwards."""
    url = os.environ["DATABASE_URL"]
    config = dj_database_url.parse(url)
    name = f"{config['NAME']}_serve"
    server = psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with server:
        server.execute(drop)
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield urllib.parse.urlsplit(url)._replace(path=f"/{name}").geturl()
        finally:
            server.execute(drop)


@pytest.fixture
def own_redis(tmp_path):
    """A Redis server of this test's own (nothing saved), stopped afterwards."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("needs redis-server (apt-get install redis-server)")
    port = free_port()
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                assert time.monotonic() < deadline, "redis-server did not answer"
                time.sleep(0.2)
        yield f"redis://127.0.0.1:{port}/0", client
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.postgres
def test_make_run_answers_a_burst_of_registrations_on_postgresql_and_redis(
    tmp_path, own_postgres_database, own_redis
):
    redis_url, redis_client = own_redis
    env, output = serve_and_burst(
        tmp_path,
        stop_signal=signal.SIGTERM,
        DATABASE_URL=own_postgres_database,
        REDIS_URL=redis_url,
    )
    assert "database: postgresql, cache: Redis" in output
    assert redis_client.dbsize() > 0  # the web processes kept their cache there
    assert not (Path(env["BELONG_VAR_DIR"]) / "belong.sqlite3").exists()
