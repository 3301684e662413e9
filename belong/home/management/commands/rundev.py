"""`manage.py rundev`: the development site, a task worker beside it, and the scheduled jobs
every minute, in one terminal. Ctrl-C (or SIGTERM) stops all of them."""

import signal
import subprocess
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

PERIOD_SECONDS = 60
GRACE_SECONDS = 10


class Command(BaseCommand):
    help = "Serve the site with a task worker and the scheduled jobs; Ctrl-C stops everything."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport, **options):
        manage = [sys.executable, "manage.py"]
        children = {
            "site": subprocess.Popen([*manage, "runserver", addrport]),  # noqa: S603
            "worker": subprocess.Popen([*manage, "db_worker", "--interval", "1"]),  # noqa: S603
        }
        signal.signal(signal.SIGTERM, _raise_interrupt)
        code = 0
        try:
            next_run = 0.0
            while True:
                for name, child in children.items():
                    if child.poll() is not None:
                        self.stderr.write(f"The {name} stopped (exit {child.returncode}).")
                        code = child.returncode or 1
                        return self._stop(children, code)
                if time.monotonic() >= next_run:
                    call_command("runperiodic", quiet=True)
                    next_run = time.monotonic() + PERIOD_SECONDS
                time.sleep(0.5)
        except KeyboardInterrupt:
            self.stdout.write("Stopping the site and the worker...")
        return self._stop(children, code)

    def _stop(self, children, code):
        for child in children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGINT)
        deadline = time.monotonic() + GRACE_SECONDS
        for child in children.values():
            try:
                child.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        if code:
            sys.exit(code)


def _raise_interrupt(signum, frame):
    raise KeyboardInterrupt
