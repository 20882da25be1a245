"""Run the report reader over every real UN PDF of ../shared/corpus/real_pdfs against its
golden structure (tests/golden), the resolution parser, and `coopwatch parse`, over every
real file in ../shared/corpus/resolutions, and the Digital Library parser over every MARCXML
answer in ../shared/corpus/library.

Prints one row per file (per record for the Library) and exits 1 when a file lacks its symbol,
adoption date or paragraphs, when its printed symbol contradicts its file name, when the
English and French texts of one resolution disagree on the number of operative paragraphs, or
when a Library record does not get the symbol its 191 $a states.
Exits 0 with a message when a folder is absent (it is third-party material we do not ship).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

from defusedxml.ElementTree import parse as parse_xml_file

from common.errors import CoopWatchError
from extractors.fetch.library_discovery import parse_marcxml
from extractors.resolution.resolution_parser import Resolution, parse_resolution_bytes
from extractors.symbols import normalize_symbol, parse_symbol, split_joint_symbol

# Run as a script (`make real-corpus`) or as a module: the project's root on the path first.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.real_pdf_shape import (  # noqa: E402
    NOT_YET,
    REAL_PDFS,
    derive_real,
    differences,
    golden_files,
    load_golden,
    report_shape,
    stray_tokens,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_FOLDER = PROJECT_DIR.parent / "shared" / "corpus" / "resolutions"
LIBRARY_FOLDER = PROJECT_DIR.parent / "shared" / "corpus" / "library"
MARC_NS = "{http://www.loc.gov/MARC21/slim}"
COLUMNS = ("file", "symbol", "lang", "organ", "adopted", "meeting", "pre", "op", "annex", "cites")


def name_parts(path: Path) -> tuple[str, str]:
    """Symbol and language a corpus file name gives: 'S-RES-1540(2004)_en.xml'."""
    stem, _, rest = path.name.partition("_")
    return normalize_symbol(stem.replace("-", "/")), rest.split(".")[0]


def problems_of(path: Path, resolution: Resolution, expected_symbol: str) -> list[str]:
    """What makes this parse unacceptable for the corpus check."""
    problems = []
    if not resolution.symbol:
        problems.append("no symbol")
    elif resolution.symbol != expected_symbol:
        problems.append(f"symbol {resolution.symbol} but file name says {expected_symbol}")
    if not resolution.adopted:
        problems.append("no adoption date")
    if not resolution.operative:
        problems.append("no operative paragraphs")
    return problems


def row(path: Path, resolution: Resolution) -> str:
    """One printed line: the figures a reader checks against the document."""
    cites = ",".join(resolution.cites[:6]) + ("…" if len(resolution.cites) > 6 else "")
    values = (
        path.name,
        resolution.symbol,
        resolution.language or "-",
        resolution.organ or "-",
        resolution.adopted or "-",
        str(resolution.meeting) if resolution.meeting is not None else "-",
        str(len(resolution.preambular)),
        f"{resolution.numbered_operative_count}/{len(resolution.operative)}",
        str(len(resolution.annex)),
        cites,
    )
    return "\t".join(values)


def stated_symbols(path: Path) -> dict[str, str]:
    """Record id -> the 191 $a values as the file states them (joined by '-'), read with
    ElementTree independently of the parser under test."""
    stated = {}
    for record in parse_xml_file(path, forbid_dtd=True).getroot().iter(f"{MARC_NS}record"):
        record_id = (record.findtext(f"{MARC_NS}controlfield[@tag='001']") or "").strip()
        values = [
            (subfield.text or "").strip()
            for field in record.iterfind(f"{MARC_NS}datafield[@tag='191']")
            for subfield in field.iterfind(f"{MARC_NS}subfield[@code='a']")
        ]
        stated[record_id] = "-".join(values)
    return stated


def check_library(folder: Path = LIBRARY_FOLDER) -> list[str]:
    """Parse every MARCXML answer; print one row per record; return the problems."""
    if not folder.is_dir():
        print(f"real library folder {folder} is absent: nothing to check")
        return []
    failures: list[str] = []
    print("\t".join(("file", "record", "191 $a", "parsed", "kind")))
    for path in sorted(folder.glob("*.xml")):
        stated = stated_symbols(path)
        records = parse_marcxml(path.read_bytes(), name=path.name)
        if len(records) != len(stated):
            failures.append(
                f"{path.name}: {len(records)} records parsed, {len(stated)} in the file"
            )
        for record in records:
            expected = stated.get(record.record_id)
            kind = parse_symbol(split_joint_symbol(record.symbol)[0]).kind if record.symbol else "-"
            print(f"{path.name}\t{record.record_id}\t{expected}\t{record.symbol}\t{kind}")
            if record.symbol != expected:
                failures.append(
                    f"{path.name} record {record.record_id}: symbol {record.symbol} but its "
                    f"191 $a states {expected}"
                )
        print(f"{path.name}: {len(records)} records, {sum(1 for r in records if r.symbol)} symbols")
    return failures


def check_real_pdfs(folder: Path = REAL_PDFS) -> list[str]:
    """Read every report of ../shared/corpus/real_pdfs against its golden structure; print one
    line per document (paragraphs, headings, parts, footnotes, exact or what differs) and
    return the problems: a furniture token, footnote body or caption inside body or heading
    text on any document, and the differences from the golden on every document."""
    if not folder.is_dir():
        print(f"real PDF folder {folder} is absent: nothing to check")
        return []
    problems: list[str] = []
    print("\t".join(("file", "kind", "paragraphs", "headings", "parts", "footnotes", "golden")))
    for golden_path in golden_files():
        golden = load_golden(golden_path)
        if golden["kind"] == "resolution":
            problems += _check_real_resolution(golden, folder)
            continue
        try:
            report = derive_real(golden, folder).report
        except CoopWatchError as error:
            problems.append(f"{golden['file']}: {error}")
            print(f"{golden['file']}\tFAILED: {error}")
            continue
        texts = [p.text for p in report.paragraphs] + list(report.headings)
        texts += [p.text for part in report.parts for p in part.paragraphs]
        stray = stray_tokens(texts, golden, report)
        differ = differences(golden, report_shape(report))
        known = NOT_YET.get(golden_path.stem)
        problems += [f"{golden['file']}: {line}" for line in stray]
        if known is None:
            problems += [f"{golden['file']}: {line}" for line in differ]
        elif not differ:
            problems.append(f"{golden['file']}: now exact; take it out of NOT_YET")
        figures = (
            len(report.paragraphs),
            len(report.headings),
            len(report.parts),
            len(report.footnotes),
        )
        verdict = "exact" if not differ else "differs: " + "; ".join(d[:80] for d in differ)
        if known is not None and differ:
            verdict = f"known, not yet exact ({len(differ)} difference(s)): {known[:120]}"
        if stray:
            verdict += f"; {len(stray)} stray furniture/footnote/caption text(s)"
        print("\t".join((golden["file"], "report", *map(str, figures), verdict)))
    return problems


def _check_real_resolution(golden: dict, folder: Path) -> list[str]:
    """One line for a resolution of real_pdfs: adoption, meeting, preamble and operative
    paragraphs against its golden; the differences as problems."""
    name = golden["file"]
    try:
        resolution = derive_real(golden, folder).resolution
    except CoopWatchError as error:
        print(f"{name}\tFAILED: {error}")
        return [f"{name}: {error}"]
    expected = golden["resolution"]
    found = {
        "adopted": resolution.adopted,
        "meeting": resolution.meeting,
        "preamble_count": len(resolution.preambular),
        "operative": [p.number for p in resolution.operative],
    }
    wanted = {
        "adopted": expected["adopted"],
        "meeting": expected["meeting"],
        "preamble_count": expected["preamble_count"],
        "operative": [number for number, _ in golden["body"]["paragraphs"]],
    }
    differ = [
        f"{key}: expected {wanted[key]}, read {found[key]}"
        for key in wanted
        if wanted[key] != found[key]
    ]
    texts = [p.text for p in resolution.operative]
    stray = stray_tokens(texts, golden, _NoNotes())
    figures = (str(len(resolution.operative)), "0", "0", "0")
    verdict = "exact" if not differ else "differs: " + "; ".join(differ)
    if stray:
        verdict += f"; {len(stray)} stray furniture text(s)"
    print("\t".join((name, "resolution", *figures, verdict)))
    return [f"{name}: {line}" for line in differ + stray]


class _NoNotes:
    """A resolution has no footnote block or captions to look for in its text."""

    footnotes: tuple = ()
    dropped: tuple = ()


def main(folder: Path = DEFAULT_FOLDER, library: Path = LIBRARY_FOLDER) -> int:
    """Parse every file, print rows and problems, return the exit status."""
    pdf_failures = check_real_pdfs()
    library_failures = check_library(library) + pdf_failures
    if not folder.is_dir():
        print(f"real corpus folder {folder} is absent: nothing to check")
        for failure in library_failures:
            print(f"PROBLEM {failure}")
        return 1 if library_failures else 0
    print("\t".join(COLUMNS))
    failures: list[str] = []
    operative_counts: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        symbol, language = name_parts(path)
        try:
            resolution = parse_resolution_bytes(
                path.read_bytes(), name=path.name, symbol=symbol, language=language
            )
        except CoopWatchError as error:
            failures.append(f"{path.name}: {error}")
            print(f"{path.name}\tFAILED: {error}")
            continue
        print(row(path, resolution))
        failures.extend(f"{path.name}: {p}" for p in problems_of(path, resolution, symbol))
        key = (resolution.symbol, resolution.source_format)
        operative_counts[key][resolution.language or language] = len(resolution.operative)
    for (symbol, source_format), counts in sorted(operative_counts.items()):
        if "en" in counts and "fr" in counts and counts["en"] != counts["fr"]:
            failures.append(
                f"{symbol} ({source_format}): {counts['en']} operative paragraphs in English, "
                f"{counts['fr']} in French"
            )
    failures.extend(cli_parse_problems(folder))
    failures.extend(library_failures)
    failures.extend(mandate_problems(folder))
    for failure in failures:
        print(f"PROBLEM {failure}")
    print(f"{len(failures)} problem(s)")
    return 1 if failures else 0


def cli_parse_problems(folder: Path) -> list[str]:
    """Run `coopwatch parse` on every file: with the file name's symbol and language it must
    print what the resolution parser finds; an XML or PDF file, without them, must still be
    recognised as a resolution with the file name's symbol."""
    import json

    from typer.testing import CliRunner

    from flows.cli import app

    runner = CliRunner()
    problems: list[str] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        symbol, language = name_parts(path)
        hinted = runner.invoke(app, ["parse", str(path), "--symbol", symbol, "--lang", language])
        if hinted.exit_code != 0:
            problems.append(f"{path.name}: coopwatch parse failed: {hinted.output.strip()}")
            continue
        direct = parse_resolution_bytes(
            path.read_bytes(), name=str(path), symbol=symbol, language=language
        ).to_dict()
        direct.update(symbol=symbol, language=language)
        if json.loads(hinted.output) != direct:
            problems.append(f"{path.name}: coopwatch parse prints other fields than the parser")
        if path.suffix not in (".xml", ".pdf"):
            continue
        bare = runner.invoke(app, ["parse", str(path)])
        printed = json.loads(bare.output) if bare.exit_code == 0 else {}
        if (printed.get("kind"), printed.get("symbol")) != ("resolution", symbol):
            problems.append(
                f"{path.name}: without hints, coopwatch parse gives "
                f"{printed.get('kind')} {printed.get('symbol')} ({bare.output.strip()[:120]})"
            )
    print(f"coopwatch parse checked on {sum(1 for p in folder.iterdir() if p.is_file())} files")
    return problems


