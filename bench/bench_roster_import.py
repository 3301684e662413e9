"""Importing an HR roster file of 50,000 people (`manage.py import_people`, belong.people.roster;
docs/provisioning.md "HR roster files"), on PostgreSQL.

It creates the database `belong_bench_roster` (dropped and created again, migrated), writes a
generated roster of BENCH_ROSTER_ROWS rows (default 50,000: employee id, email, name, status,
hire date, an org unit path in 3 campuses x 20 departments, a program under half of them, kind,
PGY year) as CSV and as XLSX, and measures, each in a fresh child process (so that its peak
memory is its own):

1. the first import (everyone created, the org units made on the way);
2. the same file again (idempotent: nothing changes, every row is checked and compared);
3. a dry run of a file where 1% of the people changed (a new program, a leave, a name);
4. the same check of the XLSX file (parsed with openpyxl in read-only mode).

Floors, measured in the same run: reading the CSV (or XLSX) file alone, row by row, with the
csv module (openpyxl read-only), which any importer does; and writing the same 50,000 people
with one `bulk_create` in a transaction rolled back, the least a database write of them costs.
Each time is printed as a ratio to its floor; peak memory is the child's VmHWM
(/proc/self/status) and its growth over the same process just before the import (Django loaded,
connected). Nothing is asserted about time. It needs PostgreSQL at 127.0.0.1:5432 (BENCH_PG) and
skips itself without one. `.venv/bin/python -m bench bench_roster_import`."""

import csv
import json
import os
import sys
import time
from pathlib import Path

from bench.harness import ServerPlan, database, env_int, postgres_or_skip, run_module

DB_NAME = "belong_bench_roster"  # the only database this bench creates, uses or drops
ROWS = env_int("BENCH_ROSTER_ROWS", 50_000)
HEADER = [
    "employee_id",
    "email",
    "full_name",
    "status",
    "hire_date",
    "org_unit",
    "program",
    "kind",
    "pgy_year",
]
CHANGED_EVERY = 100  # 1% of the rows change for the dry run


def row(n, changed=False):
    resident = n % 2 == 1
    program = f"Program {n % 40}" if resident else ""
    status = "active"
    name = f"Person {n}"
    if changed:
        program, status, name = (
            (f"Program {(n + 1) % 40}", status, name) if resident else (program, "leave", name)
        )
        name = f"Person {n} Renamed" if n % 3 == 0 else name
    return [
        f"E{n:06d}",
        f"person{n}@example.org",
        name,
        status,
        f"20{10 + n % 15}-0{1 + n % 9}-15",
        f"University Health > Campus {n % 3} > Department {n % 20}",
        program,
        "resident" if resident else "staff",
        str(1 + n % 5) if resident else "",
    ]


def write_files(folder):
    from openpyxl import Workbook

    paths = {name: Path(folder, name) for name in ("roster.csv", "changed.csv", "roster.xlsx")}
    with (
        open(paths["roster.csv"], "w", newline="", encoding="utf-8") as plain,
        open(paths["changed.csv"], "w", newline="", encoding="utf-8") as changed,
    ):
        first, second = csv.writer(plain), csv.writer(changed)
        first.writerow(HEADER)
        second.writerow(HEADER)
        for n in range(ROWS):
            first.writerow(row(n))
            second.writerow(row(n, changed=n % CHANGED_EVERY == 0))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for n in range(ROWS):
        sheet.append(row(n))
    workbook.save(paths["roster.xlsx"])
    return {name: str(path) for name, path in paths.items()}


# --- inside the child process (the bench's environment) ---------------------------------------


def high_water_mark():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def _floor_read(path):
    count = 0
    if path.endswith(".xlsx"):
        from openpyxl import load_workbook

        workbook = load_workbook(path, read_only=True)
        for _values in workbook.worksheets[0].iter_rows(values_only=True):
            count += 1
        workbook.close()
    else:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for _cells in csv.reader(handle):
                count += 1
    return count


