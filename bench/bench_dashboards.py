"""The dashboards at /insights/ on PostgreSQL with 50,000 people, 1,000,000 registrations and
20,000 memberships, each against a plain `COUNT(*) GROUP BY` on the same tables in the same run
(the floor).

It creates the database `belong_bench_dashboards` (dropped and created again, migrated, filled by
the bench itself: 50,000 people in 40 units, 80% of them self-identified and most of those
consenting to aggregate reporting; 2,000 workshop sessions over the last year with 500
registrations each; 50 collectives of 400 memberships with a year of monthly counts; 20,000
foundational certificates; three mentorship cycles), then times each dashboard's `build` (all
its figures, through the disclosure engine; median of BENCH_ROUNDS, default 3, after one
warm-up) and its floor (the GROUP BY the dashboard could not do with less: people by unit and
kind joined to their self-identification, registrations by month and state, memberships by
collective and kind, enrolments by cycle and role). Targets: at most 2x the floor and under
1 s each, for the computation. It also prints the time of a view served from the cache
(belong.insights.freshness: computed once, kept until the data changes), for reference. Nothing is asserted; it needs PostgreSQL at 127.0.0.1:5432 (BENCH_PG) and skips
itself without one. `.venv/bin/python -m bench bench_dashboards`."""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_registration import (
    PYTHON,
    ROOT,
    Plan,
    _admin_connection,
    bench_env,
    drop_database,
    manage,
    recreate_database,
)

DB_NAME = "belong_bench_dashboards"  # the only database this bench creates, uses or drops
PEOPLE = 50_000
SESSIONS = 2_000
PER_SESSION = 500  # 1,000,000 registrations
COLLECTIVES = 50
PER_COLLECTIVE = 400  # 20,000 memberships
TARGET_RATIO = 2.0
TARGET_SECONDS = 1.0

FLOORS = {
    "representation": """
        SELECT p.org_unit_id, p.kind, COUNT(*) FROM people_person p
        JOIN people_selfidentification s ON s.person_id = p.id GROUP BY 1, 2""",
    "training": """
        SELECT date_trunc('month', e.start), r.state, COUNT(*) FROM events_registration r
        JOIN events_event e ON e.id = r.event_id GROUP BY 1, 2""",
    "collectives": """
        SELECT collective_id, kind, COUNT(*) FROM collectives_membership GROUP BY 1, 2""",
    "mentorship": """
        SELECT cycle_id, role, COUNT(*) FROM mentorship_enrollment GROUP BY 1, 2""",
}


# --- inside belong_bench_dashboards (a subprocess with the bench's environment) ----------------