MANDATE_COLUMNS = (
    "resolution_symbol",
    "adopted",
    "organization_id",
    "cites_edition",
    "edition_section_paragraphs",
    "requested_session",
    "next_edition",
    "next_edition_section_paragraphs",
)


def mandate_problems(folder: Path) -> list[str]:
    """Ingest the two bundled editions and every real XML or PDF resolution into a temporary
    warehouse, print the `mandates` rows; a cooperation resolution whose title names no known
    organization, or that states no requested session, is a problem."""
    import tempfile

    from extractors.fetch.bundled_editions import bundled_editions
    from warehouse.db.schema import connect
    from warehouse.ingest import ingest_file

    problems: list[str] = []
    with tempfile.TemporaryDirectory() as temporary:
        db = Path(temporary) / "mandates.duckdb"
        for edition in bundled_editions():
            ingest_file(
                edition.path,
                symbol="-".join(edition.symbols),
                language=edition.language,
                db_path=db,
            )
        resolutions = sorted(p for p in folder.iterdir() if p.suffix in (".xml", ".pdf"))
        for path in resolutions:
            symbol, language = name_parts(path)
            try:
                ingest_file(path, symbol=symbol, language=language, db_path=db)
            except CoopWatchError as error:
                problems.append(f"{path.name}: ingest failed: {error}")
        con = connect(db)
        try:
            rows = con.execute(
                f"SELECT {', '.join(MANDATE_COLUMNS)} FROM mandates ORDER BY resolution_symbol"
            ).fetchall()
        finally:
            con.close()
    print(f"mandates from {len(resolutions)} resolution files beside the bundled editions")
    print("\t".join(MANDATE_COLUMNS))
    for found in rows:
        print("\t".join("-" if value is None else str(value) for value in found))
        if found[2] is None:
            problems.append(f"{found[0]}: cooperation title names no known organization")
        if found[5] is None:
            problems.append(f"{found[0]}: no requested session found")
    return problems


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_FOLDER))
