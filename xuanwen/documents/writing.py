"""The summary's text, sentence by sentence, from its facts (facts.SummaryFacts).

Shaped like the seed's summaries: 一、基本情况; 二、主要工作及成效, a （一） part per domain;
三、存在的问题; 四、下一步工作打算 (下半年工作打算 in a first-half summary). A clause whose
figure is zero is left out, a domain with no records, and a section with nothing to say: the
document states only what the records hold, never boilerplate.

A paragraph is a list of parts, text and figures, so that the .docx writes each figure as
its stated number and the preview links it to its records.

The text is an official document (公文) and is written in Chinese whatever language the reader's
pages are in, so its words are plain strings, not marked for translation; the views build it
with Chinese switched on (views._summary) for the words it takes from the indicators.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from xuanwen.indicators.periods import PeriodKind
from xuanwen.plans.selectors import Status

from . import wording
from .facts import Domain, Figure, Highlight, PlanFact, SummaryFacts

Part = str | Figure


@dataclass
class Paragraph:
    parts: list[Part]

    @property
    def text(self) -> str:
        return "".join(p.stated if isinstance(p, Figure) else p for p in self.parts)


@dataclass
class Part2:
    """A （一） part of a section: its heading and paragraphs."""

    heading: str
    paragraphs: list[Paragraph]


@dataclass
class Section:
    heading: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    parts: list[Part2] = field(default_factory=list)


@dataclass
class SummaryText:
    title: str
    sections: list[Section]
    signature: str
    dated: str
    preamble: list[str] = field(default_factory=list)  # paragraphs before the first section

    def context(self) -> dict[str, object]:
        """The template's placeholders: plain text only (see docs.py)."""
        return {
            "title": self.title,
            "preamble": self.preamble,
            "sections": [
                {
                    "heading": s.heading,
                    "paragraphs": [p.text for p in s.paragraphs],
                    "parts": [
                        {"heading": p.heading, "paragraphs": [x.text for x in p.paragraphs]}
                        for p in s.parts
                    ],
                }
                for s in self.sections
            ],
            "signature": self.signature,
            "dated": self.dated,
        }

    def paragraphs(self) -> list[str]:
        out = [self.title, *self.preamble]
        for s in self.sections:
            out.append(s.heading)
            out.extend(p.text for p in s.paragraphs)
            for part in s.parts:
                out.append(part.heading)
                out.extend(p.text for p in part.paragraphs)
        return [*out, self.signature, self.dated]


def clause(before: str, figure: Figure | None, after: str = "") -> list[Part]:
    """`before` figure `after`, or nothing when the figure is zero or missing."""
    if figure is None or figure.empty:
        return []
    return [before, figure, after] if after else [before, figure]


def sentence(*clauses: Sequence[Part], lead: str = "") -> Paragraph | None:
    """Non-empty clauses joined by "，" and ended with "。"; None when all are empty."""
    kept = [list(c) for c in clauses if c]
    if not kept:
        return None
    parts: list[Part] = [lead] if lead else []
    for i, c in enumerate(kept):
        if i:
            parts.append("，")
        parts.extend(c)
    parts.append("。")
    return Paragraph(parts)


def _kept(paragraphs: Iterable[Paragraph | None]) -> list[Paragraph]:
    return [p for p in paragraphs if p is not None]


def _names(rows: Iterable[object]) -> str:
    return "、".join(str(getattr(r, "title", r)) for r in rows)


def _when(facts: SummaryFacts) -> str:
    """全年, 上半年, 下半年 (the period as the text speaks of it)."""
    if facts.period.kind == PeriodKind.YEAR:
        return "全年"
    if facts.period.kind == PeriodKind.HALF:
        return "上半年" if facts.period.start.month == 1 else "下半年"
    return "期内"


def _by_key(facts: SummaryFacts) -> dict[str, Domain]:
    return {d.spec.key: d for d in facts.domains}


