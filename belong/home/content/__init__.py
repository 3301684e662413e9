"""Belong's seed content as data: ``seed.toml``, the three public pages' texts, verbatim.

A package (not just a folder) so that ``importlib.resources`` finds the file wherever Belong is
installed; ``belong.home.seed`` reads and loads it.
"""
