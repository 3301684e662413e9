"""The collectives' pages through the real HTTP stack: gunicorn, Django, PostgreSQL.

The bench starts its own gunicorn (the harness's machinery, bench/harness.py: `Server`,
`run_clients`, `ServerCPU`, the access log's server-side times) against a database named
`belong_bench_collectives` (dropped and created again, migrated, filled by the bench itself),
then measures, with the same client and the same server in the same run:

- the floor: GET /healthz (one trivial query);
- the directory of collectives GET /collectives/;
- a collective's page GET /collectives/<slug>/ (every request another collective, in turn);
- the business directory GET /collectives/businesses/ (skipped, with a line saying so, while
  the route does not answer);
- for reference, with no target: the lightest signed-in page, a collective's leave
  confirmation GET /collectives/<slug>/leave/ (visitors are sent to sign in: skipped for them),
  which shows what signing in and the site header cost every page;

each page as a visitor and as a signed-in member (a session cookie: on a collective's page, a
member of that collective, who sees the roster its members opened to them), with 1 client and
with 50 clients, in interleaved rounds. The data: 50 collectives, 20,000 memberships of 5,000
people (collectives of very different sizes, a share of allies that varies, so some counts fall
under the disclosure threshold; most memberships visible to leaders only, some to members, some
to everyone), three current leaders each, a few upcoming events each (held through
belong.collectives.actions.events, one co-hosted, with registrations), announcements, published
stories, submitted recommendations, 200 approved businesses and a few suggested, community
partners. Memberships are written in bulk, then counted for the month with `record_month`.

It prints requests per second, each as a ratio to the floor at the same concurrency, the
server-side p50 and p95 (gunicorn's access log), the client-side p95 and the CPU per request of
gunicorn's workers and PostgreSQL's backends; the targets beside them (at least 25% of the
floor's throughput, p95 at most 50 ms; nothing about time is asserted); then, in-process, the
queries each page costs.

Run it alone with `.venv/bin/python -m bench bench_collectives`. Settings (environment):
BENCH_CLIENTS (50), BENCH_COLLECTIVES (50), BENCH_MEMBERSHIPS (20000), BENCH_PEOPLE (5000),
BENCH_BUSINESSES (200), BENCH_EVENTS (3 per collective), BENCH_SECONDS (2, each measure in each
round), BENCH_ROUNDS (3), BENCH_WORKERS (3), BENCH_THREADS (1), BENCH_CONN_MAX_AGE (60),
BENCH_PG (postgres://postgres@127.0.0.1:5432; the database name is always
belong_bench_collectives), BENCH_PROFILE=1 adds a cProfile of each page and its slowest
statements (in-process), BENCH_KEEP_DB=1 keeps the database afterwards for a look.
"""

import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.harness import (
    Client,
    Line,
    ServerCPU,
    ServerPlan,
    describe_setup,
    env_float,
    env_int,
    get,
    measure_through_server,
    median_time,
    print_profile,
    print_table,
    profiled,
    run_clients,
    run_module,
    signed_in,
    verdict,
)

DB_NAME = "belong_bench_collectives"  # the only database this bench creates, uses or drops

TARGET_SHARE = 0.25
TARGET_P95_MS = 50

BUSINESSES_PATH = "/collectives/businesses/"
PAGES = (
    ("directory", "/collectives/"),
    ("collective", "/collectives/{slug}/"),
    ("businesses", BUSINESSES_PATH),
    ("leave-form", "/collectives/{slug}/leave/"),
)
# Measured for reference, with no target: the lightest page a signed-in person gets (a
# confirmation form under the site header), what signing in costs every page.
REFERENCE = ("leave-form",)
ROLES = ("visitor", "member")


@dataclass
class Plan(ServerPlan):
    """The harness's server settings (workers, threads, connections, PostgreSQL), with this
    bench's data."""

    seconds: float = field(default_factory=lambda: env_float("BENCH_SECONDS", 2))
    people: int = field(default_factory=lambda: env_int("BENCH_PEOPLE", 5000))
    collectives: int = field(default_factory=lambda: env_int("BENCH_COLLECTIVES", 50))
    memberships: int = field(default_factory=lambda: env_int("BENCH_MEMBERSHIPS", 20000))
    businesses: int = field(default_factory=lambda: env_int("BENCH_BUSINESSES", 200))
    events: int = field(default_factory=lambda: env_int("BENCH_EVENTS", 3))


