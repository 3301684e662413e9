"""What `manage.py serve` (`make run`) and `manage.py rundev` (`make dev`) share: the address
check, the preparation of the database and the files, and the commands of their processes."""

import os
import socket
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from gunicorn.config import KNOWN_SETTINGS

from belong.lib import locks

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
# The scheduled jobs' period: `manage.py runperiodic` every minute, as cron would run it.
PERIOD_SECONDS = 60
# gunicorn's largest allowed request line; nginx (deploy/nginx/belong.conf) passes longer lines
# on, so that it is Belong's worker that refuses them, in the shape of the path they asked for.
LIMIT_REQUEST_LINE = 8190


def split_addrport(addrport: str) -> tuple[str, int]:
    """'127.0.0.1:8000', '[::1]:8000', ':8000' or '8000' -> (host, port)."""
    host, _colon, port = addrport.rpartition(":")
    host = host.strip("[]") or "127.0.0.1"
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise CommandError(f"{addrport!r} is not HOST:PORT (such as 127.0.0.1:8000).")
    return host, int(port)


def check_free(host: str, port: int):
    """Fail at once, with the fix, when the address is taken (before a minute of preparation)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
    except OSError as exc:
        raise CommandError(
            f"Cannot listen on {host}:{port} ({exc.strerror}). Is Belong already running "
            f"there? Choose another address: make run PORT={port + 1} (or HOST=...)."
        ) from exc


def prepare(*, say):
    """Everything the site needs before it serves, each step idempotent: folders, migrations,
    static files, the seed content, and (with BELONG_DEMO) the demo data. Under a lock, so two
    `make run` against one PostgreSQL never migrate at once."""
    for folder in (settings.VAR_DIR, settings.STATIC_ROOT):
        Path(folder).mkdir(parents=True, exist_ok=True)
    if connection.vendor == "sqlite":
        Path(settings.DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    with locks.held("serve:prepare"):
        say("Migrating the database...")
        call_command("migrate", interactive=False, verbosity=0)
        say("Collecting the static files...")
        call_command("collectstatic", interactive=False, verbosity=0)
        say("Loading the seed content...")
        call_command("load_content", verbosity=0)
        if settings.DEMO:
            say("Loading the demo data (BELONG_DEMO is on)...")
            call_command("load_demo", verbosity=0)
    connection.close()  # the children open their own


def manage(*args) -> list[str]:
    return [sys.executable, MANAGE, *args]


def task_worker() -> list[str]:
    return manage("db_worker", "--interval", "1")


def scheduled_jobs() -> list[str]:
    return manage("runperiodic", "--quiet")


def web_processes() -> int:
    """One more than the cores (a process waiting on the database leaves its core to another),
    at least 2 and at most 8."""
    return max(2, min((os.cpu_count() or 1) + 1, 8))


def web_threads() -> int:
    """Threads per process. A request is mostly CPU-bound Python, so threads beyond a few only
    queue for the GIL (bench_registration measured it); they are there for what waits: a slow
    client (`make run` has no proxy in front), a registration waiting for its event's row lock.
    SQLite lets one writer in at a time, so more threads would only wait for the file: 2. On
    PostgreSQL rows lock one by one: 4."""
    return 4 if connection.vendor == "postgresql" else 2


def gunicorn(addrport: str, *, workers: int, threads: int) -> list[str]:
    """The web server: gunicorn's threaded workers, with a listen queue that holds a burst (the
    development server's holds 5: the sixth to arrive at once had its connection reset)."""
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "belong.wsgi:application",
        f"--bind={addrport}",
        f"--workers={workers}",
        # gunicorn's threaded worker, whose own refusals (a request line or headers over the
        # limits below, a malformed request) answer in Belong's shapes (belong.home.edge).
        "--worker-class=belong.home.edge.ThreadWorker",
        f"--threads={threads}",
        "--backlog=2048",
        # The longest request line gunicorn takes (its default is 4,094): long enough for any
        # address Belong makes; longer ones are refused in Belong's shape (414).
        f"--limit-request-line={LIMIT_REQUEST_LINE}",
        "--timeout=60",
        "--graceful-timeout=10",
        "--access-logfile=-",
        f"--chdir={settings.BASE_DIR}",
    ]
    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        # gunicorn 25.1+ would open a control socket in $HOME, one path for every instance.
        command.append("--no-control-socket")
    return command