@dataclass(frozen=True)
class Said:
    """One sentence of a domain: a lead, then a clause per figure (before, code, after), the
    clauses with a zero figure left out; in the texts %(w)s is 全年/上半年/下半年, %(d)s the
    period's last day and %(u)s the unit's name."""

    clauses: tuple[tuple[str, str, str], ...]
    lead: str = ""


# Special sentences: the activities by type, the highlights, the records a domain names.
TYPES, HIGHLIGHTS = "types", "highlights"
NAMED = {"facilities": "主要有%(n)s", "teams": "主要有%(n)s",
         "designations": "新获命名的有%(n)s"}  # fmt: skip


def _said(lead: str, *clauses: tuple[str, str, str]) -> Said:
    return Said(clauses=clauses, lead=lead)


# The sentences of each domain of 二、主要工作及成效, in the seed's order and words.
SENTENCES: dict[str, list[Said | str]] = {
    "activities": [
        _said("%(w)s",
              ("共组织开展各类群众文化活动", "activities.count", ""),
              ("参与群众", "activities.participants", ""),
              ("观众", "activities.audience", ""),
              ("演出节目", "activities.programmes", "")),
        TYPES,
        _said("",
              ("", "activities.covered", "活动获媒体报道"),
              ("获得各类奖项", "awards.count", "")),
        HIGHLIGHTS,
    ],
    "facilities": [
        _said("截至%(d)s，",
              ("共有文化阵地", "facilities.count", ""),
              ("总面积", "facilities.area", ""),
              ("%(w)s新建文化阵地", "facilities.opened", "")),
        "facilities",
    ],
    "opening": [
        _said("%(w)s",
              ("文化阵地累计开放", "opening.days", ""),
              ("接待群众", "opening.visitors", ""),
              ("开放达标率", "opening.compliance_rate", "")),
    ],
    "bookhouses": [
        _said("",
              ("共有农家书屋", "bookhouses.count", ""),
              ("藏书", "bookhouses.books", ""),
              ("音像制品", "bookhouses.av", ""),
              ("%(w)s借阅", "bookhouses.loans", "")),
    ],
    "teams": [
        _said("",
              ("现有业余文艺队伍", "teams.count", ""),
              ("队员", "teams.members", "")),
        "teams",
        _said("%(w)s",
              ("举办培训班", "training.classes", ""),
              ("开展培训", "training.sessions", ""),
              ("培训学员", "training.trainees", ""),
              ("获得各类荣誉", "honours.count", "")),
    ],
    "designations": [
        _said("",
              ("现有各类命名", "designations.count", ""),
              ("%(w)s新获命名", "designations.new", "")),
        "designations",
        _said("",
              ("现有文化户", "households.count", ""),
              ("%(w)s新认定", "households.new", "")),
    ],
    "duties": [
        _said("%(w)s",
              ("完成常规工作", "duties.completions", ""),
              ("其中文化市场检查", "duties.market_inspections", ""),
              ("检查经营单位", "duties.businesses_inspected", ""),
              ("常规工作按时完成率", "duties.on_time_rate", "")),
    ],
}  # fmt: skip


def _words(facts: SummaryFacts) -> dict[str, str]:
    return {"w": _when(facts), "d": wording.day(facts.period.end), "u": facts.unit.name}


def _say(text: str, words: dict[str, str]) -> str:
    return text % words if text else ""


def basics(facts: SummaryFacts) -> list[Paragraph]:
    d = _by_key(facts)

    def fig(key: str, code: str) -> Figure | None:
        return d[key].figures.get(code) if key in d else None

    return _kept([
        sentence(
            clause("共有文化阵地", fig("facilities", "facilities.count")),
            clause("农家书屋", fig("bookhouses", "bookhouses.count")),
            clause("业余文艺队伍", fig("teams", "teams.count")),
            clause("文化户", fig("designations", "households.count")),
            lead="截至{d}，{u}".format(**_words(facts)),
        ),
    ])  # fmt: skip


