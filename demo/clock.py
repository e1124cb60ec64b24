"""The task clock of a demo's workflows: the time-skipping server's time plus an offset."""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio.testing import WorkflowEnvironment


class TaskClock:
    """The task clock of every workflow of the run: the test server's time plus `offset`."""

    def __init__(self, env: WorkflowEnvironment, offset: timedelta) -> None:
        self.env = env
        self.offset = offset

    async def now(self) -> datetime:
        return await self.env.get_current_time() + self.offset

    async def advance_to(self, moment: datetime) -> None:
        """Skip time to `moment`; every timer on the way fires and is handled first."""
        delay = moment - await self.now()
        if delay > timedelta(0):
            await self.env.sleep(delay)
