"""Temporal workflow code: deterministic orchestration over the pure domain (task.py), and its contracts."""
