"""Whether an area, organization-area or partnership change is material, relative to size.

A unit's paragraphs are judged as a share of a base (the edition, or the organization's
section), so a longer edition does not make every area grow. The thresholds are data
(`warehouse/diff/materiality.yaml`); the rule is written down in docs/changes.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from common.errors import SettingsError
from common.settings_files import SettingsFile

MATERIALITY_FILE = Path(__file__).with_name("materiality.yaml")
JudgedKind = Literal["area", "organization_area", "partnership"]
Base = Literal["edition", "section"]
_KINDS: tuple[JudgedKind, ...] = ("area", "organization_area", "partnership")
_BASES: tuple[Base, ...] = ("edition", "section")


@dataclass(frozen=True)
class MaterialityRule:
    """Thresholds one kind of event must all meet to be material (see materiality.yaml)."""

    base: Base
    min_factor: float
    min_paragraphs: float
    min_z: float
    words_agree: bool = True

    def describe(self) -> str:
        """The rule in one line, as the event's detail quotes it."""
        words = ", words agree" if self.words_agree else ""
        return (
            f"rule: share of the {self.base} x{self.min_factor:g} or more, "
            f"{self.min_paragraphs:g}+ paragraphs beyond the old share, z {self.min_z:g}+{words}"
        )


@dataclass(frozen=True)
class Materiality:
    """The rule of each judged kind."""

    area: MaterialityRule
    organization_area: MaterialityRule
    partnership: MaterialityRule

    def rule(self, kind: JudgedKind) -> MaterialityRule:
        """The rule events of `kind` are judged by."""
        return getattr(self, kind)


@dataclass(frozen=True)
class Share:
    """A unit's paragraphs and words against its base in both editions."""

    old_count: int
    old_total: int
    new_count: int
    new_total: int
    old_words: int
    old_total_words: int
    new_words: int
    new_total_words: int

    @property
    def old_share(self) -> float:
        """The unit's paragraphs as a share of the older base."""
        return _ratio(self.old_count, self.old_total)

    @property
    def new_share(self) -> float:
        """The unit's paragraphs as a share of the newer base."""
        return _ratio(self.new_count, self.new_total)

    @property
    def old_word_share(self) -> float:
        """The unit's words as a share of the older base's words."""
        return _ratio(self.old_words, self.old_total_words)

    @property
    def new_word_share(self) -> float:
        """The unit's words as a share of the newer base's words."""
        return _ratio(self.new_words, self.new_total_words)

    @property
    def factor(self) -> float:
        """How many times the paragraph share moved, up or down (inf from or to nothing)."""
        low, high = sorted((self.old_share, self.new_share))
        if high == 0:
            return 1.0
        return math.inf if low == 0 else high / low

    @property
    def expected(self) -> float:
        """Paragraphs the newer edition would give the unit at its older share."""
        return self.old_share * self.new_total

    @property
    def excess(self) -> float:
        """Paragraphs the newer count is above (+) or below (-) the expected one."""
        return self.new_count - self.expected

    @property
    def z(self) -> float:
        """Two-proportion z statistic of the paragraph counts (pooled), signed; 0 when
        either base is empty or the pooled share is 0 or 1."""
        if not self.old_total or not self.new_total:
            return 0.0
        pooled = (self.old_count + self.new_count) / (self.old_total + self.new_total)
        variance = pooled * (1 - pooled) * (1 / self.old_total + 1 / self.new_total)
        if variance <= 0:
            return 0.0
        return (self.new_share - self.old_share) / math.sqrt(variance)


@dataclass(frozen=True)
class Judgement:
    """A change's score (|z|), whether it is material, and the detail saying why."""

    score: float
    material: bool
    detail: str


def judge(share: Share, rule: MaterialityRule, *, changed: bool = True) -> Judgement:
    """Apply `rule` to `share`: material when every threshold is met and the event reports a
    change (`changed`; an unchanged event is never material)."""
    paragraph_way = math.copysign(1, share.new_share - share.old_share)
    word_way = math.copysign(1, share.new_word_share - share.old_word_share)
    agree = share.new_word_share != share.old_word_share and word_way == paragraph_way
    material = (
        changed
        and share.factor >= rule.min_factor
        and abs(share.excess) >= rule.min_paragraphs
        and abs(share.z) >= rule.min_z
        and (agree or not rule.words_agree)
    )
    return Judgement(round(abs(share.z), 2), material, _detail(share, rule, material))


def _detail(share: Share, rule: MaterialityRule, material: bool) -> str:
    factor = "any" if math.isinf(share.factor) else f"{share.factor:.1f}"
    return (
        f"{rule.base} share {share.old_count}/{share.old_total} ({share.old_share:.1%}) -> "
        f"{share.new_count}/{share.new_total} ({share.new_share:.1%}), x{factor}; "
        f"words {share.old_word_share:.1%} -> {share.new_word_share:.1%}; "
        f"{share.excess:+.1f} paragraphs beyond the old share; z {share.z:+.2f}: "
        f"{'material' if material else 'not material'} ({rule.describe()})"
    )


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def load_materiality(path: Path | str = MATERIALITY_FILE) -> Materiality:
    """The rules of a materiality file; a missing kind, unknown key or bad value is an error
    naming file, line and field."""
    settings = SettingsFile(path)
    if settings.root is None:
        raise SettingsError(str(path), None, None, "is empty")
    kinds = settings.mapping(settings.root, _KINDS)
    rules = {}
    for kind in _KINDS:
        if kind not in kinds:
            raise settings.error(settings.root, f"missing the rule for {kind}")
        node = kinds[kind]
        values = settings.mapping(
            node, ("base", "min_factor", "min_paragraphs", "min_z", "words_agree")
        )
        for key in ("base", "min_factor", "min_paragraphs", "min_z"):
            if key not in values:
                raise settings.error(node, f"missing {key}")
        base = values["base"]
        bases = ("edition",) if kind == "area" else _BASES  # an area spans sections
        if base.value not in bases:
            raise settings.error(base, f"must be one of {', '.join(bases)}, not {base.value!r}")
        numbers = {}
        for key in ("min_factor", "min_paragraphs", "min_z"):
            value = values[key].value
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise settings.error(values[key], f"must be a number 0 or more, not {value!r}")
            numbers[key] = float(value)
        agree = values.get("words_agree")
        if agree is not None and not isinstance(agree.value, bool):
            raise settings.error(agree, f"must be true or false, not {agree.value!r}")
        rules[kind] = MaterialityRule(
            base=base.value, words_agree=True if agree is None else agree.value, **numbers
        )
    return Materiality(**rules)


@cache
def default_materiality() -> Materiality:
    """The bundled rules, read once."""
    return load_materiality()
