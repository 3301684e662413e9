"""`manage.py rundev` (what `make dev` runs): Django's auto-reloading development server, a task
worker beside it (reloading too, with debug on), and the scheduled jobs every minute, after the
same preparation as `manage.py serve`. Ctrl-C (or SIGTERM) stops all of them. For development
only: the development server's listen queue is small, so a burst of visitors gets connections
reset; `manage.py serve` (`make run`) is the real server."""

import signal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from belong.home import serving
from belong.home.supervisor import Child, Supervisor


class Command(BaseCommand):
    help = (
        "Serve the site with Django's auto-reloading development server, a task worker and the "
        "scheduled jobs; Ctrl-C stops everything."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="HOST:PORT")

    def handle(self, *args, addrport, **options):
        host, port = serving.split_addrport(addrport)
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        serving.check_free(host, port)
        serving.prepare(say=self.stdout.write)
        self.stdout.write(
            f"Belong's development server is starting on http://{bind}/ (reloads on code "
            "changes), with a task worker and the scheduled jobs every minute. Ctrl-C stops "
            "everything."
        )
        supervisor = Supervisor(
            [
                # The development server stops on Ctrl-C (SIGINT), as in a terminal.
                Child("development server", serving.manage("runserver", bind), signal.SIGINT),
                Child("task worker", serving.task_worker(), signal.SIGTERM, restart=True),
            ],
            periodic=serving.scheduled_jobs(),
            period=serving.PERIOD_SECONDS,
            cwd=settings.BASE_DIR,
            out=self.stdout,
        )
        code = supervisor.run()
        if code:
            raise CommandError("Stopped because a process stopped.", returncode=code)
