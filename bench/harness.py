"""What the benchmarks share: the bench's own PostgreSQL database, a real server (gunicorn),
HTTP clients, CPU read from /proc, the floor's timing and the ratio table.

A bench that measures through the real HTTP stack (bench_registration, bench_collectives) runs

    plan = SomePlan()                      # a ServerPlan: BENCH_* settings from the environment
    measure_through_server(plan, DB_NAME, "bench.bench_x", measure, people=plan.people)

which skips without PostgreSQL, makes the bench's database (`database`), has the bench fill it
(`fill`: `python -m bench.bench_x setup`), starts gunicorn (`server`) and calls

    def measure(plan, running, data, env, data_path):
        line = Line("floor GET /healthz", clients, key)
        line.measure(running.port, [[get("/healthz")]] * clients, ServerCPU(running, DB_NAME))
        ...
        running.stop()                     # flushes the access log: server-side times
        print_table(lines, server_times, ...)

and one that needs only the database (bench_dashboards) uses `database` and `run_module`
alone. The in-process benches (bench_pages, bench_disclosure, bench_matching, bench_releases)
time with `median_time`. Nothing here asserts anything about time."""

import cProfile
import http.client
import json
import os
import pstats
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def env_int(name, default):
    return int(os.environ.get(name, default))


def env_float(name, default):
    return float(os.environ.get(name, default))


@dataclass
class ServerPlan:
    """The settings every bench against PostgreSQL and gunicorn shares (environment: BENCH_*);
    a bench subclasses it with its own data's."""

    clients: int = field(default_factory=lambda: env_int("BENCH_CLIENTS", 50))
    seconds: float = field(default_factory=lambda: env_float("BENCH_SECONDS", 3))
    rounds: int = field(default_factory=lambda: env_int("BENCH_ROUNDS", 3))
    # Three sync workers: a registration is CPU-bound Python, and on two cores shared with
    # PostgreSQL and the clients, threads inside a worker only queue for the GIL (gthread 2x4
    # and 3x4 measured lower throughput and a p95 two to four times higher). One more worker
    # than cores covers the time a worker waits on PostgreSQL.
    workers: int = field(default_factory=lambda: env_int("BENCH_WORKERS", 3))
    threads: int = field(default_factory=lambda: env_int("BENCH_THREADS", 1))
    # Persistent connections, as a production deployment runs: with 0 (Django's default)
    # every request opens a PostgreSQL connection, and the floor measures that instead.
    conn_max_age: int = field(default_factory=lambda: env_int("BENCH_CONN_MAX_AGE", 60))
    pg: str = field(
        default_factory=lambda: os.environ.get(
            "BENCH_PG", "postgres://postgres@127.0.0.1:5432"
        ).rstrip("/")
    )

    @property
    def warm_clients(self):
        """Enough clients to warm every worker up: code paths, templates, connections."""
        return self.workers * max(self.threads, 1) * 4


# --- the database ------------------------------------------------------------------------------


def admin_connection(plan):
    import psycopg

    return psycopg.connect(f"{plan.pg}/postgres", autocommit=True)


def postgres_or_skip(plan):
    """Whether PostgreSQL answers; if not, says so (the other benches still run)."""
    try:
        admin_connection(plan).close()
    except Exception as exc:  # no server, or no access
        print(f"skipped: no PostgreSQL at {plan.pg} ({exc.__class__.__name__}: {exc})")
        return False
    return True


def pg_version(plan):
    with admin_connection(plan) as conn:
        return conn.execute("SHOW server_version").fetchone()[0].split()[0]


def recreate_database(plan, name):
    with admin_connection(plan) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(plan, name):
    with admin_connection(plan) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_env(plan, var_dir, db_name, **extra):
    """The environment of every process that touches the bench's database `db_name` (each
    bench has its own): production-like settings."""
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


