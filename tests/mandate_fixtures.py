"""Cooperation resolutions written for the mandate tests, laid out like the UN's Akoma Ntoso
XML (tests/test_resolution.py `akn`) and ODS PDF (`resolution_pdf`), named by symbol.

Read off the texts: A/RES/73/20 (CSTO) cites A/73/328-S/2018/592 and asks for the report at
the seventy-fifth session (paragraph 6); A/RES/75/31 (CPLP, French PDF) cites
A/75/345-S/2020/898 and asks at the seventy-seventh (paragraph 4); A/RES/75/40 names an
organization CoopWatch does not know; A/RES/75/52 (SCO) cites only A/75/99, no edition.
"""

from __future__ import annotations

from tests.test_resolution import akn, resolution_pdf


def cooperation_akn(
    *,
    symbol: str,
    title: str,
    footnote: str,
    session_words: str,
    adopted: str,
    adopted_text: str,
    meeting: int,
) -> bytes:
    """An English AKN4UN cooperation resolution: a preamble whose footnote cites `footnote`,
    then six operative paragraphs, the sixth asking for a report at `session_words`."""
    number = symbol.removeprefix("A/RES/")
    return akn(
        f"""
<coverPage><p><docNumber refersTo="#symbol">{symbol}</docNumber></p>
<p><docTitle>Resolution adopted by the General Assembly on {adopted_text}</docTitle></p></coverPage>
<preface><p><docNumber>{number}.</docNumber><docTitle refersTo="#resolutionTitle">
<span class="bold">{title}</span></docTitle></p></preface>
<preamble><formula name="enactingFormula"><p><span>The General Assembly</span>,</p></formula>
<container name="Having considered"><p>\t<span class="italic">Having considered </span>the
report of the Secretary-General,<authorialNote marker="1"><p>\t\t<a
href="https://undocs.org/en/{footnote.split("-")[0]}">{footnote}</a>.</p></authorialNote></p>
</container>
<container name="Recalling"><p>\t<span>Recalling </span>the Charter of the United Nations,</p>
</container></preamble>
<mainBody>
<paragraph eId="para_1"><num>1.</num><content><p>\t<span>Takes note </span>of the report;</p>
</content></paragraph>
<paragraph eId="para_2"><num>2.</num><content><p>\t<span>Welcomes </span>the cooperation
between the two secretariats;</p></content></paragraph>
<paragraph eId="para_3"><num>3.</num><content><p>\t<span>Encourages </span>further joint
work on conflict prevention;</p></content></paragraph>
<paragraph eId="para_4"><num>4.</num><content><p>\t<span>Invites </span>both organizations
to hold regular meetings;</p></content></paragraph>
<paragraph eId="para_5"><num>5.</num><content><p>\t<span>Stresses </span>the value of
exchanges of information;</p></content></paragraph>
<paragraph eId="para_6"><num>6.</num><content><p>\t<span>Requests </span>the
Secretary-General to submit to the General Assembly at its {session_words} session a report
on the implementation of the present resolution.</p></content></paragraph>
</mainBody>
<conclusions><p><event><location title="{meeting}th" refersTo="#adoptionMeeting">{meeting}th
plenary meeting</location><eol/><docDate date="{adopted}" refersTo="#adoptionDate">{adopted_text}
</docDate></event></p></conclusions>
"""
    )


CSTO_73 = cooperation_akn(
    symbol="A/RES/73/20",
    title="Cooperation between the United Nations and the Collective Security Treaty Organization",
    footnote="A/73/328-S/2018/592",
    session_words="seventy-fifth",
    adopted="2018-11-26",
    adopted_text="26 November 2018",
    meeting=45,
)
UNKNOWN_75 = cooperation_akn(
    symbol="A/RES/75/40",
    title="Cooperation between the United Nations and the Organization of Atlantic Island States",
    footnote="A/75/345-S/2020/898",
    session_words="seventy-seventh",
    adopted="2020-12-03",
    adopted_text="3 December 2020",
    meeting=38,
)
SCO_75 = cooperation_akn(
    symbol="A/RES/75/52",
    title="Cooperation between the United Nations and the Shanghai Cooperation Organization",
    footnote="A/75/99",
    session_words="seventy-seventh",
    adopted="2020-12-07",
    adopted_text="7 December 2020",
    meeting=41,
)
CPLP_75_FR = resolution_pdf(
    [
        [
            "Nations Unies A/RES/75/31",
            "Assemblée générale Distr. générale",
            "8 décembre 2020",
            "20-16001 (F)",
            "*2016001*",
            "Résolution adoptée par l’Assemblée générale",
            "le 3 décembre 2020",
            "75/31. Coopération entre l’Organisation des Nations Unies et la",
            "Communauté des pays de langue portugaise",
            "L’Assemblée générale,",
            "Ayant examiné le rapport du Secrétaire général1,",
            "Rappelant la Charte des Nations Unies,",
            "1. Prend note du rapport du Secrétaire général ;",
            "2. Se félicite de la coopération entre les deux secrétariats ;",
            "3. Encourage la poursuite des échanges d’informations ;",
            "__________________",
            "1 A/75/345-S/2020/898.",
        ],
        [
            "A/RES/75/31 Coopération entre l’Organisation des Nations Unies et la CPLP",
            "20-16001 2/2",
            "4. Prie le Secrétaire général de lui présenter à sa soixante-dix-septième",
            "session un rapport sur l’application de la présente résolution.",
            "38e séance plénière",
            "3 décembre 2020",
        ],
    ]
)

# name -> bytes, for writing into a folder and ingesting.
FIXTURES = {
    "A-RES-73-20_en.xml": CSTO_73,
    "A-RES-75-31_fr.pdf": CPLP_75_FR,
    "A-RES-75-40_en.xml": UNKNOWN_75,
    "A-RES-75-52_en.xml": SCO_75,
}
