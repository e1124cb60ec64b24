"""Every stored history replays on the current workflow code: a non-deterministic change fails here.

The histories in `histories/` were recorded by the scenario tests (CCHC_RECORD_HISTORIES=1
records the missing ones, never overwrites). `legacy-v1-reassign.json` was recorded by
version 1 of the workflow, before the `reassign-notifies-new-unit` patch, and
`legacy-v1-refused-record.json` before the `record-refusal-recorded` patch: an update whose
event PostgreSQL refused, which then failed (docs/versioning.md).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from temporalio import workflow
from temporalio.client import WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from workflows.assessment_round import APPROVAL_FREEZES_SHEET, AssessmentRoundWorkflow
from workflows.durable import RECORD_REFUSAL_RECORDED
from workflows.sandbox import workflow_runner
from workflows.task import REASSIGN_NOTIFIES_NEW_UNIT, TaskWorkflow

HISTORIES = Path(__file__).parent / "histories"
LEGACY_V1 = HISTORIES / "legacy-v1-reassign.json"
LEGACY_REFUSAL = HISTORIES / "legacy-v1-refused-record.json"
SCENARIOS = {
    "reminders-before-tet",
    "escalation-until-approval",
    "approval-before-due",
    "rework-loop",
    "extension-replans",
    "waive",
    "reassign",
    "continue-as-new-first-run",
    "continue-as-new-last-run",
    "search-attributes",
    "amendment-moves-due",
    "amendment-waives",
    "par-round-escalates",
    "par-round-published",
    "par-round-approval-voided",
    "record-refused",
    "par-round-record-refused",
}


def stored() -> list[Path]:
    return sorted(HISTORIES.glob("*.json"))


def load(path: Path) -> WorkflowHistory:
    return WorkflowHistory.from_json(f"replay/{path.stem}", path.read_text(encoding="utf-8"))


async def replay(path: Path) -> None:
    replayer = Replayer(
        workflows=[TaskWorkflow, AssessmentRoundWorkflow],
        data_converter=pydantic_data_converter,
        workflow_runner=workflow_runner(),
    )
    await replayer.replay_workflow(load(path))


def patch_markers(path: Path) -> list[str]:
    """The ids of the patches recorded in a history."""
    events = json.loads(path.read_text(encoding="utf-8"))["events"]
    markers = [e["markerRecordedEventAttributes"] for e in events if "markerRecordedEventAttributes" in e]
    payloads = [m["details"]["patch-data"]["payloads"][0] for m in markers if m["markerName"] == "core_patch"]
    return [json.loads(base64.b64decode(p["data"]))["id"] for p in payloads]


def test_a_history_is_stored_for_every_scenario_and_for_version_1():
    assert {p.stem for p in stored()} >= SCENARIOS | {LEGACY_V1.stem, LEGACY_REFUSAL.stem}


@pytest.mark.parametrize("path", stored(), ids=lambda p: p.stem)
async def test_a_stored_history_replays_on_the_current_code(path):
    await replay(path)


def test_a_reassignment_today_records_its_patch_and_version_1_did_not():
    assert patch_markers(HISTORIES / "reassign.json") == [REASSIGN_NOTIFIES_NEW_UNIT]
    assert patch_markers(LEGACY_V1) == []


def test_a_round_approved_today_records_the_approval_patch_and_one_approved_before_did_not():
    assert patch_markers(HISTORIES / "par-round-approval-voided.json") == [APPROVAL_FREEZES_SHEET]
    assert patch_markers(HISTORIES / "par-round-published.json") == []


async def test_checking_the_sheet_at_approval_without_its_patch_guard_would_break_rounds_already_approved(
    monkeypatch,
):
    monkeypatch.setattr(workflow, "patched", lambda patch_id, **_: True)

    with pytest.raises(workflow.NondeterminismError):
        await replay(HISTORIES / "par-round-published.json")


async def test_the_same_change_without_its_patch_guard_would_break_running_workflows(monkeypatch):
    # As if version 2 had been deployed with the new code path taken unconditionally.
    monkeypatch.setattr(workflow, "patched", lambda patch_id, **_: True)

    with pytest.raises(workflow.NondeterminismError):
        await replay(LEGACY_V1)


def test_a_refusal_recorded_today_records_its_patch_and_one_refused_before_did_not():
    assert RECORD_REFUSAL_RECORDED in patch_markers(HISTORIES / "record-refused.json")
    assert RECORD_REFUSAL_RECORDED in patch_markers(HISTORIES / "par-round-record-refused.json")
    assert RECORD_REFUSAL_RECORDED not in patch_markers(LEGACY_REFUSAL)


async def test_recording_a_refusal_without_its_patch_guard_would_break_runs_whose_update_failed_on_it(monkeypatch):
    monkeypatch.setattr(workflow, "patched", lambda patch_id, **_: True)

    with pytest.raises(workflow.NondeterminismError):
        await replay(LEGACY_REFUSAL)
