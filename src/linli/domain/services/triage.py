"""Triage: raise a request's urgency from words in its description and the person's risk flags,
and say which rule did it. The person's own urgency is never lowered."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

URGENCIES = ("normal", "urgent", "critical")
RANK = {name: i for i, name in enumerate(URGENCIES)}
CATEGORIES = ("psychological", "medical", "medicine", "daily", "other")


@dataclass(frozen=True)
class Rule:
    """``kind`` "keyword" matches ``match`` anywhere in the description (case, width and
    spaces ignored); "flag" matches a risk flag of the person (e.g. "home_quarantine").
    ``categories`` limits the rule to requests of those categories (empty: all)."""

    kind: str
    match: str
    raise_to: str
    reason: str
    categories: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in ("keyword", "flag"):
            raise ValueError(f"rule kind must be keyword or flag, not {self.kind!r}")
        if self.raise_to not in RANK:
            raise ValueError(f"rule urgency must be one of {URGENCIES}, not {self.raise_to!r}")
        if not self.match.strip():
            raise ValueError("a rule needs something to match")


@dataclass(frozen=True)
class Triage:
    urgency: str
    reasons: tuple[tuple[str, str], ...] = field(default=())  # (reason, what matched)

    @property
    def raised(self) -> bool:
        return bool(self.reasons)


def _keywords(reason: str, raise_to: str, words: str, categories: tuple[str, ...] = ()):
    return [Rule("keyword", w, raise_to, reason, categories) for w in words.split()]


# Reasons are codes the app translates; a community's own rules carry free text instead.
DEFAULT_RULES: tuple[Rule, ...] = (
    *_keywords(
        "self_harm",
        "critical",
        "自杀 轻生 不想活 活不下去 活着没意思 生不如死 一了百了 想死 不如死 去死 寻死 结束生命 "
        "了结 割腕 跳楼 跳河 安眠药 "
        "自残 自伤 伤害自己 遗书 suicide suicidal kill-myself self-harm end-my-life",
    ),
    *_keywords(
        "danger_signs",
        "critical",
        "呼吸困难 喘不上气 胸痛 胸闷 昏迷 晕倒 意识不清 抽搐 大出血 吐血 中风 "
        "can't-breathe chest-pain unconscious seizure",
    ),
    *_keywords("violence", "critical", "家暴 打人 威胁 虐待 abuse violence"),
    *_keywords(
        "medical_worry",
        "urgent",
        "发烧 发热 高烧 咳嗽 腹泻 呕吐 断药 没药 停药 透析 胰岛素 孕 fever insulin dialysis",
    ),
    *_keywords("distress", "urgent", "焦虑 恐慌 崩溃 失眠 绝望 panic hopeless"),
    Rule("flag", "high_risk", "urgent", "high_risk"),
    Rule("flag", "disabled_no_carer", "urgent", "no_carer"),
    Rule("flag", "de_facto_orphan", "urgent", "child_alone"),
    Rule("flag", "left_behind_child", "urgent", "child_alone"),
    Rule("flag", "pregnant", "urgent", "pregnant", ("medical", "medicine")),
    Rule("flag", "chronic_medicine", "urgent", "chronic_medicine", ("medicine",)),
)


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, no spaces: "不 想 活" and "ＳＵＩＣＩＤＥ" match."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-_")


def triage(
    *,
    description: str,
    category: str,
    asked: str,
    flags: frozenset[str] | set[str] = frozenset(),
    rules: tuple[Rule, ...] | list[Rule] = DEFAULT_RULES,
) -> Triage:
    """The request's urgency after every rule that matches; each raising rule is named once."""
    if asked not in RANK:
        raise ValueError(f"urgency must be one of {URGENCIES}, not {asked!r}")
    text = normalise(description)
    urgency = asked
    found: dict[str, tuple[int, str]] = {}  # reason → (rank it raises to, what matched)
    for rule in rules:
        if rule.categories and category not in rule.categories:
            continue
        hit = normalise(rule.match) in text if rule.kind == "keyword" else rule.match in flags
        if not hit or RANK[rule.raise_to] <= RANK[asked]:
            continue
        if RANK[rule.raise_to] > RANK[urgency]:
            urgency = rule.raise_to
        if rule.reason not in found or RANK[rule.raise_to] > found[rule.reason][0]:
            found[rule.reason] = (RANK[rule.raise_to], rule.match)
    # The reasons that reach the final urgency come first.
    ordered = sorted(found.items(), key=lambda item: -item[1][0])
    return Triage(urgency, tuple((reason, match) for reason, (_, match) in ordered))
