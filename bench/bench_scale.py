"""The nightly flow at scale: a cold run over a generated corpus, and Dask 1 vs 2 workers.

Issue 8: with 100 editions x 2 languages (bench/generate_corpus.py), the full cold run
must finish in under 60 s with peak memory under 1 GB on this 2-core machine, and the
parse stage on a Dask cluster of 2 workers must be at least 1.6x faster than on 1 worker.

The cold run happens in a child process so its peak RSS is its own; the flow reads the
generated corpus through its `corpus_dir` parameter. The parse stage is the flow's
`parse_all` (batches of documents as `parse-batch` tasks) on a DaskTaskRunner attached to a
LocalCluster started and warmed up beforehand, so only parsing is timed.

    python -m bench.bench_scale [--editions 100] [--parse-documents 200] [--write]
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from flows.prefect_setup import configure_prefect

configure_prefect()

from prefect import flow  # noqa: E402

from bench.bench_nightly import write_subsection  # noqa: E402
from bench.generate_corpus import generate  # noqa: E402
from flows.nightly import PARSE_BATCH, parse_all  # noqa: E402

SECTION = "### Scale-out on a generated corpus"
LANGUAGES = ["fr", "en"]
COLD_BUDGET_S = 60.0
MEMORY_BUDGET_MB = 1024.0
SPEEDUP_BUDGET = 1.6


def cold_run(corpus_dir: Path, work_dir: Path, task_runner: str) -> dict[str, float]:
    """One full nightly run into an empty warehouse; seconds, peak RSS and the run's counts."""
    from prefect.testing.utilities import prefect_test_harness

    from flows.nightly import nightly

    with prefect_test_harness(server_startup_timeout=120):
        start = time.perf_counter()
        result = nightly(
            source="bundled",
            languages=LANGUAGES,
            db_path=str(work_dir / "cw.duckdb"),
            outbox_dir=str(work_dir / "outbox"),
            reports_dir=str(work_dir / "reports"),
            task_runner=task_runner,
            corpus_dir=str(corpus_dir),
        )
        seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, **result["counts"]}


def cold_run_in_child(corpus_dir: Path, work_dir: Path, task_runner: str) -> dict[str, float]:
    """Run `cold_run` in a fresh interpreter so the peak memory is the run's alone."""
    child = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.bench_scale",
            "--cold-run",
            str(corpus_dir),
            str(work_dir),
            task_runner,
        ],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=Path(__file__).resolve().parent.parent,
    )
    if child.returncode != 0:
        raise RuntimeError(
            f"cold run ({task_runner}) exited {child.returncode}:\n{child.stderr[-3000:]}"
        )
    return json.loads(child.stdout.strip().splitlines()[-1])


@flow(name="bench-parse-stage")
def parse_stage(corpus_dir: str, limit: int, address: str) -> float:
    """Seconds to parse the corpus's first `limit` documents on the Dask cluster at `address`
    (the documents are read inside: flow-run parameters must stay small)."""
    from prefect_dask import DaskTaskRunner

    from extractors.fetch.sources import bundled_documents, read_bundled

    refs = bundled_documents(LANGUAGES, None, Path(corpus_dir))
    documents = [read_bundled(ref) for ref in refs][:limit]
    start = time.perf_counter()
    results = parse_all(documents, DaskTaskRunner(address=address))
    seconds = time.perf_counter() - start
    assert len(results) == len(documents)
    assert not [result for result in results if isinstance(result, Exception)]
    return seconds


def parse_stage_seconds(corpus_dir: Path, workers: int, limit: int) -> float:
    """Seconds the parse stage takes for `limit` documents on a warmed-up Dask cluster."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True) as cluster:
        with Client(cluster.scheduler_address) as client:
            client.run(_warm_up)
        return parse_stage(str(corpus_dir), limit, cluster.scheduler_address)


def _warm_up() -> None:
    """Import the parser and load the reference data in a Dask worker before timing."""
    import flows.nightly  # noqa: F401
    from extractors.enrich.reference_data import load_reference

    load_reference()


def measure(editions: int, parse_documents: int) -> tuple[dict[str, float], dict[str, str]]:
    """Generate the corpus, time the cold runs, then the parse stage on 1 and 2 workers;
    a cold run that fails is returned as its error line instead of figures."""
    from prefect.testing.utilities import prefect_test_harness

    figures: dict[str, float] = {"editions": editions, "documents": editions * len(LANGUAGES)}
    errors: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        corpus_dir = Path(tmp) / "corpus"
        start = time.perf_counter()
        generate(corpus_dir, editions=editions, languages=tuple(LANGUAGES))
        figures["generate_s"] = time.perf_counter() - start
        for runner in ("default", "dask"):
            work_dir = Path(tmp) / f"run-{runner}"
            work_dir.mkdir()
            try:
                cold = cold_run_in_child(corpus_dir, work_dir, runner)
            except RuntimeError as error:
                errors[runner] = _last_error_line(str(error))
                continue
            figures[f"cold_{runner}_s"] = cold["seconds"]
            figures[f"cold_{runner}_mb"] = cold["peak_mb"]
            figures[f"cold_{runner}_parsed"] = cold.get("parsed", 0)
        figures["parse_documents"] = min(parse_documents, figures["documents"])
        with prefect_test_harness(server_startup_timeout=120):
            figures["parse_1_s"] = parse_stage_seconds(corpus_dir, 1, parse_documents)
            figures["parse_2_s"] = parse_stage_seconds(corpus_dir, 2, parse_documents)
    figures["speedup"] = figures["parse_1_s"] / figures["parse_2_s"]
    return figures, errors


def _last_error_line(text: str) -> str:
    """The exception that ended a child's traceback, without the request it echoes."""
    lines = [
        line for line in text.splitlines() if re.match(r"^[\w.]+(Error|Exception|Failed): ", line)
    ]
    line = lines[-1] if lines else text.strip().splitlines()[-1]
    reason = re.search(r"Flow run parameters must be less than [\d,]+ bytes", text)
    line = line.split(" - Response:")[0].split(": ", 1)[-1]
    return (f"{line}: {reason.group()}" if reason else line)[:300].replace("|", "/")


