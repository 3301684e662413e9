"""`make run`'s supervisor: the site and a worker start, and one interrupt stops them all."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def children_of(pid):
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(pid)],  # noqa: S603, S607
        capture_output=True,
        text=True,
    ).stdout
    return [int(p) for p in out.split()]


def test_rundev_serves_and_stops_everything_on_ctrl_c(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BELONG_")}
    env.update(
        BELONG_VAR_DIR=str(tmp_path),
        BELONG_DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3",
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=env,  # noqa: S603
        check=True,
        timeout=120,
    )
    port = free_port()
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "rundev", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        status = None
        while time.monotonic() < deadline and status is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:  # noqa: S310
                    status = r.status
            except OSError:
                time.sleep(0.5)
        assert status == 200
        kids = children_of(proc.pid)
        assert len(kids) == 2  # the site and the worker
        # Ctrl-C in a terminal interrupts the whole foreground process group.
        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        time.sleep(0.5)
        alive = [
            pid
            for pid in kids
            if os.path.exists(f"/proc/{pid}")
            and "Z" not in Path(f"/proc/{pid}/stat").read_text().split()[2]
        ]
        assert alive == []
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
