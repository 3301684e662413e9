"""Benchmarks, run by `make bench`. Each prints its figures as ratios against a floor measured in
the same run; none asserts anything about time. What they share (the database, the server, the
clients, CPU from /proc, the floor's timing, the ratio table) is harness.py; what each measures
and its latest figures: docs/benchmarks.md."""
