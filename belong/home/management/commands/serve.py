"""`manage.py serve` (what `make run` runs): the site as production runs it, on one machine.

gunicorn with several threaded worker processes, the task worker (`manage.py db_worker`) and the
scheduled jobs (`manage.py runperiodic`, every minute), after an idempotent preparation
(migrations, static files, seed content, demo data with BELONG_DEMO). SQLite by default;
PostgreSQL and Redis when DATABASE_URL and REDIS_URL say so. Ctrl-C or SIGTERM stops everything.
"""

import signal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from belong.home import serving
from belong.home.supervisor import Child, Supervisor


class Command(BaseCommand):
    help = (
        "Prepare the database and serve the site through gunicorn, with a task worker and the "
        "scheduled jobs beside it; Ctrl-C stops everything."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000", help="HOST:PORT")
        parser.add_argument(
            "--workers", type=int, default=None, help="web processes (default: cores + 1)"
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=None,
            help="threads per web process (default: 4 on PostgreSQL, 2 on SQLite)",
        )

    def handle(self, *args, addrport, workers, threads, **options):
        host, port = serving.split_addrport(addrport)
        bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        serving.check_free(host, port)
        workers = workers or serving.web_processes()
        threads = threads or serving.web_threads()
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        serving.prepare(say=self.stdout.write)
        self.stdout.write(
            f"Belong is serving on http://{bind}/ with gunicorn ({workers} processes x {threads} "
            f"threads), a task worker and the scheduled jobs every minute; database: {database}"
            f"{', cache: Redis' if settings.REDIS_URL else ''}; debug "
            f"{'on' if settings.DEBUG else 'off'}. Ctrl-C stops everything."
        )
        supervisor = Supervisor(
            [
                Child(
                    "web server",
                    serving.gunicorn(bind, workers=workers, threads=threads),
                    signal.SIGTERM,  # gunicorn: finish the requests in hand, then stop
                ),
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
