"""The DynamoDB fault matrix: every fault tools/faults.py knows, on every table call the skill makes.

The scenarios, what must hold and why: testkit/fault_matrix.py (described once there)."""

from __future__ import annotations

import pytest

from testkit.fault_matrix import (
    CASES,
    COLUMNS,
    EPISODE_COLUMNS,
    ERRORS,
    FAULTS,
    START,
    Cell,
    episodes_of,
    fast_retries,
    run_cell,
)
from testkit.world import World, moto_table


@pytest.fixture(scope="module")
def matrix():
    """Runs each cell once per module, on one World (skill, moto table, fake Alexa API)."""
    with fast_retries(), moto_table():
        world = World()
        cells: dict[tuple[str, str], Cell] = {}

        def cell(column: str, fault: str) -> Cell:
            if (column, fault) not in cells:
                cells[column, fault] = run_cell(world, column, fault)
            return cells[column, fault]

        cell.world = world
        yield cell


@pytest.mark.parametrize("column,fault", CASES)
def test_the_right_words_are_spoken_whatever_the_table_does(matrix, column, fault):
    cell = matrix(column, fault)
    assert cell.guided, f"{column} with {fault} said: {cell.answer!r}"
    assert cell.injected >= 1, f"the fault was never injected ({cell.calls} {cell.operation} calls)"
    assert not cell.notes, cell.notes


@pytest.mark.parametrize("fault", FAULTS)
def test_a_failed_start_write_is_retried_and_no_episode_is_lost(matrix, fault):
    cell = matrix(START, fault)
    assert cell.recovered, "the start write was still queued on the next turn"
    assert (cell.stored, cell.outcome) == (1, "RELIEVED")
    if fault in ERRORS:
        assert cell.calls == cell.injected + 1, "the failed put was not retried exactly once"
    [episode] = episodes_of(matrix.world, cell.user)
    assert (episode["muscle"], episode["side"]) == ("CALF", "LEFT")
    assert episode["techniques"] == ["calf_toe_pull", "calf_stand_press"]
    assert episode["duration_s"] == 100


@pytest.mark.parametrize("fault", FAULTS)
def test_a_failed_profile_read_costs_nothing_but_the_preference(matrix, fault):
    cell = matrix("GetItem profile", fault)
    assert cell.recovered and (cell.stored, cell.outcome) == (1, "RELIEVED")


@pytest.mark.parametrize("fault", FAULTS)
def test_a_failed_end_write_is_tried_again_before_the_session_closes(matrix, fault):
    """The end is written on the turn that closes the session: no later request of the session will
    bring a queued write back, so a transient failure there must be retried within that turn."""
    cell = matrix("UpdateItem end", fault)
    assert (cell.stored, cell.outcome) == (1, "RELIEVED")
    if fault in ERRORS:
        assert cell.calls == cell.injected + 1, "the failed update was not tried again exactly once"


@pytest.mark.parametrize("column", [c for c in COLUMNS if c not in EPISODE_COLUMNS])
@pytest.mark.parametrize("fault", FAULTS)
def test_history_delete_and_preferences_work_again_once_the_fault_passes(matrix, column, fault):
    assert matrix(column, fault).recovered


# --- issue 21: a row per finding ---------------------------------------------------------------
def _finding_cases():
    from testkit.fault_matrix import FINDINGS

    for row in FINDINGS:
        marks = [pytest.mark.xfail(strict=True, reason=row.pending)] if row.pending else []
        yield pytest.param(row, id=row.finding.split(" (")[0].replace(" ", "-"), marks=marks)


@pytest.mark.parametrize("row", list(_finding_cases()))
def test_issue_21_finding_holds(matrix, row):
    """The answer and what is stored, per finding of issue 21 (testkit.fault_matrix.FINDINGS). Runs
    inside the matrix's moto (its own World or DurableWorld, its own users and queues)."""
    assert row.check is not None, f"no scenario yet: {row.pending}"
    problems = row.check()
    assert problems == [], f"{row.finding}: expected {row.expected}; found {problems}"
