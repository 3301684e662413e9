"""Benchmarks, run by `make bench`. Each prints its figures as ratios against a floor measured in
the same run; none asserts anything about time."""
