"""Parse a UN resolution or presidential statement into symbol, adoption and paragraphs.

Reads what the UN publishes: Akoma Ntoso XML (AKN4UN, read structurally), and PDF, DOCX,
plain text or paragraph JSON (read as text blocks). Pure: bytes in, a frozen
`Resolution` out; entity-laden XML is refused by defusedxml before it can expand.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from common.errors import CorruptDocument, EmptyDocument, NotAResolution
from extractors.masthead import find_date as find_first_date
from extractors.masthead import fold, opens_operative, words
from extractors.readers.sniff import FORMS, describe_form, detect_form
from extractors.resolution.resolution_pdf import read_resolution_pdf
from extractors.symbol_grammar import grammar
from extractors.symbols import (
    find_symbols,
    is_symbol,
    normalize_symbol,
    parse_symbol,
    split_joint_symbol,
    symbols_from_link,
)

# XML is parsed only for Akoma Ntoso documents (`_parse_akn` imports it).
if TYPE_CHECKING:
    import xml.etree.ElementTree as ElementTree

# Written into `documents.parser_version` of every resolution and statement loaded.
PARSER_VERSION = "resolution-1.2"
AKN_LANGUAGES = {"eng": "en", "fra": "fr", "spa": "es", "rus": "ru", "zho": "zh", "chi": "zh"}
AKN_LANGUAGES |= {"ara": "ar"}

_MEETING = re.compile(
    r"(?P<number>\d{1,5})\s*(?:st|nd|rd|th|e|re|ème)\s+(?:plenary\s+)?(?:meeting|séance)",
    re.IGNORECASE,
)
_ADOPTION_CUE = re.compile(
    r"adopted by|adoptée? par|\bat the \d+\w*\s+meeting|\bà sa \d+\w*\s+séance"
    r"|plenary meeting|séance plénière",
    re.IGNORECASE,
)
# How the meeting that adopted a resolution is printed after its last paragraph: "103rd plenary
# meeting" (General Assembly), "52nd meeting" alone on its line (Human Rights Council).
_CONCLUSION = re.compile(
    r"^\d{1,4}\s*(?:st|nd|rd|th|e|re)\s+(?:plenary meeting|séance plénière)"
    r"|^\d{1,4}\s*(?:st|nd|rd|th|e|re)\s+(?:meeting|séance)"
    r"(?:\s+\d{1,2}(?:er)?\s+\w+\s+\d{4})?\s*$",
    re.IGNORECASE,
)
_ANNEX = re.compile(r"^(?:annex|annexe)(?:\s+(?:[IVX]+|\d{1,2}|[A-H]))?\s*$", re.IGNORECASE)
_OPERATIVE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*\.\s*$")
_PREFIXED_LINE = re.compile(r"^\s*(\d{1,3}\.|\((?:[a-z]{1,2}|[ivx]+)\)|[a-z]\)|[ivx]+\))\s+(.*)$")
# A declaration adopted "as follows" inside the operative part is an annex in all but name.
_ADOPTS_FOLLOWING = re.compile(
    r"^(?:adopts|adopte)\b.*\b(?:following|suivante?s?)\b.*:\s*$", re.IGNORECASE
)
_GA_TITLE = re.compile(r"^(?P<session>\d{1,3})/(?P<number>\d{1,4})\s*\.\s*(?P<title>.+)$")
_SC_TITLE = re.compile(
    r"^(?:resolution|résolution)\s+(?P<number>\d{1,4})\s*\((?P<year>\d{4})\)", re.IGNORECASE
)
# Series a resolution parser's own document belongs to (its cover prints one of these).
_DECISION_SERIES = frozenset({"RES", "PRST", "DEC"})
_RESOLUTION_REFERENCE = re.compile(r"\brésolutions?\s+|\bresolutions?\s+", re.IGNORECASE)
_REFERENCE_ITEM = re.compile(
    r"(?:(?P<sc>\d{1,4}\s?\(\d{4}\))|(?P<ga>\d{1,3}/\d{1,4}))(?:\s*(?:,|and|et)\s*)*"
)
_GLUED_NOTE = re.compile(r"(?<=[A-Za-zé,;.])\s?\d{1,2}(?=[a-z])|(?<=[a-z][,;])\d{1,2}(?=\s)")
_PREAMBLE_OPENER = re.compile(
    r"^[A-ZÀ-Ý][\w’'-]*(?:ing|ed|ant|ante|ée|és|ées|ful|ware|scious|ious)\b"
    r"|^(?:Bearing|Aware|Mindful|Deeply|Gravely|Conscious|Convinced|Determined|Ayant|Sachant)\b"
)


@dataclass(frozen=True)
class NumberedText:
    """An operative or annex paragraph: its printed number (None when unnumbered) and text."""

    number: int | None
    text: str


@dataclass(frozen=True)
class Resolution:
    """A parsed resolution or presidential statement, as `coopwatch parse --json` prints it."""

    symbol: str
    language: str | None
    organ: str | None
    title: str
    adopted: str | None
    meeting: int | None
    preambular: tuple[str, ...]
    operative: tuple[NumberedText, ...]
    annex: tuple[NumberedText, ...]
    cites: tuple[str, ...]
    source_format: str = "text"
    unknown_cites: tuple[str, ...] = ()

    @property
    def numbered_operative_count(self) -> int:
        """How many operative paragraphs carry a printed number."""
        return sum(1 for paragraph in self.operative if paragraph.number is not None)

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of issue 10: kind, symbol, language, organ, title, adoption, parts."""
        return {
            "kind": "resolution",
            "symbol": self.symbol,
            "language": self.language,
            "organ": self.organ,
            "title": self.title,
            "adopted": self.adopted,
            "meeting": self.meeting,
            "preambular": list(self.preambular),
            "operative": [{"number": p.number, "text": p.text} for p in self.operative],
            "annex": [{"number": p.number, "text": p.text} for p in self.annex],
            "cites": list(self.cites),
            "unknown_cites": list(self.unknown_cites),
        }