def _setup():
    import datetime
    import random

    from django.db import connection, transaction
    from django.utils import timezone

    from belong.collectives.models import Collective, Membership, MembershipCount
    from belong.events.models import Event
    from belong.people.models import Consent, OrgUnit, Person, SelfIdentification

    rng = random.Random(7)  # noqa: S311 (invented data)
    with transaction.atomic():
        campus = OrgUnit.objects.create(slug="tc", name="Twin Cities", kind="campus")
        departments = [
            OrgUnit.objects.create(
                slug=f"d{n}", name=f"Department {n}", kind="department", parent=campus
            )
            for n in range(10)
        ]
        programs = [
            OrgUnit.objects.create(
                slug=f"p{n}", name=f"Program {n}", kind="program", parent=departments[n % 10]
            )
            for n in range(30)
        ]
        kinds = ["staff"] * 60 + ["faculty"] * 20 + ["resident"] * 15 + ["fellow"] * 5
        people = []
        for n in range(PEOPLE):
            kind = rng.choice(kinds)
            unit = (
                rng.choice(programs) if kind in ("resident", "fellow") else rng.choice(departments)
            )
            people.append(
                Person(
                    email=f"p{n}@bench.test",
                    full_name=f"Person {n}",
                    kind=kind,
                    org_unit=unit,
                    campus=campus,
                    password="!",  # noqa: S106 (cannot sign in)
                )
            )
        Person.objects.bulk_create(people, batch_size=5000)
        ids = list(Person.objects.values_list("pk", flat=True))
        races = [["white"]] * 60 + [["black_african_american"]] * 12 + [["asian"]] * 10
        races += (
            [["hispanic_latino"]] * 8
            + [["asian", "white"]] * 5
            + [["american_indian_alaska_native"]] * 3
        )
        genders = [["woman"]] * 55 + [["man"]] * 42 + [["non_binary"]] * 3
        answers, consents = [], []
        for pk in ids:
            if rng.random() < 0.8:
                answers.append(
                    SelfIdentification(
                        person_id=pk,
                        answers={
                            "race_ethnicity": {"values": rng.choice(races)},
                            "gender_identity": {"values": rng.choice(genders)},
                        },
                    )
                )
                if rng.random() < 0.85:
                    consents.append(Consent(person_id=pk, purpose="reporting"))
        SelfIdentification.objects.bulk_create(answers, batch_size=5000)
        Consent.objects.bulk_create(consents, batch_size=5000)

        now = timezone.now()
        events = [
            Event(
                kind="session",
                title=f"Session {n}",
                start=now - datetime.timedelta(days=1 + n % 360, hours=n % 7),
                end=now - datetime.timedelta(days=1 + n % 360, hours=n % 7 - 2),
                status="completed",
                uid=f"bench-{n}@belong",
            )
            for n in range(SESSIONS)
        ]
        Event.objects.bulk_create(events, batch_size=1000)
        first_event = Event.objects.order_by("pk").values_list("pk", flat=True).first()
        first_person = min(ids)
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO events_registration
                    (event_id, person_id, state, requested_at, created_at, updated_at)
                SELECT %s + e, %s + ((e * %s + k) %% %s),
                       CASE WHEN k %% 10 = 0 THEN 'no_show'
                            WHEN k %% 10 = 1 THEN 'registered' ELSE 'attended' END,
                       now(), now(), now()
                FROM generate_series(0, %s - 1) AS e, generate_series(0, %s - 1) AS k
                """,
                [first_event, first_person, PER_SESSION, PEOPLE, SESSIONS, PER_SESSION],
            )
            cursor.execute(
                """
                INSERT INTO training_certificate (person_id, kind, code, completed_on, issued_at)
                SELECT %s + n, 'foundational', 'B' || n, current_date - (n %% 360), now()
                FROM generate_series(0, 19999) AS n
                """,
                [first_person],
            )
        collectives = [
            Collective.objects.create(slug=f"c{n}", name=f"Collective {n}")
            for n in range(COLLECTIVES)
        ]
        Membership.objects.bulk_create(
            (
                Membership(
                    person_id=ids[(c * PER_COLLECTIVE + k) % PEOPLE],
                    collective=collective,
                    kind="member" if k % 4 else "ally",
                )
                for c, collective in enumerate(collectives)
                for k in range(PER_COLLECTIVE)
            ),
            batch_size=5000,
        )
        month = timezone.localdate().replace(day=1)
        counts = []
        for _ in range(12):
            counts += [
                MembershipCount(collective=c, month=month, members=300, allies=100)
                for c in collectives
            ]
            month = (month - datetime.timedelta(days=1)).replace(day=1)
        MembershipCount.objects.bulk_create(counts)
    _mentorship(ids)


def _mentorship(ids):
    import datetime

    from django.utils import timezone

    from belong.mentorship.models import Cycle, Enrollment

    today = timezone.localdate()
    for n in range(3):
        year = today.year - 3 + n
        cycle = Cycle.objects.create(
            title=f"{year}-{year + 1}",
            academic_year=f"{year}-{year + 1}",
            enrolment_opens_on=datetime.date(year, 7, 1),
            enrolment_closes_on=datetime.date(year, 8, 1),
            matching_on=datetime.date(year, 8, 15),
            mode="optimal",
            min_score=1,
        )
        Enrollment.objects.bulk_create(
            Enrollment(
                cycle=cycle,
                person_id=ids[n * 1000 + k],
                role="mentee" if k % 3 else "mentor",
                training_level="pgy1" if k % 3 else "associate",
                capacity=0 if k % 3 else 2,
            )
            for k in range(600)
        )


def _timed(call, rounds):
    call()  # warm-up: connections, caches of the process
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def _measure():
    from django.db import connection

    from belong.insights.dashboards import DASHBOARDS
    from belong.people.models import Person

    rounds = int(os.environ.get("BENCH_ROUNDS", 3))
    actor = Person.objects.create(email="analyst@bench.test", full_name="Analyst")

    def floor(sql):
        def call():
            with connection.cursor() as cursor:
                cursor.execute(sql)
                cursor.fetchall()

        return call

    from belong.insights import freshness

    results = {}
    for slug, board in DASHBOARDS.items():
        took = _timed(lambda board=board: board.build(actor=actor), rounds)
        base = _timed(floor(FLOORS[slug]), rounds)
        served = _timed(lambda board=board: freshness.figures(board, actor=actor), rounds)
        results[slug] = (took, base, served)
    print(json.dumps(results))


def run():
    plan = Plan()
    try:
        _admin_connection(plan).close()
    except Exception as exc:  # no server, or no access: say so, and let the other benches run
        print(f"skipped: no PostgreSQL at {plan.pg} ({exc.__class__.__name__}: {exc})")
        return
    var_dir = Path(tempfile.mkdtemp(prefix="belong-bench-dashboards-"))
    Path(var_dir, "static").mkdir()
    env = bench_env(plan, var_dir, db_name=DB_NAME)
    try:
        recreate_database(plan, DB_NAME)
        manage(env, "migrate", "--noinput", "--verbosity=0")
        start = time.perf_counter()
        subprocess.run(  # noqa: S603 (our interpreter and module, fixed arguments)
            [PYTHON, "-m", "bench.bench_dashboards", "setup"], cwd=ROOT, env=env, check=True
        )  # noqa: S603
        print(
            f"data: {PEOPLE:,} people, {SESSIONS * PER_SESSION:,} registrations, "
            f"{COLLECTIVES * PER_COLLECTIVE:,} memberships (set up in {time.perf_counter() - start:.0f} s)"
        )
        out = subprocess.run(  # noqa: S603
            [PYTHON, "-m", "bench.bench_dashboards", "measure"],
            cwd=ROOT,
            env=dict(env, BELONG_INSIGHTS_CACHE_SECONDS="3600"),  # one process: its cache will do
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results = json.loads(out.strip().splitlines()[-1])
        print(
            f"targets: <= {TARGET_RATIO:g}x the floor (a COUNT(*) GROUP BY on the same tables), < {TARGET_SECONDS:g} s"
        )
        for slug, (took, base, served) in results.items():
            ratio = took / base if base else float("inf")
            print(
                f"  {slug:15} {took:7.3f} s = {ratio:6.1f} x floor ({base * 1000:.1f} ms)"
                f"  [ratio: {'met' if ratio <= TARGET_RATIO else 'MISSED'}]"
                f"  [time: {'met' if took < TARGET_SECONDS else 'MISSED'}]"
                f"  served from the cache: {served * 1000:.2f} ms"
            )
    finally:
        if os.environ.get("BENCH_KEEP_DB") == "1":
            print(f"kept the database {DB_NAME} (BENCH_KEEP_DB=1); drop it when done")
        else:
            drop_database(plan, DB_NAME)


if __name__ == "__main__" and sys.argv[1:2] in (["setup"], ["measure"]):
    import django

    django.setup()
    (_setup if sys.argv[1] == "setup" else _measure)()