def _floor_write(path):
    from django.db import transaction

    from belong.people.models import Person

    class Rollback(Exception):
        pass

    people = [
        Person(email=f"floor{n}@example.org", full_name=f"Person {n}", employee_id=f"F{n:06d}")
        for n in range(ROWS)
    ]
    try:
        with transaction.atomic():
            Person.objects.bulk_create(people, batch_size=1000)
            raise Rollback
    except Rollback:
        pass
    return ROWS


def _import(path, dry_run):
    from belong.people import roster

    record = roster.import_file(path, dry_run=dry_run)
    assert record.outcome != "refused", record.report["errors"][:5]
    return record.report["counts"]


def child(kind, path):
    import django

    django.setup()
    from django.db import connection

    connection.ensure_connection()
    before = high_water_mark()
    start = time.perf_counter()
    if kind == "floor-read":
        result = _floor_read(path)
    elif kind == "floor-write":
        result = _floor_write(path)
    else:
        result = _import(path, dry_run=kind == "dry")
    took = time.perf_counter() - start
    print(
        json.dumps({"seconds": took, "before": before, "peak": high_water_mark(), "result": result})
    )


# --- the bench ----------------------------------------------------------------------------


def _measure(env, kind, path):
    out = run_module("bench.bench_roster_import", kind, path, env=env, capture=True)
    return json.loads(out.strip().splitlines()[-1])


def _line(label, figure, floor):
    mib = 2**20
    print(
        f"  {label:<44}{figure['seconds']:8.1f} s = {figure['seconds'] / floor['seconds']:6.1f} x"
        f" floor   peak {figure['peak'] / mib:5.0f} MiB (+{(figure['peak'] - figure['before']) / mib:.0f}"
        f" MiB over {figure['before'] / mib:.0f} MiB before)"
    )


def run():
    plan = ServerPlan()  # only its PostgreSQL settings: no server here
    if not postgres_or_skip(plan):
        return
    with database(plan, DB_NAME, "roster", content=False) as (env, var_dir):
        start = time.perf_counter()
        paths = write_files(var_dir)
        sizes = {name: os.path.getsize(path) >> 20 for name, path in paths.items()}
        print(
            f"data: {ROWS:,} rows, CSV {sizes['roster.csv']} MiB, XLSX {sizes['roster.xlsx']} MiB"
            f" (written in {time.perf_counter() - start:.0f} s); {os.cpu_count()} CPUs,"
            f" load average {os.getloadavg()[0]:.1f}"
        )
        read_csv = _measure(env, "floor-read", paths["roster.csv"])
        read_xlsx = _measure(env, "floor-read", paths["roster.xlsx"])
        write = _measure(env, "floor-write", paths["roster.csv"])
        first = _measure(env, "apply", paths["roster.csv"])
        again = _measure(env, "apply", paths["roster.csv"])
        dry = _measure(env, "dry", paths["changed.csv"])
        xlsx = _measure(env, "dry", paths["roster.xlsx"])
        print("floors:")
        for label, figure in (
            ("reading the CSV alone (csv module)", read_csv),
            ("reading the XLSX alone (openpyxl read-only)", read_xlsx),
            (f"writing {ROWS:,} people (one bulk_create, rolled back)", write),
        ):
            print(f"  {label:<56}{figure['seconds']:8.2f} s")
        print("against the write floor:")
        _line(f"first import ({first['result']['created']:,} created)", first, write)
        print("against the CSV reading floor:")
        _line(f"the same file again ({again['result']['left']:,} left)", again, read_csv)
        _line(f"dry run, 1% changed ({dry['result']['updated']:,} would change)", dry, read_csv)
        print("against the XLSX reading floor:")
        _line("dry run of the XLSX file (nothing changes)", xlsx, read_xlsx)
        print(
            f"  (the floors' own peak: CSV read {read_csv['peak'] >> 20} MiB, "
            f"bulk write {write['peak'] >> 20} MiB)"
        )


if __name__ == "__main__" and len(sys.argv) == 3:
    child(sys.argv[1], sys.argv[2])
