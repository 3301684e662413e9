"""`make dev`: the very line it runs (`manage.py rundev`) prepares the site, serves it with
Django's auto-reloading development server (debug on) beside a task worker, and one Ctrl-C stops
everything it started, the reloader's own child included."""

import signal

from tests.home.server_support import (
    alive,
    clean_env,
    descendants,
    free_port,
    get,
    log_tail,
    make_line,
    start,
    stop,
    wait_until_healthy,
)


def test_make_dev_serves_with_the_reloading_server_and_stops_everything_on_ctrl_c(tmp_path):
    port = free_port()
    env = clean_env(tmp_path / "var")
    process = start(make_line("dev", port), env, tmp_path / "make-dev.log")
    try:
        wait_until_healthy(process, port, seconds=300)
        tree = descendants(process.pid)
        commands = list(tree.values())
        # The reloader and the server it runs, and the worker (which reloads too, with debug).
        assert sum(f"manage.py runserver 127.0.0.1:{port}" in c for c in commands) == 2
        assert any("manage.py db_worker" in c for c in commands)
        assert not any("gunicorn" in c for c in commands)
        status, body = get(port, "/no-such-page/")
        assert status == 404 and b"URLconf" in body  # debug on: Django's technical page
        # Ctrl-C in a terminal interrupts its foreground process group.
        assert stop(process, signal.SIGINT) == 0, log_tail(process)
        assert [pid for pid in tree if alive(pid)] == []
    finally:
        if process.poll() is None:
            stop(process, signal.SIGKILL)
