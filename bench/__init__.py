"""Benchmarks: `python -m bench` (full) or `python -m bench --smoke` (tiny, in CI).

Every speed figure is a ratio against a baseline measured in the same run, on the same
server and worker settings: a bare workflow with no-op activities in place of ours
(`bench/bare.py`). Results: `bench/results/latest.json` (full run) and README's table.
"""