def document_kind(symbol: str) -> str:
    """The `documents.kind` of a symbol: resolution, presidential_statement or other."""
    if "/PRST/" in symbol:
        return "presidential_statement"
    if "/RES/" in symbol:
        return "resolution"
    return "other"


def document_symbols(cited: str, resolution: Resolution) -> tuple[str, ...]:
    """The symbol as cited, then the one the document prints when it differs."""
    printed = resolution.symbol
    return (cited, printed) if printed and printed != cited else (cited,)


def clean_text(text: str) -> str:
    """NFC, plain spaces for non-breaking and thin ones, single spaces, no edge spaces."""
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"[\u00a0\u2007\u202f\u2009\t\r\n]+", " ", text)
    return re.sub(r" {2,}", " ", text).strip()


def find_date(text: str) -> str | None:
    """The first '18 November 2024' / '1er juin 2021' style date in text, as ISO."""
    return find_first_date(text)


def find_meeting(text: str) -> int | None:
    """The meeting number in '5868th meeting' / '8784e séance' / '39th plenary meeting'."""
    match = _MEETING.search(clean_text(text))
    return int(match["number"]) if match else None


def organ_of(symbol: str | None) -> str | None:
    """The body whose document it is, from the grammar: the last body segment that is not a
    session ('Human Rights Council' for A/HRC/RES/52/1), else the organ ('General Assembly'
    for A/RES/ES-11/1)."""
    if not symbol or not is_symbol(symbol):
        return None
    rules = grammar()
    parsed = parse_symbol(split_joint_symbol(symbol)[0])
    for qualifier in reversed(parsed.qualifiers):
        found = rules.qualifier(qualifier, parsed.organ)
        if found and found[0] in rules.bodies and not found[0].is_session and found[0].name:
            return found[0].name
    return rules.spelled(rules.organs, parsed.organ).name or None


def printed_symbol(line: str) -> str | None:
    """The resolution, decision or statement symbol a cover line prints, as printed."""
    for mention in find_symbols(line):
        for symbol in mention.symbols:
            if _DECISION_SERIES & set(parse_symbol(symbol).qualifiers):
                return mention.text
    return None


