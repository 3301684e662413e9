"""Running `make run` and `make dev` in tests: the very line the Makefile runs, on a free port,
in a temporary BELONG_VAR_DIR, and everything it started found and checked afterwards."""

import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
VENV_PYTHON = ".venv/bin/python"


def free_port():
    """A free port: from BELONG_TEST_PORTS ("8110-8149") when set, else one the kernel picks."""
    ports = os.environ.get("BELONG_TEST_PORTS", "")
    if ports:
        low, _dash, high = ports.partition("-")
        candidates = range(int(low), int(high or low) + 1)
    else:
        candidates = [0]
    for port in candidates:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise RuntimeError(f"no free port in BELONG_TEST_PORTS={ports}")


def make_line(target, port):
    """The command `make <target>` runs, as `make -n` prints it, with this interpreter in place
    of the virtualenv's (the same one when the suite runs under `make test`)."""
    printed = subprocess.run(
        ["make", "--no-print-directory", "-n", target, "HOST=127.0.0.1", f"PORT={port}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    lines = [line for line in printed.splitlines() if " manage.py " in line]
    assert len(lines) == 1, printed
    line = lines[0]
    assert f" {VENV_PYTHON} manage.py " in line, line
    return line.replace(f" {VENV_PYTHON} ", f" {shlex.quote(sys.executable)} ", 1)


def clean_env(var_dir, **extra):
    """The environment of a newcomer's shell: none of Belong's settings, no database URL."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("BELONG_", "DJANGO_")) and name not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update(BELONG_VAR_DIR=str(var_dir), PYTHONUNBUFFERED="1", **extra)
    return env


def start(line, env, log_path):
    """Start the line in a session of its own, as a terminal would: its process group is the
    terminal's foreground group, which Ctrl-C interrupts."""
    log = open(log_path, "ab")  # noqa: SIM115  (closed by stop)
    process = subprocess.Popen(
        ["bash", "-c", line],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log = log
    process.log_path = log_path
    return process


def log_tail(process, lines=60):
    text = Path(process.log_path).read_text(errors="replace")
    return "\n".join(text.splitlines()[-lines:])


def get(port, path, timeout=10):
    """(status, body) of a GET; OSError when nothing answers."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:  # noqa: S310
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_until_healthy(process, port, *, seconds):
    """Wait (at most `seconds`) for /healthz to answer 200; fail with the log if the process
    stops or the time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"stopped (exit {process.returncode}):\n{log_tail(process)}"
        try:
            if get(port, "/healthz", timeout=5)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"/healthz did not answer within {seconds} s:\n{log_tail(process)}")


def descendants(pid):
    """Every process below `pid` (children, their children, ...), as {pid: command line}."""
    table = subprocess.run(
        ["ps", "-ww", "-e", "-o", "pid=,ppid=,args="], capture_output=True, text=True, check=True
    ).stdout
    children = {}
    for row in table.splitlines():
        parts = row.split(None, 2)
        if len(parts) >= 2:
            args = parts[2] if len(parts) == 3 else ""
            children.setdefault(int(parts[1]), []).append((int(parts[0]), args))
    found, todo = {}, [pid]
    while todo:
        for child, args in children.get(todo.pop(), []):
            found[child] = args
            todo.append(child)
    return found


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def stop(process, signum, *, seconds=60):
    """Send `signum` to the process's group (Ctrl-C: SIGINT) and return its exit code."""
    try:
        os.killpg(process.pid, signum)
        return process.wait(timeout=seconds)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        process.log.close()


def run_manage(env, *args, timeout=180):
    """`manage.py ARGS` against the same installation; its standard output."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def shell_json(env, script):
    """Run `script` with `manage.py shell -c` against the same installation; the JSON it
    printed last."""
    return json.loads(run_manage(env, "shell", "-c", script).strip().splitlines()[-1])
