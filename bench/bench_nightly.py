"""Time a no-change nightly run against a bare Prefect flow with as many empty tasks.

A night on which nothing changed must cost at most 1.2x the orchestration alone with
Prefect's default settings (issue 8), and at most 1.5x with flow-run heartbeats off, where
the nightly run's own work shows (issue 17). Both flows run in this process against one
temporary Prefect API: the warehouse is loaded once from the bundled editions, then
no-change nightly runs and bare runs alternate; the bare flow calls as many empty tasks as
the nightly run recorded task runs. Medians after a warm-up, and the quartiles of each
nightly run's time over the bare run's after it. `--write` records the figures in
bench/RESULTS.md, "Nightly".
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flows.prefect_setup import configure_prefect

configure_prefect()

from prefect import flow, task  # noqa: E402
from prefect.client.orchestration import get_client  # noqa: E402
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId  # noqa: E402
from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings  # noqa: E402
from prefect.testing.utilities import prefect_test_harness  # noqa: E402

from flows.nightly import nightly  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SECTION = "### No-change run"
# 21 pairs: with 9 the ratio moved by 0.4 from one run of the bench to the next, the bare
# flow's own time varying by half between runs (bench/RESULTS.md).
RUNS = 21
DEFAULT_MODE = "default heartbeats"
QUIET_MODE = "heartbeats off"
BUDGETS = {DEFAULT_MODE: 1.2, QUIET_MODE: 1.5}
# Untimed pause before each timed run, so the temporary API has written the previous run's
# events: without it a run that starts during that write gets a 503 and the client retries
# after a ~2 s pause, which lands on either flow and decides the medians (bench/RESULTS.md).
SETTLE_SECONDS = 1.0


@task(name="empty")
def empty() -> None:
    """A task that does nothing: the cost of orchestration alone."""


@flow(name="bare")
def bare(task_count: int) -> None:
    """A flow that only runs `task_count` empty tasks, one after another."""
    for _ in range(task_count):
        empty()


def task_run_count(flow_run_id: str) -> int:
    """How many task runs a flow run recorded (its subflows' tasks excluded)."""
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    return len(runs)


def _timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def measure(folder: Path, runs: int = RUNS) -> dict[str, dict[str, float]]:
    """Load once, then alternate no-change nightly runs and bare runs; medians in ms."""
    parameters = {
        "source": "bundled",
        "db_path": str(folder / "cw.duckdb"),
        "outbox_dir": str(folder / "outbox"),
        "reports_dir": str(folder / "reports"),
    }
    first = nightly(**parameters)
    assert first["counts"].get("parsed") == 2, first["report"]
    warm = nightly(**parameters)
    assert warm["counts"].get("parsed", 0) == 0 and warm["counts"]["unchanged"] == 2, warm["report"]
    tasks = task_run_count(warm["run_id"])
    figures = {DEFAULT_MODE: _alternate(parameters, tasks, runs)}
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        figures[QUIET_MODE] = _alternate(parameters, tasks, runs)
    return figures


def _alternate(parameters: dict[str, str], tasks: int, runs: int) -> dict[str, float]:
    bare(tasks)
    nightly(**parameters)
    nightly_times, bare_times = [], []
    for _ in range(runs):
        time.sleep(SETTLE_SECONDS)
        nightly_times.append(_timed(lambda: nightly(**parameters)))
        time.sleep(SETTLE_SECONDS)
        bare_times.append(_timed(lambda: bare(tasks)))
    nightly_ms = statistics.median(nightly_times) * 1000
    bare_ms = statistics.median(bare_times) * 1000
    paired = statistics.quantiles(
        [n / b for n, b in zip(nightly_times, bare_times, strict=True)], n=4
    )
    return {
        "tasks": tasks,
        "nightly_ms": nightly_ms,
        "bare_ms": bare_ms,
        "ratio": nightly_ms / bare_ms,
        "nightly_best_ms": min(nightly_times) * 1000,
        "bare_best_ms": min(bare_times) * 1000,
        "paired_q1": paired[0],
        "paired_q3": paired[2],
    }


def passes(mode: str, figures: dict[str, float]) -> bool:
    """Whether a mode's ratio of medians is within its budget."""
    return figures["ratio"] <= BUDGETS[mode]


def render(figures: dict[str, dict[str, float]]) -> str:
    """The Markdown subsection for bench/RESULTS.md."""
    tasks = next(iter(figures.values()))["tasks"]
    rows = "".join(
        f"| {mode} | {f['nightly_ms']:.0f} ({f['nightly_best_ms']:.0f}) "
        f"| {f['bare_ms']:.0f} ({f['bare_best_ms']:.0f}) | {f['ratio']:.2f}x "
        f"| {f['paired_q1']:.2f}-{f['paired_q3']:.2f}x "
        f"| <= {BUDGETS[mode]}x: {'passes' if passes(mode, f) else 'FAILS'} |\n"
        for mode, f in figures.items()
    )
    return (
        f"{SECTION}\n\n"
        "A second run over the two bundled editions (both unchanged: nothing parsed, nothing "
        f"loaded) against a bare flow of {tasks:.0f} empty tasks (as many task runs as the "
        "nightly run records), alternated in one process on one temporary Prefect API "
        f"(`prefect_test_harness`, SQLite), medians of {RUNS} runs after a warm-up "
        "(`python -m bench.bench_nightly --write`). With Prefect's default heartbeats every "
        "flow run waits up to 1 s at exit for its heartbeat thread, in both flows alike; "
        "with heartbeats off the nightly run's own work shows. Each timed run follows an "
        f"untimed {SETTLE_SECONDS:.0f} s pause, so the temporary API has written the previous "
        "run's events: without it a run that starts during that write gets a 503 and the "
        "client retries after a ~2 s pause, which lands on either flow and decided the medians "
        "of the earlier figures (12.6x). Best of the runs in brackets; *paired* is the middle "
        "half of each nightly run's time over the bare run's that follows it. Budgets: 1.2x "
        "with the default settings (issue 8), 1.5x with heartbeats off (issue 17).\n\n"
        "| Prefect settings | no-change nightly ms (best) | bare flow ms (best) "
        "| ratio of medians | paired | budget |\n"
        "|---|---:|---:|---:|---:|---|\n"
        f"{rows}"
    )


def write_subsection(text: str, results: Path = RESULTS, parent: str = "## Nightly") -> None:
    """Replace (or append) a `### ` subsection under `parent`, leaving other sections alone."""
    lines = results.read_text(encoding="utf-8").rstrip("\n").split("\n")
    if parent not in lines:
        lines += ["", parent]
    start = lines.index(parent) + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    title = text.split("\n", 1)[0]
    if title in lines[start:end]:
        first = lines.index(title, start, end)
        last = next((i for i in range(first + 1, end) if lines[i].startswith(("### ", "## "))), end)
    else:
        first = last = end
    before, after = lines[:first], lines[last:]
    while before and not before[-1].strip():
        before.pop()
    while after and not after[0].strip():
        after.pop(0)
    lines = [*before, "", *text.rstrip("\n").split("\n"), *(["", *after] if after else [])]
    results.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark, print the figures, optionally record them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--write", action="store_true", help="record the figures in bench/RESULTS.md"
    )
    args = parser.parse_args(argv)
    with prefect_test_harness(server_startup_timeout=120), tempfile.TemporaryDirectory() as tmp:
        figures = measure(Path(tmp))
    text = render(figures)
    print(text)
    if args.write:
        write_subsection(text)
    return 0 if all(passes(mode, f) for mode, f in figures.items()) else 1


if __name__ == "__main__":
    sys.exit(main())