def symbols_in_text(text: str, organ: str | None = None) -> list[str]:
    """Canonical symbols printed in text (a joint one joined), plus 'resolution 59/50' /
    '1631 (2005)' references."""
    text = clean_text(text)
    found = []
    for mention in find_symbols(text):
        if mention.symbols and not mention.unknown:
            found.append("-".join(mention.symbols))
        else:
            found.extend(mention.symbols)
    for reference in _RESOLUTION_REFERENCE.finditer(text):
        position = reference.end()
        while match := _REFERENCE_ITEM.match(text, position):
            if match.end() == position:
                break
            candidate = "S/RES/" + match["sc"] if match["sc"] else "A/RES/" + match["ga"]
            if is_symbol(candidate):
                found.append(normalize_symbol(candidate))
            position = match.end()
    return found


def unknown_in_texts(texts: Iterable[str]) -> tuple[str, ...]:
    """Symbol-shaped texts the grammar does not know, distinct, in order: kept with the
    resolution as unresolved citations."""
    found = [part for text in texts for m in find_symbols(clean_text(text)) for part in m.unknown]
    return tuple(dict.fromkeys(found))


def _unique(items: Iterable[str], exclude: str | None) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for item in items:
        if item and item != exclude:
            seen.setdefault(item, None)
    return tuple(seen)


def _symbol_or_none(text: str | None) -> str | None:
    if text and is_symbol(text):
        return normalize_symbol(text)
    return None


