"""Registrations per second through the real HTTP stack: gunicorn, Django, PostgreSQL.

The bench starts its own gunicorn against a database named `belong_bench` (dropped and created
again, migrated, filled by the bench itself: the seed catalog, people with API tokens, sessions
with limited capacity), then measures, with the same client and the same server in the same run:

- the floor: GET /healthz (one trivial query), with 1 and with 50 clients;
- registrations (`PUT /api/v1/events/{id}/registration` with a Bearer token, or the page's
  `POST /events/<pk>/register` while the API is not there), one client, then 50 clients,
  each client registering its own people over several sessions, so waitlists happen;
- the catalog page GET /training/ with 1 and with 50 clients.

It prints requests per second, each as a ratio to the floor at the same concurrency, the
server-side p95 (gunicorn's access log, request time in microseconds, parsed after the run), the
CPU time each request cost gunicorn's workers and PostgreSQL's backends (read from /proc before
and after each measure; with the bench client's own, the ceiling that two CPUs allow) and,
after the run, the invariants: oversold seats, registrations lost or made twice. Targets are
printed beside the figures; nothing about time is asserted.

Run it alone with `.venv/bin/python -m bench bench_registration`. Settings (environment):
BENCH_CLIENTS (50), BENCH_PEOPLE (300), BENCH_SESSIONS (10), BENCH_SEQUENTIAL (200),
BENCH_SECONDS (3, each GET measure in each round), BENCH_ROUNDS (3), BENCH_WORKERS (3),
BENCH_THREADS (1: sync workers; more means gthread), BENCH_CONN_MAX_AGE (60), BENCH_MODE (auto,
api or html), BENCH_PG (postgres://postgres@127.0.0.1:5432; the database name is always
belong_bench), BENCH_PROFILE=1 adds a cProfile of registrations and of the catalog (in-process),
BENCH_KEEP_DB=1 keeps the database afterwards for a look.
"""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DB_NAME = "belong_bench"  # the only database this bench creates, uses or drops

TARGET_REGISTRATIONS_PER_SECOND = 150
TARGET_P95_MS = 50
TARGET_CATALOG_SHARE = 0.25

HOLDS_SEAT = ("registered", "attended", "no_show")


def _int(name, default):
    return int(os.environ.get(name, default))