def run_module(module, *args, env=None, capture=False):
    """`python -m module args` in the project (with the bench's environment `env`); its
    standard output when `capture`."""
    done = subprocess.run(  # noqa: S603 (our interpreter and module)
        [PYTHON, "-m", module, *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=capture,
    )
    return done.stdout


def fill(module, env, var_dir, **sizes):
    """Runs `python -m module setup <path>` with the bench's environment and `sizes` as JSON in
    BENCH_PLAN: the bench fills its database and writes what the measures need to the path as
    JSON. Returns (that data, the path)."""
    path = Path(var_dir, "plan.json")
    run_module(module, "setup", str(path), env=dict(env, BENCH_PLAN=json.dumps(sizes)))
    return json.loads(path.read_text()), path


@contextmanager
def database(plan, name, tag, *, content=True):
    """The bench's own database `name` (the only one it creates, uses or drops), dropped and
    created again, migrated and, with `content`, the seed content loaded; yields (environment,
    a temporary BELONG_VAR_DIR). Dropped at the end, on errors and on Ctrl-C, unless
    BENCH_KEEP_DB=1."""
    var_dir = Path(tempfile.mkdtemp(prefix=f"belong-bench-{tag}-"))
    Path(var_dir, "static").mkdir()
    env = bench_env(plan, var_dir, name)
    try:
        recreate_database(plan, name)
        manage(env, "migrate", "--noinput", "--verbosity=0")
        if content:
            manage(env, "load_content", "--verbosity=0")
        yield env, var_dir
    finally:
        if os.environ.get("BENCH_KEEP_DB") == "1":
            print(f"kept the database {name} (BENCH_KEEP_DB=1); drop it when done")
        else:
            try:
                drop_database(plan, name)
            except Exception as exc:
                print(f"could not drop {name}: {exc}")
        shutil.rmtree(var_dir, ignore_errors=True)


def signed_in(person):
    """A session key signing `person` in (inside the bench's Django process)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(person.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = person.get_session_auth_hash()
    store.create()
    return store.session_key


# --- the server --------------------------------------------------------------------------------

LOG_FORMAT = "%(m)s|%(U)s|%(q)s|%(s)s|%(D)s"  # method, path, query, status, microseconds


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on a free port, its access log giving each request's server-side time."""

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
        """(method, path, query, status, milliseconds) of every request, once stopped."""
        entries = []
        for line in self.access_log.read_text().splitlines():
            parts = line.split("|")
            if len(parts) == 5:
                method, path, query, status, micros = parts
                entries.append((method, path, query, int(status), int(micros) / 1000))
        return entries


@contextmanager
def server(plan, env, var_dir):
    """A started Server, stopped at the end (also on errors and on Ctrl-C)."""
    running = Server(plan, env, var_dir)
    try:
        running.start()
        yield running
    finally:
        running.stop()


def measure_through_server(plan, db_name, module, measure, **sizes):
    """The whole run of a bench through the real HTTP stack: its database `db_name`, filled by
    `python -m module setup` with `sizes`, then gunicorn, then `measure(plan, server, data, env,
    data path)`; everything stopped and dropped at the end. Skipped without PostgreSQL."""
    if not postgres_or_skip(plan):
        return
    with database(plan, db_name, module.rsplit("bench_", 1)[-1]) as (env, var_dir):
        data, data_path = fill(module, env, var_dir, **sizes)
        with server(plan, env, var_dir) as running:
            measure(plan, running, data, env, data_path)


def describe_setup(plan, running, db_name, extra=""):
    """The line that says what is measured on what: the server, PostgreSQL, the machine."""
    print(
        f"server: {running.describe()}, PostgreSQL {pg_version(plan)} ({db_name}), "
        f"BELONG_DB_CONN_MAX_AGE={plan.conn_max_age}, debug off{extra}; "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} before"
    )


# --- the clients -------------------------------------------------------------------------------


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


def get(path, session=None):
    """A GET of `path` (signed in with the session key `session`, if any); returns the status."""
    headers = {"Cookie": f"sessionid={session}"} if session else {}

    def call(client):
        status, _body = client.request("GET", path, headers)
        return status

    return call


def percentile(values, share):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


# --- CPU, from /proc ---------------------------------------------------------------------------


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

    def __init__(self, server, db_name):
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


# --- a measure and the ratio table -------------------------------------------------------------


