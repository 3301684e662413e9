"""Several processes side by side in one terminal, for `make run` (`manage.py serve`) and
`make dev` (`manage.py rundev`): the site, a task worker, and the scheduled jobs every minute.

Each child runs in a process group of its own, so the terminal's Ctrl-C reaches only the
supervisor, which then asks every child to stop once, with the signal that stops that program
gracefully (gunicorn finishes the requests in hand, the task worker the task in hand). A second
Ctrl-C, a second or more later, kills them. SIGTERM and SIGHUP (the terminal closed) stop everything the same way. If one
of the long-running children stops by itself, the others are stopped and the supervisor exits
with an error, unless that child is one to restart (the task worker, which exits when the
database is away for a moment: the site went down for good with it): it is started again
after `RESTART_SECONDS`, as systemd's Restart= would. On Linux a child is also told to stop if
the supervisor itself is killed.

Plain Python: no Django here.
"""

import ctypes
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field

POLL_SECONDS = 0.2
GRACE_SECONDS = 15
# A second stop request kills the children, unless it comes within this many seconds of the
# first (then it is the same request delivered twice).
REPEAT_SECONDS = 1.0
# A child to restart that stopped by itself starts again after this many seconds.
RESTART_SECONDS = 5.0
PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass
class Child:
    name: str
    argv: list[str]
    stop_signal: int = signal.SIGTERM
    # Started again when it stops by itself, instead of stopping everything.
    restart: bool = False
    process: subprocess.Popen | None = field(default=None, repr=False)
    restart_at: float | None = field(default=None, repr=False)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


def _die_with_parent():
    """In the child, before exec: SIGTERM when the supervisor dies, however it dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


class Supervisor:
    def __init__(
        self,
        children,
        *,
        periodic=None,
        period=60,
        cwd=None,
        out=sys.stdout,
        grace=GRACE_SECONDS,
        restart_after=RESTART_SECONDS,
    ):
        """`children`: the long-running `Child`ren. `periodic`: the argv of a short command run
        at start and then every `period` seconds (a round is skipped while the last one still
        runs); its failure is reported and it is tried again at the next round."""
        self.children = list(children)
        self.periodic = Child("scheduled jobs", periodic, signal.SIGINT) if periodic else None
        self.period = period
        self.cwd = cwd
        self.out = out
        self.grace = grace
        self.restart_after = restart_after
        self.stop_requests = 0
        self.first_stop_request = 0.0

    def say(self, text):
        self.out.write(text + "\n")
        self.out.flush()

    def _request_stop(self, signum, frame):
        now = time.monotonic()
        if self.stop_requests and now - self.first_stop_request >= REPEAT_SECONDS:
            # Asked again, by a person: do not wait for anyone.
            self.say("Stopping now.")
            for child in self._all():
                self._signal(child, signal.SIGKILL)
        elif not self.stop_requests:
            self.first_stop_request = now
        # A signal repeated at once (a wrapper such as `timeout` passing on the terminal's
        # Ctrl-C, which reached us too) counts once.
        self.stop_requests += 1

    def _all(self):
        return [*self.children, *([self.periodic] if self.periodic else [])]

    def _start(self, child):
        child.process = subprocess.Popen(  # noqa: S603  (our own argv)
            child.argv,
            cwd=self.cwd,
            process_group=0,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )

    def _signal(self, child, signum):
        if child.running():
            try:
                # The child's whole group: a reloader's child, gunicorn's workers.
                os.killpg(child.process.pid, signum)
            except ProcessLookupError:
                pass

    def run(self) -> int:
        """Start everything, supervise until a stop is asked for or a child fails; return the
        exit code (0 when stopped on request)."""
        handled = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        previous = {signum: signal.signal(signum, self._request_stop) for signum in handled}
        code = 0
        try:
            for child in self.children:
                self._start(child)
            next_round = time.monotonic()
            while not self.stop_requests:
                self._restart_stopped()
                failed = [
                    child for child in self.children if not child.restart and not child.running()
                ]
                if failed:
                    child = failed[0]
                    self.say(f"The {child.name} stopped (exit {child.process.returncode}).")
                    code = 1
                    break
                if self.periodic is not None:
                    next_round = self._periodic_round(next_round)
                time.sleep(POLL_SECONDS)
            if not code:
                self.say("Stopping...")
            self._stop_all()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
        return code

    def _restart_stopped(self):
        now = time.monotonic()
        for child in self.children:
            if not child.restart:
                continue
            if child.restart_at is None and not child.running():
                child.restart_at = now + self.restart_after
                self.say(
                    f"The {child.name} stopped (exit {child.process.returncode}); "
                    f"it starts again in {self.restart_after:g} seconds."
                )
            elif child.restart_at is not None and now >= child.restart_at:
                child.restart_at = None
                self._start(child)

    def _periodic_round(self, next_round):
        periodic = self.periodic
        if periodic.process is not None and periodic.process.poll() not in (None, 0):
            self.say(
                f"The scheduled jobs failed (exit {periodic.process.returncode}); "
                f"they run again in {self.period} seconds."
            )
            periodic.process = None
        now = time.monotonic()
        if now < next_round:
            return next_round
        if not periodic.running():
            self._start(periodic)
        return now + self.period

    def _stop_all(self):
        everyone = self._all()
        for child in everyone:
            self._signal(child, child.stop_signal)
        deadline = time.monotonic() + self.grace
        for child in everyone:
            if child.process is None:
                continue
            try:
                child.process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                self.say(f"The {child.name} did not stop in {self.grace} seconds: killing it.")
                self._signal(child, signal.SIGKILL)
                child.process.wait()
