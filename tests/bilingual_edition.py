"""One small edition written in French and in English, laid out like the real editions (a
summary, an introduction, a chapter of organization sections, observations), for the tests
that load an edition in both languages."""

from __future__ import annotations

from pathlib import Path

from extractors.model import Block
from tests.pdf_render import RenderOptions, render_pdf

SYMBOLS = ("A/79/300", "S/2024/600")
JOB = "24-14001"

FRENCH: tuple[Block, ...] = (
    Block("heading", "Résumé", level=2),
    Block(
        "text",
        "Le présent rapport est établi en application de la résolution 58/316 de l'Assemblée "
        "générale et porte sur la coopération entre l'Organisation des Nations Unies et les "
        "organisations régionales et autres.",
    ),
    Block("heading", "I. Introduction", level=1),
    Block(
        "numbered",
        "La coopération entre l'ONU et les organisations régionales a continué de se "
        "renforcer pendant la période considérée, face à des crises nombreuses.",
        number=1,
    ),
    Block(
        "heading",
        "II. Coopération entre l'Organisation des Nations Unies et les organisations "
        "régionales et autres",
        level=1,
    ),
    Block("heading", "Union africaine", level=2),
    Block(
        "numbered",
        "L'ONU a poursuivi son étroite collaboration avec l'Union africaine, notamment avec "
        "la Mission d'appui et de stabilisation de l'Union africaine en Somalie.",
        number=2,
    ),
    Block(
        "numbered",
        "Le Programme des Nations Unies pour le développement (PNUD) et la Commission de "
        "l'Union africaine ont organisé un atelier sur les élections en Afrique de l'Ouest "
        "avec la Communauté économique des États de l'Afrique de l'Ouest.",
        number=3,
    ),
    Block("heading", "Union européenne", level=2),
    Block(
        "numbered",
        "L'ONU et l'Union européenne ont tenu leur dialogue annuel sur la gestion des crises "
        "et renforcé leur coopération avec l'Organisation internationale pour les migrations.",
        number=4,
    ),
    Block("heading", "III. Observations", level=1),
    Block(
        "numbered",
        "Je me félicite de la coopération toujours plus étroite entre l'ONU et les "
        "organisations régionales, qui reste essentielle.",
        number=5,
    ),
)

ENGLISH: tuple[Block, ...] = (
    Block("heading", "Summary", level=2),
    Block(
        "text",
        "The present report is submitted pursuant to General Assembly resolution 58/316 and "
        "covers cooperation between the United Nations and regional and other organizations.",
    ),
    Block("heading", "I. Introduction", level=1),
    Block(
        "numbered",
        "Cooperation between the United Nations and regional organizations continued to "
        "grow stronger during the reporting period, in the face of many crises.",
        number=1,
    ),
    Block(
        "heading",
        "II. Cooperation between the United Nations and regional and other organizations",
        level=1,
    ),
    Block("heading", "African Union", level=2),
    Block(
        "numbered",
        "The United Nations continued its close collaboration with the African Union, "
        "including with the African Union Support and Stabilization Mission in Somalia.",
        number=2,
    ),
    Block(
        "numbered",
        "The United Nations Development Programme (UNDP) and the African Union Commission "
        "organized a workshop on elections in West Africa with the Economic Community of West "
        "African States.",
        number=3,
    ),
    Block("heading", "European Union", level=2),
    Block(
        "numbered",
        "The United Nations and the European Union held their annual dialogue on crisis "
        "management and strengthened their cooperation with the International Organization "
        "for Migration.",
        number=4,
    ),
    Block("heading", "III. Observations", level=1),
    Block(
        "numbered",
        "I welcome the ever closer cooperation between the United Nations and regional "
        "organizations, which remains essential.",
        number=5,
    ),
)


def render_edition(folder: Path, language: str, blocks: tuple[Block, ...] | None = None) -> Path:
    """The edition in `language` (`fr` or `en`) as a UN-like PDF in `folder`; `blocks`
    replaces its text (to alter one language)."""
    chosen = blocks if blocks is not None else (FRENCH if language == "fr" else ENGLISH)
    path = folder / f"{SYMBOLS[0].replace('/', '-')}_{language}.pdf"
    render_pdf(list(chosen), path, RenderOptions(symbols=SYMBOLS, job_number=JOB))
    return path


def altered(blocks: tuple[Block, ...], number: int, text: str) -> tuple[Block, ...]:
    """`blocks` with the text of paragraph `number` replaced."""
    return tuple(
        Block(b.kind, text, number=b.number, level=b.level)
        if b.kind == "numbered" and b.number == number
        else b
        for b in blocks
    )