@dataclass
class Line:
    """One measured thing at one concurrency, summed over the rounds."""

    label: str
    clients: int
    key: object
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

    def measure(self, port, worklists, server_cpu, *, seconds=None, ok=lambda r: r == 200):
        """Runs the clients' `worklists` (for `seconds`, or once through) and adds what they
        did, how long it took and the CPU it cost (the bench's own, the server's) to this line.
        Returns the results; `ok` says which of them count as done."""
        cpu, before = time.process_time(), server_cpu.sample()
        results, elapsed, latencies = run_clients(port, worklists, seconds=seconds)
        self.client_cpu += time.process_time() - cpu
        self.add_server_cpu(server_cpu.spent(before, server_cpu.sample()))
        done = sum(1 for result in results if ok(result))
        self.done += done
        self.not_ok += len(results) - done
        self.seconds += elapsed
        self.latencies += latencies
        return results

    def per_request_ms(self, seconds):
        return f"{seconds / self.done * 1000:.1f}" if seconds is not None and self.done else "n/a"

    @property
    def all_cpu(self):
        """CPU seconds of the server's processes and the bench client while measured."""
        if self.app_cpu is None or self.db_cpu is None:
            return None
        return self.app_cpu + self.db_cpu + self.client_cpu

    @property
    def rate(self):
        return self.done / self.seconds if self.seconds else 0.0


def print_table(lines, server_times, *, width, client_share=False, all_cpu=False, failed="a 200"):
    """Requests per second as a ratio to the floor at the same concurrency (the line whose
    label starts with "floor"), server-side p50 and p95 (`server_times(line)`: milliseconds
    from the access log), client-side p95, CPU per request; with `client_share` the bench
    client's share of one core, with `all_cpu` the CPU of all of them per request. Returns
    each line's server-side p95, by key."""
    floors = {line.clients: line.rate for line in lines if line.label.startswith("floor")}
    print()
    print(
        f"{'':{width}}{'clients':>8}{'req/s':>9}{'x floor':>9}"
        f"{'server p50':>12}{'server p95':>12}{'client p95':>12}"
        + (f"{'client CPU':>12}" if client_share else "")
        + f"{'app CPU':>10}{'db CPU':>9}"
        + (f"{'all CPU':>10}" if all_cpu else "")
    )
    p95 = {}
    for line in lines:
        times = server_times(line)
        p95[line.key] = percentile(times, 0.95)
        note = f"  ({line.not_ok} not {failed})" if line.not_ok else ""
        print(
            f"{line.label:{width}}{line.clients:>8}{line.rate:>9.1f}"
            f"{line.rate / floors[line.clients]:>9.3f}"
            f"{percentile(times, 0.5):>10.1f}ms{p95[line.key]:>10.1f}ms"
            f"{percentile(line.latencies, 0.95):>10.1f}ms"
            + (f"{line.client_cpu / line.seconds:>12.0%}" if client_share else "")
            + f"{line.per_request_ms(line.app_cpu):>8}ms{line.per_request_ms(line.db_cpu):>7}ms"
            + (f"{line.per_request_ms(line.all_cpu):>8}ms" if all_cpu else "")
            + note
        )
    return p95


def verdict(ok):
    return "met" if ok else "MISSED"


# --- in-process ----------------------------------------------------------------------------


def median_time(call, rounds, *, repeat=1, warm_up=False):
    """(the median over `rounds` of the seconds one call takes, each round timing `repeat`
    calls, the last call's result); with `warm_up`, one call first that is not timed."""
    result = call() if warm_up else None
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeat):
            result = call()
        timings.append((time.perf_counter() - start) / repeat)
    return statistics.median(timings), result


def print_profile(profiler, calls, wanted, *, top, indent, calls_format):
    """The project's functions (and the library paths in `wanted`) of a cProfile run over
    `calls` calls, by cumulative time: ms and calls per call."""
    rows = []
    for (path, line, function), (_cc, count, _tt, cumulative, _callers) in pstats.Stats(
        profiler
    ).stats.items():
        if any(part in path for part in wanted) and "/bench/" not in path:
            short = path.split("/belong/", 1)[-1] if "/belong/" in path else path
            short = short.split("site-packages/")[-1]
            rows.append((cumulative / calls * 1000, count / calls, f"{short}:{line}({function})"))
    for ms, count, where in sorted(rows, reverse=True)[:top]:
        print(f"{indent}{ms:7.2f} ms {count:{calls_format}} calls  {where}")


def profiled(calls):
    """A cProfile.Profile over `calls` (callables), and the seconds they took."""
    profiler = cProfile.Profile()
    began = time.perf_counter()
    profiler.enable()
    for call in calls:
        call()
    profiler.disable()
    return profiler, time.perf_counter() - began
