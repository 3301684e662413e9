"""The supervisor of `make run` and `make dev` (belong.home.supervisor), with small Python
programs as its children: a stop request reaches each child once, with that child's own stop
signal; a child that stops by itself stops the rest; the scheduled command runs round after
round, and a failed round is reported without stopping anything."""

import io
import signal
import sys
import textwrap

from belong.home.supervisor import Child, Supervisor


def program(source):
    return [sys.executable, "-c", textwrap.dedent(source)]


def recorder(path, *, tell_parent_after=None):
    """A child that writes down every signal it receives (SIGINT, SIGTERM) and stops on the
    first; once its handlers are in place it creates `path`.ready. With `tell_parent_after`
    (another recorder's path), once that one is ready too, it asks the supervisor to stop (as
    Ctrl-C would)."""
    return program(
        f"""
        import os, signal, sys, time
        def record(signum, frame):
            with open({str(path)!r}, "a") as out:
                out.write(signal.Signals(signum).name + "\\n")
            sys.exit(0)
        signal.signal(signal.SIGINT, record)
        signal.signal(signal.SIGTERM, record)
        open({str(path) + ".ready"!r}, "w").close()
        other = {tell_parent_after and str(tell_parent_after) + ".ready"!r}
        if other:
            deadline = time.monotonic() + 60
            while not os.path.exists(other) and time.monotonic() < deadline:
                time.sleep(0.01)
            # Twice at once, as when a wrapper passes on a stop the supervisor got too: one
            # request. (Two signals of one kind can merge while pending: two kinds.)
            os.kill(os.getppid(), signal.SIGINT)
            os.kill(os.getppid(), signal.SIGTERM)
        time.sleep(60)
        """
    )


def test_a_stop_request_reaches_each_child_once_with_its_own_signal(tmp_path):
    out = io.StringIO()
    supervisor = Supervisor(
        [
            Child("server", recorder(tmp_path / "server"), signal.SIGTERM),
            Child(
                "worker",
                recorder(tmp_path / "worker", tell_parent_after=tmp_path / "server"),
                signal.SIGINT,
            ),
        ],
        out=out,
    )
    assert supervisor.run() == 0
    assert (tmp_path / "server").read_text() == "SIGTERM\n"
    assert (tmp_path / "worker").read_text() == "SIGINT\n"
    assert "Stopping..." in out.getvalue()
    assert "Stopping now." not in out.getvalue()
    assert signal.getsignal(signal.SIGTERM) is not supervisor._request_stop  # handlers restored


def test_a_child_that_stops_by_itself_stops_the_others(tmp_path):
    out = io.StringIO()
    server = tmp_path / "server"
    # The worker fails once the server is ready to record its signal.
    failing = f"""
        import os, sys, time
        deadline = time.monotonic() + 60
        while not os.path.exists({str(server) + ".ready"!r}) and time.monotonic() < deadline:
            time.sleep(0.01)
        sys.exit(3)
        """
    supervisor = Supervisor(
        [Child("server", recorder(server), signal.SIGTERM), Child("worker", program(failing))],
        out=out,
    )
    assert supervisor.run() == 1
    assert "The worker stopped (exit 3)." in out.getvalue()
    assert (tmp_path / "server").read_text() == "SIGTERM\n"


def test_the_scheduled_command_runs_every_round_and_a_failed_round_stops_nothing(tmp_path):
    rounds = tmp_path / "rounds"
    # Each round adds a line; the first round fails.
    scheduled = program(
        f"""
        import sys
        with open({str(rounds)!r}, "a") as out:
            out.write("round\\n")
        with open({str(rounds)!r}) as seen:
            sys.exit(1 if len(seen.readlines()) == 1 else 0)
        """
    )
    # The server stops by itself once three rounds have run (or after a minute).
    server = program(
        f"""
        import os, time
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if os.path.exists({str(rounds)!r}) and len(open({str(rounds)!r}).readlines()) >= 3:
                break
            time.sleep(0.05)
        """
    )
    out = io.StringIO()
    supervisor = Supervisor([Child("server", server)], periodic=scheduled, period=0.1, out=out)
    assert supervisor.run() == 1  # the server stopped by itself
    assert len(rounds.read_text().splitlines()) >= 3
    assert out.getvalue().count("The scheduled jobs failed (exit 1)") == 1


def test_a_child_to_restart_is_started_again_and_stops_nothing(tmp_path):
    """The task worker exits when the database is away for a moment: `make run` then stopped
    everything, and the site stayed down after the database came back. It is started again."""
    starts = tmp_path / "starts"
    # The worker fails on its first two starts and keeps running on the third.
    worker = program(
        f"""
        import sys, time
        with open({str(starts)!r}, "a") as out:
            out.write("start\\n")
        if len(open({str(starts)!r}).readlines()) < 3:
            sys.exit(1)
        time.sleep(60)
        """
    )
    # The server asks the supervisor to stop once the worker has started a third time.
    waiting = f"""
        import os, signal, time
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if os.path.exists({str(starts)!r}) and len(open({str(starts)!r}).readlines()) >= 3:
                break
            time.sleep(0.05)
        os.kill(os.getppid(), signal.SIGTERM)
        time.sleep(60)
        """
    out = io.StringIO()
    supervisor = Supervisor(
        [
            Child("server", program(waiting), signal.SIGTERM),
            Child("worker", worker, signal.SIGTERM, restart=True),
        ],
        out=out,
        restart_after=0.1,
    )
    assert supervisor.run() == 0  # stopped on request, not by the worker's failures
    assert starts.read_text().splitlines() == ["start"] * 3
    assert out.getvalue().count("The worker stopped (exit 1); it starts again in 0.1 seconds.") == 2
