"""The sandbox both workflows run in, the same for the worker and for every Replayer."""

from __future__ import annotations

from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

# Modules the workflow sandbox takes from the host instead of re-importing them for every run:
# pure and deterministic. `holidays` must be named here, not only imported by domain.calendar: it loads a
# country's calendar lazily, from inside the workflow, long after import time.
PASSTHROUGH_MODULES = ("domain", "holidays", "workflows.contracts", "workflows.round_contracts", "workflows.search")


def workflow_runner() -> SandboxedWorkflowRunner:
    """The workflow sandbox, passing the pure domain modules through."""
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(*PASSTHROUGH_MODULES)
    )
