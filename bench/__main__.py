"""Run every bench/bench_*.py module's `run()` and print what it reports."""

import importlib
import os
import pkgutil
import sys
import tempfile
from pathlib import Path


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "belong.settings")
    os.environ.setdefault("BELONG_VAR_DIR", tempfile.mkdtemp(prefix="belong-bench-"))
    os.environ.setdefault("BELONG_TASKS_BACKEND", "immediate")
    os.environ.setdefault("BELONG_EMAIL", "memory")
    Path(os.environ["BELONG_VAR_DIR"], "static").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    names = sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name.startswith("bench_")
    )
    wanted = set(sys.argv[1:])
    for name in names:
        if wanted and name not in wanted:
            continue
        print(f"== {name}")
        importlib.import_module(f"bench.{name}").run()


if __name__ == "__main__":
    main()