# --- inside belong_bench_collectives (a subprocess with the bench's environment) --------------

FIRST = "Amara Bao Carmen Dmitri Esi Farah Gabriel Hana Ines Jamal Kai Lena Mateo Noor Omar".split()
LAST = "Achebe Barros Chen Diallo Evans Fofana Garcia Haddad Ito Jensen Kim Lopez Mensah".split()
PARAGRAPH = (
    "We meet every month to share what we learned, to welcome new colleagues and to plan the "
    "next steps with our partners. **Everyone is welcome**, members and allies alike; bring a "
    "friend, bring a question, or just come and listen. [Read more](https://example.org/more)."
)


def _setup_data(out_path):
    """People, collectives with their leaders, memberships, events, announcements, stories,
    recommendations and the directories. Writes a JSON plan: the collectives' slugs and, per
    collective, the session of one of its members."""
    import datetime
    import random

    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import connection, transaction
    from django.utils import timezone

    from belong.collectives.actions import events as collective_events
    from belong.collectives.actions.memberships import record_month
    from belong.collectives.models import (
        Announcement,
        Business,
        Collective,
        Commitment,
        Experience,
        FocusArea,
        LeaderRole,
        Membership,
        Partner,
        Recommendation,
    )
    from belong.events.models import Event, Registration
    from belong.people import roles
    from belong.people.models import Person

    plan = json.loads(os.environ["BENCH_PLAN"])
    rng = random.Random(4)
    now = timezone.now()
    today = timezone.localdate()
    began = time.perf_counter()

    with transaction.atomic():
        password = make_password(None)
        Person.objects.bulk_create(
            [
                Person(
                    email=f"bench-person-{n}@example.org",
                    full_name=f"{FIRST[n % len(FIRST)]} {LAST[n // len(FIRST) % len(LAST)]} {n}",
                    pronouns=("she/her", "he/him", "they/them", "")[n % 4],
                    password=password,
                )
                for n in range(plan["people"])
            ],
            batch_size=2000,
        )
        people = list(
            Person.objects.filter(email__startswith="bench-person-").order_by("pk").only("pk")
        )
        admin = Person.objects.create_user(email="bench-admin@example.org", full_name="Bench Admin")
        admin.groups.add(Group.objects.get_or_create(name=roles.DEI_ADMINISTRATOR)[0])

        # Collectives: the seed's, and more up to the plan's number.
        areas = list(FocusArea.objects.order_by("order", "pk"))
        seeded = list(Collective.objects.filter(is_active=True).order_by("order", "pk"))
        Collective.objects.filter(pk__in=[c.pk for c in seeded[plan["collectives"] :]]).update(
            is_active=False
        )
        new = Collective.objects.bulk_create(
            [
                Collective(
                    name=f"Bench Collective {n}",
                    slug=f"bench-collective-{n}",
                    summary=PARAGRAPH[:180],
                    mission=PARAGRAPH,
                    vision=PARAGRAPH,
                    order=100 + n,
                )
                for n in range(max(0, plan["collectives"] - len(seeded)))
            ]
        )
        Commitment.objects.bulk_create(
            [Commitment(collective=c, order=k, text=PARAGRAPH[:120]) for c in new for k in range(4)]
        )
        Collective.focus_areas.through.objects.bulk_create(
            [
                Collective.focus_areas.through(collective_id=c.pk, focusarea_id=a.pk)
                for n, c in enumerate(new)
                for a in (areas[n % len(areas)], areas[(n + 3) % len(areas)])
            ]
            if areas
            else []
        )
        collectives = list(
            Collective.objects.filter(is_active=True).order_by("order", "pk")[: plan["collectives"]]
        )

        # Memberships: sizes from a Zipf-like law (a few large collectives, many small ones),
        # allies a varying share, most visible to leaders only.
        weights = [1 / (n + 1) for n in range(len(collectives))]
        rng.shuffle(weights)
        total = sum(weights)
        sizes = [min(len(people), round(plan["memberships"] * w / total)) for w in weights]
        largest = sizes.index(max(sizes))
        sizes[largest] = min(len(people), sizes[largest] + plan["memberships"] - sum(sizes))
        rows, member_of = [], {}
        V = Membership.Visibility
        for collective, size in zip(collectives, sizes, strict=True):
            ally_share = rng.uniform(0.03, 0.4)
            chosen = rng.sample(people, size)
            member_of[collective.pk] = chosen
            for person in chosen:
                rows.append(
                    Membership(
                        person=person,
                        collective=collective,
                        kind="ally" if rng.random() < ally_share else "member",
                        visibility=rng.choices(
                            [V.LEADERS, V.MEMBERS, V.ORGANIZATION], weights=[70, 20, 10]
                        )[0],
                        joined_at=now - datetime.timedelta(days=rng.randrange(700)),
                    )
                )
        Membership.objects.bulk_create(rows, batch_size=5000)
        for collective in collectives:
            record_month(collective, today=today)

        # Leaders: a chair, a co-chair and an executive sponsor each, current terms.
        leaders = rng.sample(people, 3 * len(collectives))
        LeaderRole.objects.bulk_create(
            [
                LeaderRole(
                    collective=c,
                    person=leaders[3 * n + k],
                    title=title,
                    starts_on=today - datetime.timedelta(days=200),
                    ends_on=today + datetime.timedelta(days=165) if k == 2 else None,
                )
                for n, c in enumerate(collectives)
                for k, title in enumerate(
                    (
                        LeaderRole.Title.CHAIR,
                        LeaderRole.Title.CO_CHAIR,
                        LeaderRole.Title.EXECUTIVE_SPONSOR,
                    )
                )
            ]
        )

        # Events, held through the collectives' action: members only, the organization
        # (co-hosted with the next collective), public; ten registrations each.
        visibilities = [
            Event.Visibility.MEMBERS,
            Event.Visibility.ORGANIZATION,
            Event.Visibility.PUBLIC,
        ]
        registrations = []
        for n, collective in enumerate(collectives):
            for k in range(plan["events"]):
                start = now.replace(minute=0, second=0, microsecond=0) + datetime.timedelta(
                    days=2 + 5 * k + n % 7, hours=n % 5
                )
                event = collective_events.create_collective_event(
                    collective.pk,
                    actor=admin,
                    cohosts=[collectives[(n + 1) % len(collectives)].pk] if k % 3 == 1 else (),
                    focus_areas=[areas[(n + k) % len(areas)].pk] if areas else (),
                    title=f"{collective.name}: gathering {k + 1}",
                    description=PARAGRAPH,
                    start=start,
                    end=start + datetime.timedelta(hours=2),
                    format=Event.Format.VIRTUAL,
                    online_join_details="https://meet.example.org/bench",
                    capacity=40,
                    visibility=visibilities[k % 3],
                )
                registrations += [
                    Registration(event=event, person=p, state=Registration.State.REGISTERED)
                    for p in member_of[collective.pk][:10]
                ]
        Registration.objects.bulk_create(registrations, batch_size=5000)

        # Announcements (public and members only), stories, recommendations.
        announcements = Announcement.objects.bulk_create(
            [
                Announcement(
                    collective=c,
                    title=f"News from {c.name}, {k + 1}",
                    body="\n\n".join([PARAGRAPH] * 3),
                    audience=("public", "members")[k % 2],
                    author=leaders[3 * n],
                    published_at=now - datetime.timedelta(days=7 * k + n % 5),
                )
                for n, c in enumerate(collectives)
                for k in range(6)
            ]
        )
        if areas:
            Announcement.focus_areas.through.objects.bulk_create(
                [
                    Announcement.focus_areas.through(
                        announcement_id=a.pk, focusarea_id=areas[n % len(areas)].pk
                    )
                    for n, a in enumerate(announcements)
                ]
            )
        Experience.objects.bulk_create(
            [
                Experience(
                    collective=c,
                    text=PARAGRAPH,
                    consent_to_publish=True,
                    state=Experience.State.PUBLISHED,
                    shared_on=today - datetime.timedelta(days=30 + 10 * k),
                    published_on=today - datetime.timedelta(days=20 + 10 * k),
                    story_text=PARAGRAPH,
                )
                for c in collectives
                for k in range(4)
            ]
        )
        Recommendation.objects.bulk_create(
            [
                Recommendation(
                    collective=c,
                    title=f"Recommendation {k + 1} of {c.name}",
                    problem=PARAGRAPH,
                    proposal=PARAGRAPH,
                    state=(Recommendation.State.SUBMITTED, Recommendation.State.ACKNOWLEDGED)[k],
                    author=leaders[3 * n],
                    submitted_at=now - datetime.timedelta(days=10 + 20 * k),
                )
                for n, c in enumerate(collectives)
                for k in range(2)
            ]
        )

        # The directories: approved businesses and a few suggested, community partners.
        categories = ["Catering", "Printing", "Consulting", "Cleaning", "Design", "IT services"]
        ownerships = ["Black-owned", "Woman-owned", "Latino-owned", "Veteran-owned", "AAPI-owned"]
        Business.objects.bulk_create(
            [
                Business(
                    name=f"Bench Business {n}",
                    description=PARAGRAPH[:200],
                    category=categories[n % len(categories)],
                    area_served=("Downtown", "North County", "Statewide")[n % 3],
                    contact_name=f"{FIRST[n % len(FIRST)]} {LAST[n % len(LAST)]}",
                    email=f"hello{n}@business.example.org",
                    phone="+1 555 0100",
                    website=f"https://business{n}.example.org",
                    ownership="; ".join(ownerships[n % 5 : n % 5 + 2]),
                    certifications=("MBE", "WBE", "MBE, DBE", "")[n % 4],
                    status=Business.Status.APPROVED if n < plan["businesses"] else "suggested",
                    reviewed_at=now if n < plan["businesses"] else None,
                )
                for n in range(plan["businesses"] + plan["businesses"] // 10)
            ]
        )
        Partner.objects.bulk_create(
            [
                Partner(
                    name=f"Bench Partner {n}",
                    description=PARAGRAPH[:200],
                    category=("Education", "Health", "Housing", "Arts")[n % 4],
                    website=f"https://partner{n}.example.org",
                    status=Partner.Status.APPROVED,
                    reviewed_at=now,
                )
                for n in range(max(1, plan["businesses"] // 5))
            ]
        )

        # One signed-in member per collective (a member of it, whose page they will look at).
        leader_ids = {p.pk for p in leaders}
        members, used = [], set()
        for collective in collectives:
            person = next(
                p for p in member_of[collective.pk] if p.pk not in used and p.pk not in leader_ids
            )
            used.add(person.pk)
            person = Person.objects.get(pk=person.pk)
            members.append({"slug": collective.slug, "session": signed_in(person)})

    with connection.cursor() as cursor:  # the planner's statistics, as a live database has them
        cursor.execute("VACUUM ANALYZE")
    sizes = sorted(len(v) for v in member_of.values())
    Path(out_path).write_text(
        json.dumps(
            {
                "members": members,
                "collectives": len(collectives),
                "memberships": Membership.objects.count(),
                "people": len(people),
                "sizes": [sizes[0], sizes[len(sizes) // 2], sizes[-1]],
                "events": Event.objects.filter(kind=Event.Kind.COLLECTIVE).count(),
                "businesses": Business.objects.filter(status="approved").count(),
                "seconds": time.perf_counter() - began,
            }
        )
    )


def _probe(data, profile):
    """Queries and in-process time of each page for each role; with `profile`, a cProfile and
    the slowest statements. Prints lines for the parent."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client as DjangoClient
    from django.test.utils import CaptureQueriesContext

    member = data["members"][0]
    for page, path, role in _measured(data):
        path = path.format(slug=member["slug"])
        client = DjangoClient()
        if role == "member":
            client.cookies["sessionid"] = member["session"]
        counts = []
        for _look in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            counts.append(len(queries))
        if response.status_code != 200:
            print(f"  {page} as a {role}: {path} answered {response.status_code}")
            continue
        median, _response = median_time(lambda path=path, client=client: client.get(path), 20)
        print(
            f"  {page:10} {role:7} {path:40} {counts[0]:3} queries first, {counts[1]:3} next; "
            f"{median * 1000:6.1f} ms in-process (median of 20)"
        )
        if not profile:
            continue
        statements = {}
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        for query in queries:
            statements[query["sql"][:150]] = float(query["time"]) * 1000
        for sql, ms in sorted(statements.items(), key=lambda item: -item[1])[:5]:
            print(f"      {ms:6.2f} ms  {sql}")
        profiler, _took = profiled([lambda path=path, client=client: client.get(path)] * 30)
        wanted = ("/belong/", "django/template/", "django/db/models/sql/")
        print_profile(profiler, 30, wanted, top=15, indent="      ", calls_format="7.1f")


# --- the run -----------------------------------------------------------------------------------


def _measured(data):
    """(page, path, role) of every measure, the business directory only when it is there."""
    return [
        (page, path, role)
        for page, path in PAGES
        if page != "businesses" or data.get("businesses_there", True)
        for role in ROLES
        if (page, role) not in data.get("skipped", ())
    ]


def worklists(path, role, members, clients, tag):
    """Client c goes round the collectives (or the members' sessions) from its own start."""
    calls = [
        get(
            f"{path.format(slug=m['slug'])}?bench={tag}",
            m["session"] if role == "member" else None,
        )
        for m in members
    ]
    step = max(1, len(calls) // clients)
    return [calls[c * step % len(calls) :] + calls[: c * step % len(calls)] for c in range(clients)]


def run():
    plan = Plan()
    measure_through_server(
        plan,
        DB_NAME,
        "bench.bench_collectives",
        measure,
        people=plan.people,
        collectives=plan.collectives,
        memberships=plan.memberships,
        businesses=plan.businesses,
        events=plan.events,
    )


def check_pages(server, data):
    """Which pages answer whom. The business directory is skipped while its route is absent
    (404); a page that sends one role elsewhere (sign-in) is skipped for that role. A member's
    cookie must sign in (the page says "You are a member" or "You are an ally")."""
    client, member = Client(server.port), data["members"][0]
    data["skipped"] = []
    for page, path in PAGES:
        path = path.format(slug=member["slug"])
        answers = {
            "visitor": client.request("GET", path)[0],
            "member": client.request("GET", path, {"Cookie": f"sessionid={member['session']}"}),
        }
        answers["member"], body = answers["member"]
        if page == "businesses" and 404 in answers.values():
            data["businesses_there"] = False
            print(f"skipped: {path} answers {answers['visitor']} (the route is not there yet)")
            continue
        for role, status in answers.items():
            if status != 200:
                data["skipped"].append((page, role))
                print(f"skipped: {path} as a {role} answers {status}")
        if page == "directory" and b"You are a" not in body:
            print("warning: the member's session cookie does not seem to sign in")
    client.close()


def measure(plan, server, data, env, data_path):
    port, clients, members = server.port, plan.clients, data["members"]
    describe_setup(plan, server, DB_NAME)
    smallest, median, largest = data["sizes"]
    print(
        f"data: {data['collectives']} collectives, {data['memberships']} memberships of "
        f"{data['people']} people (per collective: {smallest} to {largest}, median {median}), "
        f"3 leaders each, {data['events']} upcoming events, 6 announcements, 4 stories and "
        f"2 recommendations each, {data['businesses']} approved businesses; written in "
        f"{data['seconds']:.0f} s"
    )
    check_pages(server, data)
    measured = _measured(data)
    print(
        f"measured: {plan.rounds} rounds of {plan.seconds:g} s per measure; a collective's page "
        f"goes round all {len(members)} collectives; a member is signed in by a session cookie "
        f"(on a collective's page, a member of that collective)"
    )

    warm = plan.warm_clients
    run_clients(
        port,
        [[get("/healthz?bench=warm")]]
        + [
            w[:3]
            for _p, path, role in measured
            for w in worklists(path, role, members, warm, "warm")
        ],
    )

    lines = []
    server_cpu = ServerCPU(server, DB_NAME)
    for n_clients in (1, clients):
        floor = Line("floor /healthz", n_clients, f"floor-c{n_clients}")
        these = [floor] + [
            Line(f"{page} {role}", n_clients, f"{page}-{role}-c{n_clients}")
            for page, _path, role in measured
        ]
        paths = {line.key: path for line, (_p, path, _r) in zip(these[1:], measured, strict=True)}
        roles = {
            line.key: role for line, (_p, _path, role) in zip(these[1:], measured, strict=True)
        }
        lines += these
        # Interleaved, so that a neighbour's load falls on the floor and on what it measures.
        for _round in range(plan.rounds):
            for line in these:
                if line is floor:
                    work = [[get(f"/healthz?bench={line.key}")]] * n_clients
                else:
                    work = worklists(paths[line.key], roles[line.key], members, n_clients, line.key)
                line.measure(port, work, server_cpu, seconds=plan.seconds)
    load_after = os.getloadavg()[0]

    server.stop()  # flushes the access log
    by_tag = {}
    for _method, _path, query, _status, ms in server.log_entries():
        by_tag.setdefault(query.removeprefix("bench="), []).append(ms)

    p95 = print_table(lines, lambda line: by_tag.get(line.key, []), width=22, all_cpu=True)
    print(
        f"(app and db CPU: CPU time per request of gunicorn's workers and of PostgreSQL's "
        f"backends for {DB_NAME}; all CPU: those and the bench client's own; load average "
        f"after: {load_after:.1f})"
    )

    print()
    print(
        f"targets (printed, not asserted): at least {TARGET_SHARE:.0%} of the trivial view's "
        f"throughput, server-side p95 at most {TARGET_P95_MS} ms"
    )
    floors = {line.clients: line.rate for line in lines if line.label.startswith("floor")}
    floor_cpu = {
        line.clients: line.all_cpu / line.done
        for line in lines
        if line.label.startswith("floor") and line.all_cpu is not None and line.done
    }
    for line in lines:
        if line.label.startswith("floor"):
            continue
        share = line.rate / floors[line.clients]
        cpu = line.all_cpu
        bound = (
            f"; CPU-bound share {floor_cpu[line.clients] / (cpu / line.done):6.1%}"
            if cpu and line.done and line.clients in floor_cpu
            else ""
        )
        if line.label.startswith(REFERENCE):
            print(
                f"  {line.label:22} {line.clients:>3} clients: {share:6.1%} of the floor, "
                f"p95 {p95[line.key]:5.1f} ms (for reference: no target){bound}"
            )
            continue
        print(
            f"  {line.label:22} {line.clients:>3} clients: {share:6.1%} of the floor "
            f"({verdict(share >= TARGET_SHARE)}), p95 {p95[line.key]:5.1f} ms "
            f"({verdict(p95[line.key] <= TARGET_P95_MS)}){bound}"
        )
    print(
        "  (CPU-bound share: the floor's CPU per request over the page's, all processes: the "
        "share the CPUs allow whatever else runs on the machine)"
    )

    probe_data = dict(data, skipped=[list(s) for s in data["skipped"]])
    data_path.write_text(json.dumps(probe_data))
    probe = run_module(
        "bench.bench_collectives",
        "probe",
        str(data_path),
        env=dict(env, BENCH_PROFILE=os.environ.get("BENCH_PROFILE", "0")),
        capture=True,
    )
    print()
    print("in-process, the same code and data (the first member's session and collective):")
    print(probe.rstrip())


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        _setup_data(sys.argv[2])
    elif sys.argv[1] == "probe":
        loaded = json.loads(Path(sys.argv[2]).read_text())
        loaded["skipped"] = [tuple(s) for s in loaded.get("skipped", ())]
        _probe(loaded, os.environ.get("BENCH_PROFILE") == "1")
