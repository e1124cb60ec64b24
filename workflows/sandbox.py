"""The sandbox both workflows run in, the same for the worker and for every Replayer."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec, PathFinder, SourceFileLoader
from types import CodeType, ModuleType

from temporalio import workflow
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

# Modules the workflow sandbox takes from the host instead of re-importing them for every run:
# pure and deterministic. `holidays` must be named here, not only imported by domain.calendar: it loads a
# country's calendar lazily, from inside the workflow, long after import time.
PASSTHROUGH_MODULES = ("domain", "holidays", "workflows.contracts", "workflows.round_contracts", "workflows.search")


def workflow_runner() -> SandboxedWorkflowRunner:
    """The workflow sandbox, passing the pure domain modules through, its re-imports compiled once."""
    if not any(isinstance(finder, CompiledOnceFinder) for finder in sys.meta_path):
        sys.meta_path.insert(0, CompiledOnceFinder())
    return SandboxedWorkflowRunner(
        restrictions=SandboxRestrictions.default.with_passthrough_modules(*PASSTHROUGH_MODULES)
    )


COMPILED: dict[str, CodeType] = {}  # the code of each module the sandbox re-imports, by source path


class CompiledOnceLoader(SourceFileLoader):
    """A module's source compiled once per process however often it is executed.

    The sandbox executes a workflow's module afresh for every workflow it runs or replays, so
    that no state leaks between runs. Executing it again is the point; compiling its source
    again is not, yet that is what happens without a bytecode file (an editable install
    under PYTHONDONTWRITEBYTECODE, a read-only install): about 6 ms for the task workflow's
    module, a third of what starting one costs.
    """

    def get_code(self, fullname: str) -> CodeType:
        code = COMPILED.get(self.path)
        if code is None:
            code = super().get_code(fullname)
            if code is None:
                raise ImportError(f"no code for {fullname}", name=fullname)
            COMPILED[self.path] = code
        return code


class CompiledOnceFinder(MetaPathFinder):
    """Finds the modules the sandbox re-imports as the path does (a package's modules by the
    package's path, wherever it is installed), loaded by `CompiledOnceLoader`; outside the
    sandbox it finds nothing, and imports go on as ever."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if not workflow.unsafe.in_sandbox():
            return None
        spec = PathFinder.find_spec(fullname, path, target)
        if spec is None or type(spec.loader) is not SourceFileLoader or spec.origin is None:
            return spec
        spec.loader = CompiledOnceLoader(fullname, spec.origin)
        return spec
