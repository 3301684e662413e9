"""Registrations per second through the real HTTP stack: gunicorn, Django, PostgreSQL.

The bench starts its own gunicorn (bench/harness.py) against a database named `belong_bench`
(dropped and created again, migrated, filled by the bench itself: the seed catalog, people with
API tokens, sessions with limited capacity), then measures, with the same client and the same
server in the same run:

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

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.harness import (
    Client,
    Line,
    ServerCPU,
    ServerPlan,
    describe_setup,
    env_int,
    get,
    measure_through_server,
    print_profile,
    print_table,
    profiled,
    run_clients,
    run_module,
    signed_in,
    verdict,
)

DB_NAME = "belong_bench"  # the only database this bench creates, uses or drops

TARGET_REGISTRATIONS_PER_SECOND = 150
TARGET_P95_MS = 50
TARGET_CATALOG_SHARE = 0.25

HOLDS_SEAT = ("registered", "attended", "no_show")


@dataclass
class Plan(ServerPlan):
    """The harness's server settings, with this bench's data and how it registers."""

    people: int = field(default_factory=lambda: env_int("BENCH_PEOPLE", 300))
    sessions: int = field(default_factory=lambda: env_int("BENCH_SESSIONS", 10))
    sequential: int = field(default_factory=lambda: env_int("BENCH_SEQUENTIAL", 200))
    mode: str = field(default_factory=lambda: os.environ.get("BENCH_MODE", "auto"))

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


# --- inside belong_bench (a subprocess with the bench's environment) ---------------------------


def _setup_data(out_path):
    """People with tokens (and signed-in sessions, for the page fallback), and sessions hosted
    by the seed courses, all through the project's own actions. Writes a JSON plan."""
    import datetime

    import django

    django.setup()
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
            people.append({"id": person.pk, "token": secret, "session": signed_in(person)})
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
        profiler, took = profiled(calls[1:])
        n = len(calls) - 1
        print(f"profile of {title}: {took / n * 1000:.1f} ms each under cProfile")
        interesting = (
            "/belong/",
            "icalendar/cal/",
            "django/template/loader.py",
            "django/db/backends/utils.py",
            "django/core/handlers/base.py",
            "ninja/operation.py",
        )
        print_profile(profiler, n, interesting, top=20, indent="  ", calls_format="6.2f")


# --- the client --------------------------------------------------------------------------------

CSRF = "benchbenchbenchbenchbenchbench32"  # a 32-character CSRF secret, in cookie and form


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
    measure_through_server(
        plan,
        DB_NAME,
        "bench.bench_registration",
        measure,
        people=plan.people,
        clients=plan.clients,
        sessions=plan.sessions,
        sequential_sessions=plan.SEQUENTIAL_SESSIONS,
        capacity=plan.capacity,
        sequential_capacity=plan.sequential_capacity,
    )


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


def measure(plan, server, data, env, data_path):
    port, people, clients = server.port, data["people"], plan.clients
    mode = choose_mode(plan, server, data)
    if mode is None:
        print("no registration endpoint yet (neither the API's PUT nor the page's POST): skipped")
        return
    html_path = data["html_path"]
    describe_setup(plan, server, DB_NAME, ", tasks: database")
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

    warm = [[get("/healthz?bench=warm"), get("/training/?bench=warm")]] * plan.warm_clients
    run_clients(port, warm)
    run_clients(
        port,
        registration_worklists(mode, html_path, people[: plan.clients], data["warmup"], clients),
    )

    lines, results = [], []
    server_cpu = ServerCPU(server, DB_NAME)
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
                line.measure(port, [[get(path)]] * n_clients, server_cpu, seconds=plan.seconds)
                if line is floor:
                    results += registrations.measure(
                        port,
                        [chunk[round_] for chunk in chunks if chunk[round_]],
                        server_cpu,
                        ok=lambda answer: answer["status"] in (200, 201, 302, 303),
                    )
    load_after = os.getloadavg()[0]

    server.stop()  # flushes the access log
    entries = server.log_entries()

    def server_times(line):
        key = line.key
        if key[0] == "GET":
            _kind, path, tag = key
            return [e[4] for e in entries if e[1] == path and e[2] == f"bench={tag}"]
        events = {str(event_id) for event_id in key[1]}
        return [
            e[4]
            for e in entries
            if e[0] in ("PUT", "POST") and e[1].rstrip("/").split("/")[-2] in events
        ]

    p95 = print_table(lines, server_times, width=24, client_share=True, failed="a success")
    print(
        f"(client CPU: the bench's own share of one core while measuring; app and db CPU: "
        f"CPU time per request of gunicorn's workers and of PostgreSQL's backends for "
        f"{DB_NAME}; load average after: {load_after:.1f})"
    )
    concurrent = lines[4]
    if concurrent.all_cpu is not None and concurrent.done:
        per_request = concurrent.all_cpu / concurrent.done
        print(
            f"CPU per registration at {clients} clients, server and bench client together: "
            f"{per_request * 1000:.1f} ms, so {os.cpu_count()} CPUs, fully used and shared "
            f"with nothing else, would give at most {os.cpu_count() / per_request:.0f} per second"
        )

    rate = lines[4].rate
    p95_registration = p95[lines[4].key]
    share = lines[5].rate / lines[3].rate

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
    probe = run_module(
        "bench.bench_registration", "probe", mode, str(data_path), env=env, capture=True
    )
    lines_out = probe.strip().splitlines()
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