def parse_resolution_bytes(
    data: bytes, *, name: str, symbol: str | None, language: str | None
) -> Resolution:
    """Parse one resolution file's bytes; `symbol`/`language` fill what the document lacks.

    Raises EmptyDocument, CorruptDocument, NoTextLayer or NotAResolution naming `name`.
    """
    form = detect_form(data, name)
    if form == "empty":
        raise EmptyDocument(name, "no content")
    if form == "akn":
        return _parse_akn(data, name=name, symbol=symbol, language=language)
    if form == "pdf":
        blocks, notes = _pdf_blocks(data, name)
        return _parse_blocks(blocks, notes, name, symbol, language, "pdf")
    if form == "docx":
        return _parse_blocks(_docx_blocks(data, name), [], name, symbol, language, "docx")
    if form != "binary" and not FORMS[form].reads_resolution:
        raise CorruptDocument(name, f"no resolution reader for {describe_form(form)}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CorruptDocument(name, f"neither XML, PDF, DOCX nor UTF-8 text ({error})") from error
    if text.lstrip().startswith("["):
        return _parse_blocks(_json_blocks(text, name), [], name, symbol, language, "json")
    return _parse_blocks(_text_blocks(text), [], name, symbol, language, "text")


# --- Akoma Ntoso -----------------------------------------------------------------------


def _local(element: ElementTree.Element) -> str:
    return element.tag.rsplit("}", 1)[-1] if isinstance(element.tag, str) else ""


def _children(element: ElementTree.Element, name: str) -> list[ElementTree.Element]:
    return [child for child in element if _local(child) == name]


def _descendants(element: ElementTree.Element, name: str) -> Iterator[ElementTree.Element]:
    return (node for node in element.iter() if _local(node) == name)


def _akn_text(
    element: ElementTree.Element, skip: frozenset[str] = frozenset({"authorialNote"})
) -> str:
    parts: list[str] = [element.text or ""]
    for child in element:
        if _local(child) == "eol":
            parts.append(" ")
        elif _local(child) == "num":
            parts.append(_akn_text(child) + " ")
        elif _local(child) not in skip:
            parts.append(_akn_text(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def _akn_clean(element: ElementTree.Element) -> str:
    return clean_text(_akn_text(element))


def _akn_number(paragraph: ElementTree.Element) -> int | None:
    for num in _children(paragraph, "num"):
        match = _OPERATIVE_NUMBER.match(clean_text(num.text or ""))
        if match:
            return int(match.group(1))
    return None


def _akn_paragraphs(body: ElementTree.Element) -> list[tuple[str, NumberedText]]:
    """Top-level paragraphs of a body; the printed number goes to `number`, not the text."""
    found = []
    for child in body:
        kind = _local(child)
        if kind in ("paragraph", "alinea", "p"):
            parts = [child.text or ""]
            for part in child:
                if _local(part) != "num":
                    parts.append(_akn_text(part))
                parts.append(part.tail or "")
            text = clean_text("".join(parts))
            if text:
                found.append((kind, NumberedText(_akn_number(child), text)))
    return found


def _parse_akn(data: bytes, *, name: str, symbol: str | None, language: str | None) -> Resolution:
    import xml.etree.ElementTree as ElementTree

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring as parse_xml_safely

    try:
        root = parse_xml_safely(data, forbid_dtd=True)
    except (DefusedXmlException, ElementTree.ParseError) as error:
        raise CorruptDocument(name, f"unsafe or malformed XML ({error})") from error
    main = next((child for child in root if _local(child)), None)
    if main is None:
        raise NotAResolution(name, "Akoma Ntoso document without a body")
    printed = [
        node.text or ""
        for node in _descendants(main, "docNumber")
        if node.get("refersTo") == "#symbol"
    ]
    found_symbol = _symbol_or_none(printed[0] if printed else None) or _symbol_or_none(symbol)
    languages = [node.get("language", "") for node in _descendants(main, "FRBRlanguage")]
    found_language = AKN_LANGUAGES.get(languages[0], language) if languages else language

    adopted, meeting = _akn_adoption(main)
    preambular = _akn_preambular(main)
    intro, operative, annex = _akn_body(main)
    if adopted is None:
        adopted, meeting = _adoption_in_intro(intro, meeting)
    body_texts = preambular + [item.text for item in operative + annex]
    cites = _akn_cites(main, body_texts)
    note_texts = [_akn_text(note, frozenset()) for note in _descendants(main, "authorialNote")]
    return _checked(
        Resolution(
            symbol=found_symbol or "",
            language=found_language,
            organ=organ_of(found_symbol),
            title=_akn_title(main),
            adopted=adopted,
            meeting=meeting,
            preambular=tuple(preambular),
            operative=tuple(operative),
            annex=tuple(annex),
            cites=_unique(cites, found_symbol),
            source_format="akn",
            unknown_cites=unknown_in_texts(note_texts + body_texts),
        ),
        name,
    )


def _akn_preambular(main: ElementTree.Element) -> list[str]:
    """The texts of the preamble's paragraphs, in order."""
    preamble = next(iter(_children(main, "preamble")), None)
    preambular = []
    if preamble is not None:
        for child in preamble:
            if _local(child) in ("container", "p", "blockContainer"):
                text = _akn_clean(child)
                if text:
                    preambular.append(text)
    return preambular


def _akn_body(
    main: ElementTree.Element,
) -> tuple[list[NumberedText], list[NumberedText], list[NumberedText]]:
    """The introductory alineas, operative paragraphs and annex items of the main body and
    its attachments."""
    body = next(iter(_children(main, "mainBody")), None)
    items = _akn_paragraphs(body) if body is not None else []
    if any(kind == "paragraph" for kind, _item in items):
        intro = [item for kind, item in items if kind == "alinea"]
        items = [(kind, item) for kind, item in items if kind != "alinea"]
    else:
        intro = []
    operative, annex = _split_operative([item for _kind, item in items])
    for attachment in _descendants(main, "attachment"):
        for attached_body in _descendants(attachment, "mainBody"):
            annex.extend(item for _kind, item in _akn_paragraphs(attached_body))
    return intro, operative, annex


def _adoption_in_intro(
    intro: list[NumberedText], meeting: int | None
) -> tuple[str | None, int | None]:
    """The adoption date and meeting read from introductory alineas that speak of adoption."""
    adopted = None
    for paragraph in intro:
        if _ADOPTION_CUE.search(paragraph.text):
            adopted = find_date(paragraph.text)
            meeting = meeting or find_meeting(paragraph.text)
    return adopted, meeting


def _akn_cites(main: ElementTree.Element, body_texts: list[str]) -> list[str]:
    """Symbols cited by links, authorial notes and the body's text, in that order."""
    cites: list[str] = []
    for anchor in _descendants(main, "a"):
        anchor_symbol = _symbol_or_none(clean_text(_akn_text(anchor)).rstrip(".,;:)"))
        cites.extend(
            [anchor_symbol] if anchor_symbol else symbols_from_link(anchor.get("href", ""))
        )
    for note in _descendants(main, "authorialNote"):
        cites.extend(symbols_in_text(_akn_text(note, frozenset())))
    cites.extend(symbols_in_text(" ".join(body_texts)))
    return cites


def _akn_adoption(main: ElementTree.Element) -> tuple[str | None, int | None]:
    adopted = None
    for node in _descendants(main, "docDate"):
        value = node.get("date", "")
        if node.get("refersTo") == "#adoptionDate" and not value.startswith("0001"):
            adopted = value
            break
    meeting = None
    for node in main.iter():
        if node.get("name") == "adoptionMeeting" or node.get("refersTo") == "#adoptionMeeting":
            digits = re.match(r"\d+", node.get("title") or clean_text(node.text or ""))
            if digits:
                meeting = int(digits.group())
                break
    return adopted, meeting


def _akn_title(main: ElementTree.Element) -> str:
    titles = {node.get("refersTo"): _akn_clean(node) for node in _descendants(main, "docTitle")}
    for key in ("#resolutionTitle", "#resolutionNumber", "#title1"):
        if titles.get(key):
            return titles[key]
    return ""


def _split_operative(items: list[NumberedText]) -> tuple[list[NumberedText], list[NumberedText]]:
    """Operative paragraphs and the declaration an 'Adopts the following' paragraph brings."""
    for index, item in enumerate(items):
        if (
            item.number is None
            and _ADOPTS_FOLLOWING.match(item.text)
            and not any(earlier.number is not None for earlier in items[:index])
        ):
            return items[: index + 1], items[index + 1 :]
    if any(item.number is not None for item in items):
        operative: list[NumberedText] = []
        for item in items:
            if item.number is None and operative:
                last = operative[-1]
                operative[-1] = NumberedText(last.number, f"{last.text} {item.text}")
            elif item.number is not None:
                operative.append(item)
        return operative, []
    return list(items), []


def _checked(resolution: Resolution, name: str) -> Resolution:
    if not resolution.operative and not resolution.preambular:
        raise NotAResolution(name, "no preambular or operative paragraphs found")
    return resolution


# --- text blocks (PDF, DOCX, text, paragraph JSON) --------------------------------------


Block = tuple[str | None, str]


def _text_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        if not chunk.strip():
            continue
        prefix, _, rest = chunk.partition("\t")
        if rest and _PREFIXED_LINE.match(f"{prefix.strip()} x"):
            blocks.append((prefix.strip(), clean_text(rest)))
        else:
            blocks.append((None, clean_text(chunk)))
    return blocks


def _json_blocks(text: str, name: str) -> list[Block]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise CorruptDocument(name, f"malformed JSON ({error})") from error
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise NotAResolution(name, "JSON is not a list of paragraph objects")
    return [
        (item.get("prefix") or None, clean_text(str(item.get("text") or "")))
        for item in items
        if str(item.get("text") or "").strip()
    ]


def _docx_blocks(data: bytes, name: str) -> list[Block]:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises several unrelated types on bad zips
        raise CorruptDocument(name, f"unreadable DOCX ({error})") from error
    blocks: list[Block] = []
    for paragraph in document.paragraphs:
        text = paragraph.text
        match = _PREFIXED_LINE.match(text.replace("\t", " ", 1)) if "\t" in text else None
        if match:
            blocks.append((match.group(1), clean_text(match.group(2))))
        elif text.strip():
            blocks.append((None, clean_text(text)))
    return blocks


def _pdf_blocks(data: bytes, name: str) -> tuple[list[Block], list[str]]:
    """Paragraph blocks of a resolution PDF, and its footnote lines (furniture and footnote
    markers already dropped by `read_resolution_pdf`)."""
    page_text = read_resolution_pdf(data, name)
    blocks: list[Block] = []
    in_body = False
    previous = ""
    for line in page_text.lines:
        line = clean_text(_GLUED_NOTE.sub(" ", line))
        prefixed = _PREFIXED_LINE.match(line)
        starts_block = (
            not in_body
            or _is_formula(line)
            or _CONCLUSION.match(line)
            or _ANNEX.match(line)
            or _ANNEX.match(previous)
            or prefixed is not None
            or line.startswith(("“", '"', "["))
            or (previous.endswith((",", ";", ":", ".")) and _PREAMBLE_OPENER.match(line))
            or (in_body and previous.endswith((",", ":")) and opens_operative(line))
        )
        if _is_formula(line) or (line.startswith(("“", '"')) and not in_body):
            in_body = True
        if prefixed and _OPERATIVE_NUMBER.match(prefixed.group(1)):
            in_body = True
        if starts_block or not blocks:
            if prefixed:
                blocks.append((prefixed.group(1), prefixed.group(2)))
            else:
                blocks.append((None, line))
        else:
            prefix, text = blocks[-1]
            blocks[-1] = (prefix, f"{text} {line}")
        previous = line
    return blocks, list(page_text.notes)


def _parse_blocks(
    blocks: list[Block],
    notes: list[str],
    name: str,
    symbol: str | None,
    language: str | None,
    source_format: str,
) -> Resolution:
    if not blocks:
        raise NotAResolution(name, "no text")
    formula = next((i for i, (_p, text) in enumerate(blocks) if _is_formula(text)), None)
    intro = next(
        (
            i
            for i, (_p, text) in enumerate(blocks)
            if re.match(r"^(?:at the|à sa)\s+\d+", text, re.IGNORECASE)
        ),
        None,
    )
    body_start = formula + 1 if formula is not None else (intro + 1 if intro is not None else 0)
    cover_end = formula if formula is not None else (intro + 1 if intro is not None else 0)
    cover = blocks[:cover_end]
    cover_text = " ".join(text for _p, text in cover)
    found_symbol = _text_symbol(cover, symbol)
    title = _text_title(cover, found_symbol)
    preambular, items, annex, conclusion = _text_sections(
        blocks[body_start:], "preamble" if formula is not None else "operative"
    )
    if formula is None and intro is None and not any(i.number is not None for i in items):
        raise NotAResolution(name, "no enacting formula, meeting line or numbered paragraph")
    if not items and preambular:
        preambular, items = _unnumbered_operative(preambular)
    operative, declared = _split_operative(items)
    adopted, meeting = _text_adoption(cover_text, conclusion)
    all_text = " ".join(text for _p, text in blocks) + " " + " ".join(notes)
    organ = organ_of(found_symbol) or _organ_in(cover_text + " " + all_text[:2000])
    body = [text for _p, text in blocks[body_start:]]
    cites = symbols_in_text(" ".join(notes)) + symbols_in_text(" ".join(body))
    return _checked(
        Resolution(
            symbol=found_symbol or "",
            language=_text_language(all_text) or language,
            organ=organ,
            title=title,
            adopted=adopted,
            meeting=meeting,
            preambular=tuple(preambular),
            operative=tuple(operative),
            annex=tuple(declared + annex),
            cites=_unique(cites, found_symbol),
            source_format=source_format,
            unknown_cites=unknown_in_texts(notes + body),
        ),
        name,
    )


def _text_sections(
    blocks: list[Block], section: str
) -> tuple[list[str], list[NumberedText], list[NumberedText], str]:
    """Preambular texts, operative items, annex items and the concluding text of the body
    blocks, read from the `section` the body opens in."""
    preambular: list[str] = []
    items: list[NumberedText] = []
    annex: list[NumberedText] = []
    conclusion = ""
    closed = False
    for prefix, text in blocks:
        number = _OPERATIVE_NUMBER.match(prefix) if prefix else None
        if section != "annex" and _CONCLUSION.match(text):
            conclusion = text
            section = "after"
            continue
        if _ANNEX.match(text) and section in ("after", "operative"):
            section = "annex"
            continue
        if section == "operative" and number and _starts_annex(int(number.group(1)), items, closed):
            # A list numbered from 1 again, or after the closing paragraph, is an annex's.
            section = "annex"
        closed = closed or (
            number is not None and bool(words().closing_paragraph.match(fold(text)))
        )
        if section == "after":
            if find_date(text) and not conclusion.endswith(text):
                conclusion = f"{conclusion} {text}"
            continue
        full = f"{prefix} {text}" if prefix and not number else text
        if section == "preamble" and number is None:
            preambular.append(full)
            continue
        if section == "annex":
            annex.append(NumberedText(int(number.group(1)) if number else None, full))
            continue
        section = "operative"
        items.append(NumberedText(int(number.group(1)) if number else None, full))
    return preambular, items, annex, conclusion


def _is_formula(text: str) -> bool:
    """True for the enacting formula ('The Security Council,', 'Le Conseil de sécurité,')."""
    return bool(words().enacting_formula.match(fold(text)))


def _starts_annex(number: int, items: list[NumberedText], closed: bool) -> bool:
    """True when a numbered paragraph after the operative part's own cannot continue it."""
    numbered = [item.number for item in items if item.number is not None]
    return bool(numbered) and (closed or number <= numbered[-1])


def _unnumbered_operative(paragraphs: list[str]) -> tuple[list[str], list[NumberedText]]:
    """Split a resolution that numbers none of its paragraphs: the operative part opens at
    the first paragraph that opens with an operative verb ('Decides', 'Décide')."""
    start = next((i for i, text in enumerate(paragraphs) if opens_operative(text)), None)
    if start is None:
        return paragraphs, []
    return paragraphs[:start], [NumberedText(None, text) for text in paragraphs[start:]]


def _text_symbol(cover: list[Block], given: str | None) -> str | None:
    for _prefix, text in cover:
        printed = printed_symbol(text)
        if printed and is_symbol(printed):
            return normalize_symbol(printed)
    for prefix, text in cover:
        ga = _GA_TITLE.match(f"{prefix or ''}{text}".strip())
        if ga and is_symbol(f"A/RES/{ga['session']}/{ga['number']}"):
            return normalize_symbol(f"A/RES/{ga['session']}/{ga['number']}")
        sc = _SC_TITLE.match(text)
        if sc:
            return normalize_symbol(f"S/RES/{sc['number']}({sc['year']})")
    return _symbol_or_none(given)


def _text_title(cover: list[Block], symbol: str | None) -> str:
    for index, (prefix, text) in enumerate(cover):
        ga = _GA_TITLE.match(f"{prefix or ''}{text}".strip())
        if ga:
            rest = " ".join(more for _p, more in cover[index + 1 :])
            return clean_text(f"{ga['title']} {rest}")
    for _prefix, text in cover:
        if _SC_TITLE.match(text):
            return clean_text(text)
    quoted = re.search(r"entitled “([^”]+)”|intitulée? « ([^»]+) »", " ".join(t for _p, t in cover))
    if quoted:
        return clean_text(quoted.group(1) or quoted.group(2))
    return cover[0][1] if cover else (symbol or "")


def _text_adoption(cover_text: str, conclusion: str) -> tuple[str | None, int | None]:
    adopted = find_date(conclusion) if conclusion else None
    meeting = find_meeting(conclusion) if conclusion else None
    for sentence in re.split(r"(?<=\])|\n", cover_text):
        if _ADOPTION_CUE.search(sentence):
            cue = _ADOPTION_CUE.search(sentence)
            assert cue is not None
            tail = sentence[cue.start() :]
            adopted = adopted or find_date(tail)
            meeting = meeting or find_meeting(tail)
    return adopted, meeting


def _organ_in(text: str) -> str | None:
    lowered = text.lower()
    if "security council" in lowered or "conseil de sécurité" in lowered:
        return "Security Council"
    if "general assembly" in lowered or "assemblée générale" in lowered:
        return "General Assembly"
    return None


def _text_language(text: str) -> str | None:
    lowered = text.lower()
    french = sum(lowered.count(word) for word in (" le ", " la ", " les ", " des ", " et "))
    english = sum(lowered.count(word) for word in (" the ", " of ", " and ", " to "))
    if french == english == 0:
        return None
    return "fr" if french > english else "en"