@dataclass
class Plan:
    clients: int = field(default_factory=lambda: _int("BENCH_CLIENTS", 50))
    people: int = field(default_factory=lambda: _int("BENCH_PEOPLE", 300))
    sessions: int = field(default_factory=lambda: _int("BENCH_SESSIONS", 10))
    sequential: int = field(default_factory=lambda: _int("BENCH_SEQUENTIAL", 200))
    seconds: float = field(default_factory=lambda: float(os.environ.get("BENCH_SECONDS", 3)))
    rounds: int = field(default_factory=lambda: _int("BENCH_ROUNDS", 3))
    # Three sync workers: a registration is CPU-bound Python, and on two cores shared with
    # PostgreSQL and the clients, threads inside a worker only queue for the GIL (gthread 2x4
    # and 3x4 measured lower throughput and a p95 two to four times higher). One more worker
    # than cores covers the time a worker waits on PostgreSQL.
    workers: int = field(default_factory=lambda: _int("BENCH_WORKERS", 3))
    threads: int = field(default_factory=lambda: _int("BENCH_THREADS", 1))
    # Persistent connections, as a production deployment runs: with 0 (Django's default)
    # every request opens a PostgreSQL connection, and the floor measures that instead.
    conn_max_age: int = field(default_factory=lambda: _int("BENCH_CONN_MAX_AGE", 60))
    mode: str = field(default_factory=lambda: os.environ.get("BENCH_MODE", "auto"))
    pg: str = field(
        default_factory=lambda: os.environ.get(
            "BENCH_PG", "postgres://postgres@127.0.0.1:5432"
        ).rstrip("/")
    )

    # Every session gets a seat for half of those who ask; the other half wait.
    SEQUENTIAL_SESSIONS = 2

    @property
    def sequential_people(self):
        """How many people ask for each of the one-client run's sessions."""
        return min(self.people, max(2, self.sequential // self.SEQUENTIAL_SESSIONS))

    @property
    def capacity(self):
        return max(1, self.people // 2)

    @property
    def sequential_capacity(self):
        return max(1, self.sequential_people // 2)


# --- the database ------------------------------------------------------------------------------


def _admin_connection(plan):
    import psycopg

    return psycopg.connect(f"{plan.pg}/postgres", autocommit=True)


def recreate_database(plan, name=DB_NAME):
    with _admin_connection(plan) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(plan, name=DB_NAME):
    with _admin_connection(plan) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_env(plan, var_dir, db_name=DB_NAME, **extra):
    """The environment of every process that touches the bench's database (`db_name`; other
    benches pass their own): production-like settings."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="belong.settings",
        DATABASE_URL=f"{plan.pg}/{db_name}",
        BELONG_DB_CONN_MAX_AGE=str(plan.conn_max_age),
        BELONG_DEBUG="0",
        BELONG_DEMO="0",
        BELONG_SECURE="0",
        BELONG_TASKS_BACKEND="database",  # outbox rows and task rows are written, not delivered
        BELONG_EMAIL="memory",
        BELONG_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        BELONG_VAR_DIR=str(var_dir),
        BELONG_LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603


# --- inside belong_bench (a subprocess with the bench's environment) ---------------------------


def _setup_data(out_path):
    """People with tokens (and signed-in sessions, for the page fallback), and sessions hosted
    by the seed courses, all through the project's own actions. Writes a JSON plan."""
    import datetime

    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from belong.events import actions
    from belong.events.models import Event
    from belong.people.actions import create_token
    from belong.people.models import Person
    from belong.training.models import Course

    plan = json.loads(os.environ["BENCH_PLAN"])
    courses = list(Course.objects.filter(is_active=True).order_by("order", "pk")) or [None]
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=21)
    counter = iter(range(10**6))

    def sessions(count, capacity):
        made = []
        for _ in range(count):
            n = next(counter)
            course = courses[n % len(courses)]
            begins = start + datetime.timedelta(days=n % 14, hours=n % 5)
            made.append(
                actions.create_event(
                    actor=None,
                    kind=Event.Kind.SESSION,
                    title=course.title if course else f"Bench session {n}",
                    start=begins,
                    end=begins + datetime.timedelta(hours=2),
                    format=Event.Format.VIRTUAL,
                    online_join_details="https://meet.example.org/bench",
                    capacity=capacity,
                    host=course,
                ).pk
            )
        return made

    with transaction.atomic():
        people = []
        for n in range(plan["people"]):
            person = Person.objects.create_user(
                email=f"bench-learner-{n}@example.org", full_name=f"Bench Learner {n}"
            )
            _token, secret = create_token(person=person, name="bench")
            store = SessionStore()
            store[SESSION_KEY] = str(person.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = person.get_session_auth_hash()
            store.create()
            people.append({"id": person.pk, "token": secret, "session": store.session_key})
        out = {
            "people": people,
            "warmup": sessions(1, max(1, plan["clients"] // 2)),
            "sequential": sessions(plan["sequential_sessions"], plan["sequential_capacity"]),
            "concurrent": sessions(plan["sessions"], plan["capacity"]),
            "probe": sessions(1, 1),
            "profile": sessions(1, max(1, plan["people"] // 4)),
        }
    try:
        out["html_path"] = reverse("events:register", args=[0]).replace("/0/", "/{id}/")
    except NoReverseMatch:
        out["html_path"] = None
    Path(out_path).write_text(json.dumps(out))


def _request(client, mode, event_id, person, html_path):
    if mode == "api":
        return client.put(
            f"/api/v1/events/{event_id}/registration",
            HTTP_AUTHORIZATION=f"Bearer {person['token']}",
        )
    client.cookies["sessionid"] = person["session"]
    client.cookies["csrftoken"] = CSRF
    return client.post(html_path.format(id=event_id), {"csrfmiddlewaretoken": CSRF})


def _probe_queries(mode, data):
    """Queries one registration costs, counted in-process: a seat, then the waitlist (the probe
    session has one seat). With BENCH_PROFILE=1, also where the time goes (cProfile)."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = []
    for person in data["people"][:2]:
        with CaptureQueriesContext(connection) as queries:
            response = _request(Client(), mode, data["probe"][0], person, data["html_path"])
        counts.append({"status": response.status_code, "queries": len(queries)})
    for _look in range(2):  # a visitor's first look, then the next one (the cache, if any)
        with CaptureQueriesContext(connection) as queries:
            Client().get("/training/")
        counts.append({"queries": len(queries)})
    print(json.dumps(counts))
    if os.environ.get("BENCH_PROFILE") == "1":
        _profile(mode, data)


def _profile(mode, data):
    """cProfile over in-process registrations (half seated, half waitlisted) and catalog views:
    the project's own functions and a few library calls, in ms per request, by cumulative time."""
    import cProfile
    import pstats

    from django.test import Client

    people = data["people"][: max(2, len(data["people"]) // 2)]
    client = Client()
    for title, calls in (
        (
            "a registration",
            [
                lambda p=p: _request(client, mode, data["profile"][0], p, data["html_path"])
                for p in people
            ],
        ),
        ("the catalog /training/", [lambda: client.get("/training/")] * 50),
    ):
        calls[0]()  # warm
        profiler = cProfile.Profile()
        began = time.perf_counter()
        profiler.enable()
        for call in calls[1:]:
            call()
        profiler.disable()
        n = len(calls) - 1
        print(
            f"profile of {title}: {(time.perf_counter() - began) / n * 1000:.1f} ms each under cProfile"
        )
        stats = pstats.Stats(profiler).stats
        interesting = (
            "/belong/",
            "icalendar/cal/",
            "django/template/loader.py",
            "django/db/backends/utils.py",
            "django/core/handlers/base.py",
            "ninja/operation.py",
        )
        rows = []
        for (path, line, function), (_cc, calls_, _tt, cumulative, _callers) in stats.items():
            if any(part in path for part in interesting) and "/bench/" not in path:
                short = (
                    path.split("/belong/", 1)[-1]
                    if "/belong/" in path
                    else path.split("site-packages/")[-1]
                )
                rows.append((cumulative, calls_, f"{short}:{line}({function})"))
        for cumulative, calls_, where in sorted(rows, reverse=True)[:20]:
            print(f"  {cumulative / n * 1000:7.2f} ms {calls_ / n:6.2f} calls  {where}")


# --- the server --------------------------------------------------------------------------------

LOG_FORMAT = "%(m)s|%(U)s|%(q)s|%(s)s|%(D)s"  # method, path, query, status, microseconds


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, plan, env, var_dir):
        self.plan, self.env = plan, env
        self.port = free_port()
        self.access_log = Path(var_dir, "access.log")
        self.error_log = Path(var_dir, "gunicorn.log")
        self.process = None

    def describe(self):
        kind = "sync" if self.plan.threads <= 1 else f"gthread x {self.plan.threads} threads"
        return f"gunicorn, {self.plan.workers} {kind} workers"

    def start(self):
        command = [
            PYTHON,
            "-m",
            "gunicorn",
            "belong.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.plan.workers}",
            f"--access-logfile={self.access_log}",
            f"--access-logformat={LOG_FORMAT}",
            f"--error-logfile={self.error_log}",
            "--backlog=2048",
            "--timeout=120",
        ]
        if self.plan.threads > 1:
            command += ["--worker-class=gthread", f"--threads={self.plan.threads}"]
        # Its own session: Ctrl-C reaches the bench, which then stops the server in order.
        # Django's own log lines (a 409 is a warning) go to the error log, not the terminal.
        self.output = open(self.error_log, "ab")
        self.process = subprocess.Popen(  # noqa: S603
            command,
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=self.output,
            stderr=self.output,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.error_log}")
            try:
                status, _body = Client(self.port).request("GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz within a minute")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # graceful: workers finish and flush the log
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.output.close()

    def log_entries(self):
        entries = []
        for line in self.access_log.read_text().splitlines():
            parts = line.split("|")
            if len(parts) == 5:
                method, path, query, status, micros = parts
                entries.append((method, path, query, int(status), int(micros) / 1000))
        return entries


# --- the client --------------------------------------------------------------------------------

CSRF = "benchbenchbenchbenchbenchbench32"  # a 32-character CSRF secret, in cookie and form


class Client:
    """One keep-alive HTTP/1.1 connection; reconnects when the server closes it."""

    def __init__(self, port):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method, path, headers=None, body=None):
        """(status, body); status 0 when no answer came (counted, never raised)."""
        for attempt in range(2):
            try:
                self.connection.request(method, path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                data = response.read()
                if response.will_close:
                    self.connection.close()
                return response.status, data
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A keep-alive connection the server had closed: the request never ran.
                self.connection.close()
                if attempt:
                    return 0, b""
            except (OSError, http.client.HTTPException):
                self.connection.close()
                return 0, b""
        return 0, b""

    def close(self):
        self.connection.close()


def run_clients(port, worklists, *, seconds=None):
    """Each worklist is one client's requests (callables taking a Client and returning a
    result). With `seconds`, each client repeats its list until the time is up. Returns
    (results, elapsed seconds, client-side latencies in ms)."""
    barrier = threading.Barrier(len(worklists) + 1)
    results, latencies, lock = [], [], threading.Lock()

    def client_loop(worklist):
        client = Client(port)
        mine, timings = [], []
        barrier.wait()
        deadline = time.perf_counter() + seconds if seconds else None
        try:
            while True:
                for call in worklist:
                    began = time.perf_counter()
                    mine.append(call(client))
                    timings.append((time.perf_counter() - began) * 1000)
                    if deadline and time.perf_counter() >= deadline:
                        return
                if not deadline:
                    return
        finally:
            client.close()
            with lock:
                results.extend(mine)
                latencies.extend(timings)

    threads = [threading.Thread(target=client_loop, args=(w,), daemon=True) for w in worklists]
    for thread in threads:
        thread.start()
    barrier.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - began, latencies


def get(path):
    def call(client):
        status, _body = client.request("GET", path)
        return status

    return call


def registration(mode, html_path, person, event_id):
    if mode == "api":
        path = f"/api/v1/events/{event_id}/registration"
        headers = {"Authorization": f"Bearer {person['token']}", "Content-Length": "0"}
        body = None
    else:
        path = html_path.format(id=event_id)
        headers = {
            "Cookie": f"sessionid={person['session']}; csrftoken={CSRF}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        body = urlencode({"csrfmiddlewaretoken": CSRF})

    def call(client):
        status, data = client.request("PUT" if mode == "api" else "POST", path, headers, body)
        state = position = None
        if mode == "api" and status in (200, 201):
            answer = json.loads(data)
            state, position = answer.get("state"), answer.get("waitlist_position")
        return {
            "person": person["id"],
            "event": event_id,
            "status": status,
            "state": state,
            "position": position,
        }

    return call


def registration_worklists(mode, html_path, people, events, clients):
    """Client c registers people c, c + clients, ...; each person asks for every event, starting
    at a different one, so that all events are busy at once."""
    worklists = [[] for _ in range(min(clients, len(people)))]
    for n, person in enumerate(people):
        for k in range(len(events)):
            event_id = events[(n + k) % len(events)]
            worklists[n % len(worklists)].append(registration(mode, html_path, person, event_id))
    return worklists


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def _cpu_seconds(pid):
    """User and system CPU of one process so far (Linux /proc), or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _processes():
    """(pid, parent pid, command line) of every process (Linux /proc); empty elsewhere."""
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            ppid = int((entry / "stat").read_bytes().rsplit(b")", 1)[1].split()[1])
            found.append((int(entry.name), ppid, (entry / "cmdline").read_bytes()))
        except (OSError, ValueError, IndexError):
            continue
    return found


class ServerCPU:
    """CPU spent by the server side while something is measured: gunicorn's workers (the
    application) and the PostgreSQL backends connected to `db_name` (the database), read
    from /proc before and after. Figures are None where /proc is not there."""

    def __init__(self, server, db_name=DB_NAME):
        self.server = server
        self.db_name = db_name

    def sample(self):
        master = self.server.process.pid if self.server.process else None
        app, db = {}, {}
        for pid, ppid, cmdline in _processes():
            if ppid == master:
                app[pid] = _cpu_seconds(pid)
            elif cmdline.startswith(b"postgres:") and self.db_name.encode() in cmdline:
                db[pid] = _cpu_seconds(pid)
        return app, db

    @staticmethod
    def spent(before, after):
        """(application seconds, database seconds) between two samples; None without /proc."""
        if not Path("/proc/self/stat").exists():
            return None, None
        return tuple(
            sum(now - (then.get(pid) or 0) for pid, now in later.items() if now is not None)
            for then, later in zip(before, after, strict=True)
        )


# --- checking the outcome ----------------------------------------------------------------------


def check_invariants(plan, results, events):
    """After the run, from the database: seats over capacity, successes without exactly one
    row, rows twice, and answers that disagree with what the database holds."""
    import psycopg

    with psycopg.connect(f"{plan.pg}/{DB_NAME}", autocommit=True) as conn:
        seats = conn.execute(
            """
            SELECT e.id, e.capacity,
                   count(r.id) FILTER (WHERE r.state = ANY(%s)),
                   count(r.id) FILTER (WHERE r.state = 'waitlisted')
            FROM events_event e LEFT JOIN events_registration r ON r.event_id = e.id
            WHERE e.id = ANY(%s) GROUP BY e.id, e.capacity
            """,
            (list(HOLDS_SEAT), events),
        ).fetchall()
        rows = conn.execute(
            "SELECT event_id, person_id, state FROM events_registration WHERE event_id = ANY(%s)",
            (events,),
        ).fetchall()
        written = {
            table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608
            for table in (
                "notifications_outboundmessage",
                "django_tasks_database_dbtaskresult",
                "people_auditevent",
            )
        }
        confirmed = conn.execute(
            "SELECT count(*) FROM events_event WHERE id = ANY(%s) AND status = 'confirmed'",
            (events,),
        ).fetchone()[0]
    oversold = sum(max(0, held - capacity) for _id, capacity, held, _w in seats if capacity)
    by_pair = {}
    for event_id, person_id, state in rows:
        by_pair.setdefault((event_id, person_id), []).append(state)
    succeeded = {(r["event"], r["person"]): r for r in results if r["status"] in (200, 201)}
    if not any(r["state"] for r in results):  # the page answers with a redirect
        succeeded = {(r["event"], r["person"]): r for r in results if r["status"] in (302, 303)}
    lost = sum(1 for pair in succeeded if len(by_pair.get(pair, [])) == 0)
    twice = sum(1 for states in by_pair.values() if len(states) > 1)
    told_otherwise = sum(
        1
        for pair, r in succeeded.items()
        if r["state"] and by_pair.get(pair) and by_pair[pair][0] != r["state"]
    )
    unanswered_rows = sum(1 for pair in by_pair if pair not in succeeded)
    return {
        "oversold": oversold,
        "lost": lost,
        "twice": twice,
        "told_otherwise": told_otherwise,
        "rows_without_success": unanswered_rows,
        "held": sum(s[2] for s in seats),
        "waitlisted": sum(s[3] for s in seats),
        "confirmed_sessions": confirmed,
        "written": written,
    }


# --- the run -----------------------------------------------------------------------------------


def run():
    plan = Plan()
    try:
        _admin_connection(plan).close()
    except Exception as exc:  # no server, or no access: say so, and let the other benches run
        print(f"skipped: no PostgreSQL at {plan.pg} ({exc.__class__.__name__}: {exc})")
        return
    var_dir = Path(tempfile.mkdtemp(prefix="belong-bench-registration-"))
    Path(var_dir, "static").mkdir()
    env = bench_env(plan, var_dir)
    server = Server(plan, env, var_dir)
    try:
        recreate_database(plan)
        manage(env, "migrate", "--noinput", "--verbosity=0")
        manage(env, "load_content", "--verbosity=0")
        data_path = var_dir / "plan.json"
        setup_env = dict(
            env,
            BENCH_PLAN=json.dumps(
                {
                    "people": plan.people,
                    "clients": plan.clients,
                    "sessions": plan.sessions,
                    "sequential_sessions": plan.SEQUENTIAL_SESSIONS,
                    "capacity": plan.capacity,
                    "sequential_capacity": plan.sequential_capacity,
                }
            ),
        )
        subprocess.run(  # noqa: S603
            [PYTHON, "-m", "bench.bench_registration", "setup", str(data_path)],
            cwd=ROOT,
            env=setup_env,
            check=True,
        )
        data = json.loads(data_path.read_text())
        server.start()
        measure(plan, server, data, env, data_path)
    finally:  # also on Ctrl-C and on errors
        server.stop()
        if os.environ.get("BENCH_KEEP_DB") == "1":
            print(f"kept the database {DB_NAME} (BENCH_KEEP_DB=1); drop it when done")
        else:
            try:
                drop_database(plan)
            except Exception as exc:
                print(f"could not drop {DB_NAME}: {exc}")
        shutil.rmtree(var_dir, ignore_errors=True)


def choose_mode(plan, server, data):
    """The API if it answers, else the page; None if neither exists yet."""
    person, event_id = data["people"][-1], data["warmup"][0]
    if plan.mode in ("auto", "api"):
        result = registration("api", None, person, event_id)(Client(server.port))
        if result["status"] in (200, 201):
            return "api"
        if plan.mode == "api":
            raise RuntimeError(f"PUT registration answered {result['status']}")
    if data["html_path"]:
        result = registration("html", data["html_path"], person, event_id)(Client(server.port))
        if result["status"] in (200, 302, 303):
            return "html"
        raise RuntimeError(f"POST {data['html_path']} answered {result['status']}")
    return None


def split(worklist, parts):
    size = -(-len(worklist) // parts)
    return [worklist[i * size : (i + 1) * size] for i in range(parts)]


@dataclass
class Line:
    """One measured thing at one concurrency, summed over the rounds."""

    label: str
    clients: int
    key: tuple
    done: int = 0
    seconds: float = 0.0
    not_ok: int = 0
    client_cpu: float = 0.0
    app_cpu: float | None = 0.0
    db_cpu: float | None = 0.0
    latencies: list = field(default_factory=list)

    def add_server_cpu(self, spent):
        app, db = spent
        self.app_cpu = None if app is None or self.app_cpu is None else self.app_cpu + app
        self.db_cpu = None if db is None or self.db_cpu is None else self.db_cpu + db

    def per_request_ms(self, seconds):
        return f"{seconds / self.done * 1000:.1f}" if seconds is not None and self.done else "n/a"

    @property
    def rate(self):
        return self.done / self.seconds if self.seconds else 0.0


def measure(plan, server, data, env, data_path):
    port, people, clients = server.port, data["people"], plan.clients
    mode = choose_mode(plan, server, data)
    if mode is None:
        print("no registration endpoint yet (neither the API's PUT nor the page's POST): skipped")
        return
    html_path = data["html_path"]
    with _admin_connection(plan) as conn:
        pg_version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    print(
        f"server: {server.describe()}, PostgreSQL {pg_version} ({DB_NAME}), "
        f"BELONG_DB_CONN_MAX_AGE={plan.conn_max_age}, debug off, tasks: database; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before"
    )
    measured = (
        "PUT /api/v1/events/{id}/registration (Bearer token)"
        if mode == "api"
        else f"POST {html_path} (the page, with a session cookie and CSRF"
        + ("; the API is not there yet)" if plan.mode == "auto" else ")")
    )
    print(f"measured: {measured}")
    sequential_people = people[: plan.sequential_people]
    print(
        f"data: {plan.people} people; {clients} clients: {len(data['concurrent'])} sessions "
        f"x capacity {plan.capacity} ({plan.people * len(data['concurrent'])} registrations); "
        f"1 client: {len(data['sequential'])} sessions x capacity {plan.sequential_capacity} "
        f"({len(sequential_people) * len(data['sequential'])} registrations); "
        f"{plan.rounds} rounds, each a floor, a share of the registrations and the catalog"
    )

    # Warm every worker up: code paths, templates, connections.
    warm = plan.workers * max(plan.threads, 1) * 4
    run_clients(port, [[get("/healthz?bench=warm"), get("/training/?bench=warm")]] * warm)
    run_clients(
        port,
        registration_worklists(mode, html_path, people[: plan.clients], data["warmup"], clients),
    )

    lines, results = [], []
    server_cpu = ServerCPU(server)
    for n_clients in (1, clients):
        events, who = (
            (data["sequential"], sequential_people)
            if n_clients == 1
            else (data["concurrent"], people)
        )
        tag = f"c{n_clients}"
        floor = Line("floor GET /healthz", n_clients, ("GET", "/healthz", tag))
        registrations = Line("registrations", n_clients, ("REG", tuple(events)))
        catalog = Line("catalog GET /training/", n_clients, ("GET", "/training/", tag))
        lines += [floor, registrations, catalog]
        chunks = [
            split(worklist, plan.rounds)
            for worklist in registration_worklists(mode, html_path, who, events, n_clients)
        ]
        # Interleaved, so that a neighbour's load falls on the floor and on what it measures.
        for round_ in range(plan.rounds):
            for line in (floor, catalog):
                path = f"{line.key[1]}?bench={tag}"
                cpu, before = time.process_time(), server_cpu.sample()
                statuses, elapsed, latencies = run_clients(
                    port, [[get(path)]] * n_clients, seconds=plan.seconds
                )
                line.client_cpu += time.process_time() - cpu
                line.add_server_cpu(server_cpu.spent(before, server_cpu.sample()))
                line.done += len(statuses)
                line.not_ok += sum(1 for status in statuses if status != 200)
                line.seconds += elapsed
                line.latencies += latencies
                if line is floor:
                    cpu, before = time.process_time(), server_cpu.sample()
                    answers, elapsed, latencies = run_clients(
                        port, [chunk[round_] for chunk in chunks if chunk[round_]]
                    )
                    registrations.client_cpu += time.process_time() - cpu
                    registrations.add_server_cpu(server_cpu.spent(before, server_cpu.sample()))
                    results += answers
                    ok = [a for a in answers if a["status"] in (200, 201, 302, 303)]
                    registrations.done += len(ok)
                    registrations.not_ok += len(answers) - len(ok)
                    registrations.seconds += elapsed
                    registrations.latencies += latencies
    load_after = os.getloadavg()[0]

    server.stop()  # flushes the access log
    entries = server.log_entries()

    def server_times(key):
        if key[0] == "GET":
            _kind, path, tag = key
            return [e[4] for e in entries if e[1] == path and e[2] == f"bench={tag}"]
        events = {str(event_id) for event_id in key[1]}
        return [
            e[4]
            for e in entries
            if e[0] in ("PUT", "POST") and e[1].rstrip("/").split("/")[-2] in events
        ]

    floors = {line.clients: line.rate for line in lines if line.label.startswith("floor")}
    print()
    print(
        f"{'':24}{'clients':>8}{'req/s':>9}{'x floor':>9}"
        f"{'server p50':>12}{'server p95':>12}{'client p95':>12}{'client CPU':>12}"
        f"{'app CPU':>10}{'db CPU':>9}"
    )
    p95 = {}
    for line in lines:
        times = server_times(line.key)
        p95[line.label, line.clients] = percentile(times, 0.95)
        note = f"  ({line.not_ok} not a success)" if line.not_ok else ""
        print(
            f"{line.label:24}{line.clients:>8}{line.rate:>9.1f}"
            f"{line.rate / floors[line.clients]:>9.3f}"
            f"{percentile(times, 0.5):>10.1f}ms{p95[line.label, line.clients]:>10.1f}ms"
            f"{percentile(line.latencies, 0.95):>10.1f}ms"
            f"{line.client_cpu / line.seconds:>12.0%}"
            f"{line.per_request_ms(line.app_cpu):>8}ms{line.per_request_ms(line.db_cpu):>7}ms"
            f"{note}"
        )
    print(
        f"(client CPU: the bench's own share of one core while measuring; app and db CPU: "
        f"CPU time per request of gunicorn's workers and of PostgreSQL's backends for "
        f"{DB_NAME}; load average after: {load_after:.1f})"
    )
    concurrent = lines[4]
    if concurrent.app_cpu is not None and concurrent.done:
        per_request = (
            concurrent.app_cpu + concurrent.db_cpu + concurrent.client_cpu
        ) / concurrent.done
        print(
            f"CPU per registration at {clients} clients, server and bench client together: "
            f"{per_request * 1000:.1f} ms, so {os.cpu_count()} CPUs, fully used and shared "
            f"with nothing else, would give at most {os.cpu_count() / per_request:.0f} per second"
        )

    rate = lines[4].rate
    p95_registration = p95["registrations", clients]
    share = lines[5].rate / lines[3].rate

    def verdict(ok):
        return "met" if ok else "MISSED"

    print()
    print("targets (printed, not asserted):")
    print(
        f"  successful registrations/s at {clients} clients >= "
        f"{TARGET_REGISTRATIONS_PER_SECOND}: {rate:.1f} "
        f"({verdict(rate >= TARGET_REGISTRATIONS_PER_SECOND)})"
    )
    print(
        f"  server-side p95 of a registration at {clients} clients <= {TARGET_P95_MS} ms: "
        f"{p95_registration:.1f} ms ({verdict(p95_registration <= TARGET_P95_MS)})"
    )
    print(
        f"  catalog /training/ >= {TARGET_CATALOG_SHARE:.0%} of the trivial view at {clients} "
        f"clients: {share:.1%} ({verdict(share >= TARGET_CATALOG_SHARE)}); "
        f"with one client: {lines[2].rate / lines[0].rate:.1%}"
    )

    statuses = {}
    for r in results:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    events = data["sequential"] + data["concurrent"]
    found = check_invariants(plan, results, events)
    print()
    print(
        "answers: "
        + ", ".join(f"{count} x {status}" for status, count in sorted(statuses.items()))
        + f"; in the database: {found['held']} holding a seat, {found['waitlisted']} waitlisted, "
        f"{found['confirmed_sessions']} of {len(events)} sessions confirmed (minimum reached)"
    )
    print(f"oversold: {found['oversold']}")
    print(
        f"lost (answered a success, no row): {found['lost']}; twice (two rows for one person "
        f"and session): {found['twice']}; told a state the database does not hold: "
        f"{found['told_otherwise']}; rows without a success answer: "
        f"{found['rows_without_success']}"
    )
    written = found["written"]
    total = len(results) + plan.clients + 1  # the warm-up registrations wrote too
    print(
        f"rows written per registration (whole run, with the warm-up): "
        f"{written['notifications_outboundmessage'] / total:.2f} outbox, "
        f"{written['django_tasks_database_dbtaskresult'] / total:.2f} task, "
        f"{(written['people_auditevent'] - plan.people) / total:.2f} audit"
    )
    probe = subprocess.run(  # noqa: S603
        [PYTHON, "-m", "bench.bench_registration", "probe", mode, str(data_path)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    lines_out = probe.stdout.strip().splitlines()
    counts = json.loads(lines_out[0])
    print(
        "queries per request (in-process, same code): "
        f"registration {counts[0]['queries']} for a seat, {counts[1]['queries']} for the "
        f"waitlist; catalog {counts[2]['queries']} for a visitor's first look, "
        f"{counts[3]['queries']} for the next"
    )
    for line in lines_out[1:]:
        print(line)


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        _setup_data(sys.argv[2])
    elif sys.argv[1] == "probe":
        _probe_queries(sys.argv[2], json.loads(Path(sys.argv[3]).read_text()))