def render(f: dict[str, float], errors: dict[str, str]) -> str:
    """The Markdown subsection for bench/RESULTS.md."""

    def verdict(ok: bool) -> str:
        return "passes" if ok else "FAILS"

    cold_rows = "".join(
        f"| cold run, {runner} runner | | | | FAILS: the run failed ({errors[runner]}) |\n"
        if runner in errors
        else f"| cold run, {runner} runner | {f[f'cold_{runner}_s']:.1f} s | {f[f'cold_{runner}_mb']:.0f} MB "
        f"| {f[f'cold_{runner}_parsed']:.0f} | {verdict(f[f'cold_{runner}_s'] < COLD_BUDGET_S)} time, "
        f"{verdict(f[f'cold_{runner}_mb'] < MEMORY_BUDGET_MB)} memory |\n"
        for runner in ("default", "dask")
    )
    return (
        f"{SECTION}\n\n"
        f"{f['editions']:.0f} editions x {len(LANGUAGES)} languages ({f['documents']:.0f} documents, "
        f"generated in {f['generate_s']:.1f} s by `bench/generate_corpus.py` from the two real "
        "editions: sections dropped, added, grown and shrunk from one edition to the next). "
        "Cold run: a full nightly run into an empty warehouse in a fresh process (discover, "
        "read, parse, enrich, load, diff every consecutive pair, queue and write the digests), "
        "timed around the flow call, peak RSS of that process (Dask workers are separate "
        "processes and not counted). Parse stage: the flow's `parse_all` (`parse-batch` tasks of "
        f"up to {PARSE_BATCH} documents) over "
        f"{f['parse_documents']:.0f} documents on a LocalCluster of 1 or 2 single-threaded worker "
        "processes, started and warmed up before timing. `python -m bench.bench_scale --write`; "
        "this machine has 2 cores shared with other work, so figures vary by some 10-20%.\n\n"
        "| measure | time | peak memory | documents parsed | budget |\n|---|---:|---:|---:|---|\n"
        f"{cold_rows}"
        f"| parse stage, Dask 1 worker | {f['parse_1_s']:.1f} s | | {f['parse_documents']:.0f} | |\n"
        f"| parse stage, Dask 2 workers | {f['parse_2_s']:.1f} s | | {f['parse_documents']:.0f} | "
        f"speed-up **{f['speedup']:.2f}x** (>= {SPEEDUP_BUDGET}x): {verdict(f['speedup'] >= SPEEDUP_BUDGET)} |\n"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (or, with --cold-run, one cold run for the parent process)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--editions", type=int, default=100)
    parser.add_argument("--parse-documents", type=int, default=200)
    parser.add_argument(
        "--write", action="store_true", help="record the figures in bench/RESULTS.md"
    )
    parser.add_argument("--cold-run", nargs=3, metavar=("CORPUS", "WORK_DIR", "RUNNER"))
    args = parser.parse_args(argv)
    if args.cold_run:
        corpus_dir, work_dir, runner = args.cold_run
        print(json.dumps(cold_run(Path(corpus_dir), Path(work_dir), runner)))
        return 0
    figures, errors = measure(args.editions, args.parse_documents)
    text = render(figures, errors)
    print(text)
    if args.write:
        write_subsection(text)
    return 0 if within_budget(figures, errors) else 1


def within_budget(f: dict[str, float], errors: dict[str, str]) -> bool:
    """Both cold runs finished under the time and memory budgets, and 2 Dask workers parse
    at least SPEEDUP_BUDGET times faster than 1."""
    if errors:
        return False
    cold = all(
        f[f"cold_{runner}_s"] < COLD_BUDGET_S and f[f"cold_{runner}_mb"] < MEMORY_BUDGET_MB
        for runner in ("default", "dask")
    )
    return cold and f["speedup"] >= SPEEDUP_BUDGET


if __name__ == "__main__":
    sys.exit(main())