def _highlight(h: Highlight) -> Paragraph:
    a = h.activity
    parts: list[Part] = [f"{wording.day(a.start_date)}，开展“{a.title}”"]
    if h.coverage:
        outlets = "、".join(dict.fromkeys(c.outlet for c in h.coverage))
        parts.append(f"，{outlets}予以报道")
    if h.awards:
        won = "、".join(f"{w.name}{w.rank}" for w in h.awards)
        parts.append(f"，获{won}")
    parts.append("。")
    return Paragraph(parts)


def domain_paragraphs(facts: SummaryFacts, d: Domain) -> list[Paragraph]:
    """The domain's sentences (SENTENCES), those with nothing to say left out."""
    words = _words(facts)
    out: list[Paragraph | None] = []
    for said in SENTENCES[d.spec.key]:
        if said == TYPES:
            types: list[Part] = []
            for i, (name, figure) in enumerate(d.by_type):
                types.extend([("、" if i else "") + name, figure])
            out.append(sentence(types, lead="其中，") if types else None)
        elif said == HIGHLIGHTS:
            out.extend(_highlight(h) for h in facts.highlights)
        elif isinstance(said, str):
            named = _names(d.records)
            out.append(sentence([str(NAMED[said]) % {"n": named}]) if d.records else None)
        else:
            clauses = [
                clause(_say(before, words), d.figures.get(code), _say(after, words))
                for before, code, after in said.clauses
            ]
            out.append(sentence(*clauses, lead=_say(said.lead, words)))
    return _kept(out)


PROBLEM_WORDS = {
    "opening.weeks_failing": ("免费开放有", "未达到开放标准"),
    "duties.overdue_periods": ("常规工作有", "逾期未完成"),
}


def _ordinal(i: int) -> str:
    return f"{wording.numeral(i)}是"


def _plan_line(fact: PlanFact, *, ahead: bool) -> list[Part]:
    if ahead:
        if fact.target is None:
            return [f"继续推进“{fact.text}”"]
        return [f"继续推进“{fact.text}”，确保完成", fact.target, "的目标"]
    verdict = "未完成" if fact.status == Status.MISSED else "进度落后"
    if fact.target is None or fact.actual is None:
        return [f"“{fact.text}”{verdict}"]
    return [
        f"“{fact.text}”计划完成", fact.target, "，实际完成", fact.actual,
        f"，{verdict}",
    ]  # fmt: skip


def problems(facts: SummaryFacts) -> list[Paragraph]:
    lines: list[list[Part]] = [_plan_line(f, ahead=False) for f in facts.behind]
    for figure in facts.problems:
        before, after = PROBLEM_WORDS[figure.code]
        lines.append([str(before), figure, str(after)])
    return [Paragraph([_ordinal(i), *line, "。"]) for i, line in enumerate(lines, start=1)]


def next_steps(facts: SummaryFacts) -> list[Paragraph]:
    lines = [_plan_line(f, ahead=True) for f in facts.remaining]
    return [Paragraph([_ordinal(i), *line, "。"]) for i, line in enumerate(lines, start=1)]


def summary_text(facts: SummaryFacts, dated: str = "") -> SummaryText:
    """The summary of the facts, its empty sections and domains left out."""
    sections: list[Section] = []

    def add(
        title: str, paragraphs: list[Paragraph] | None = None, parts: list[Part2] | None = None
    ) -> None:
        if paragraphs or parts:
            number = wording.numeral(len(sections) + 1)
            sections.append(Section(f"{number}、{title}", paragraphs or [], parts or []))

    add("基本情况", basics(facts))
    parts: list[Part2] = []
    for domain in facts.domains:
        paragraphs = domain_paragraphs(facts, domain)
        if paragraphs:
            heading = f"（{wording.numeral(len(parts) + 1)}）{domain.title}"
            parts.append(Part2(heading, paragraphs))
    add("主要工作及成效", parts=parts)
    add("存在的问题", problems(facts))
    first_half = facts.half and facts.period.start.month == 1
    add("下半年工作打算" if first_half else "下一步工作打算", next_steps(facts))
    return SummaryText(
        title=f"{facts.unit.name}{facts.period.label}工作总结",
        sections=sections,
        signature=facts.unit.name,
        dated=dated or wording.day(facts.today),
    )
