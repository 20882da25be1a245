"""The parse stage: documents parsed in batches on the task runner, one bad document
reported in its place without stopping the others, errors that survive pickling."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import pytest
from prefect import flow
from prefect.task_runners import ThreadPoolTaskRunner

from common.errors import DocumentError, EmptyDocument
from extractors.fetch.sources import DocumentRef, FetchedDocument
from flows.nightly import PARSE_BATCH, parse_all

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def fetched(name: str, data: bytes, symbol: str) -> FetchedDocument:
    return FetchedDocument(
        ref=DocumentRef(symbols=(symbol,), language="fr"),
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        source_url=None,
        source_path=name,
    )


def some_documents() -> list[FetchedDocument]:
    """Copies of the 2018 edition under other symbols, every third one empty."""
    good = (CORPUS / "A-73-328_fr.md").read_bytes()
    return [
        fetched(f"edition-{n}.md", good, f"A/73/{n}") if n % 3 else fetched("empty.md", b"", "X")
        for n in range(1, 2 * PARSE_BATCH + 2)
    ]


@flow
def parse_on_threads() -> list[object]:
    """The documents are made inside: flow-run parameters must stay small."""
    return parse_all(some_documents(), ThreadPoolTaskRunner(max_workers=2))


def test_errors_come_back_in_place_and_the_rest_is_parsed(prefect_harness) -> None:
    documents = some_documents()
    results = parse_on_threads()
    assert len(results) == len(documents)
    for document, result in zip(documents, results, strict=True):
        if document.data:
            assert result.report.symbol == document.ref.symbol and result.gate.passed
        else:
            assert isinstance(result, EmptyDocument) and "empty.md" in str(result)


@pytest.mark.parametrize("error_type", [DocumentError, EmptyDocument])
def test_document_errors_survive_pickling(error_type: type[DocumentError]) -> None:
    error = pickle.loads(pickle.dumps(error_type("A/77/277 (fr)", "no numbered paragraphs")))
    assert type(error) is error_type
    assert (error.document, error.cause) == ("A/77/277 (fr)", "no numbered paragraphs")
    assert str(error) == "A/77/277 (fr): no numbered paragraphs"
