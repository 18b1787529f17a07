import pytest

from linli.domain.services.triage import DEFAULT_RULES, Rule, triage


def run(description, category="psychological", asked="normal", flags=(), rules=DEFAULT_RULES):
    return triage(
        description=description, category=category, asked=asked, flags=set(flags), rules=rules
    )


@pytest.mark.parametrize(
    "text",
    [
        "最近总觉得不想活了",
        "我 想 死",
        "活不下去了怎么办",
        "想过割腕",
        "I feel SUICIDAL",
        "ＳＵＩＣＩＤＥ",
    ],
)
def test_self_harm_words_make_a_request_critical_and_say_why(text):
    result = run(text)
    assert result.urgency == "critical"
    assert result.reasons[0][0] == "self_harm"


def test_plain_request_keeps_the_urgency_asked_and_no_reason():
    result = run("家里缺大米和蔬菜", category="daily")
    assert (result.urgency, result.reasons) == ("normal", ())


def test_urgency_is_never_lowered():
    assert run("需要买菜", category="daily", asked="critical").urgency == "critical"


def test_risk_flags_raise_urgency_and_category_limited_rules_apply_only_to_their_category():
    assert run("想咨询", category="medical", flags={"pregnant"}).reasons == (
        ("pregnant", "pregnant"),
    )
    assert run("需要买菜", category="daily", flags={"pregnant"}).urgency == "normal"
    assert run("需要买菜", category="daily", flags={"high_risk"}).urgency == "urgent"


def test_the_reason_reaching_the_final_urgency_comes_first():
    result = run("发烧三天，胸痛", category="medical")
    assert result.urgency == "critical"
    assert [r[0] for r in result.reasons] == ["danger_signs", "medical_worry"]


def test_a_community_rule_adds_to_the_defaults():
    rules = (*DEFAULT_RULES, Rule("keyword", "透析", "critical", "本社区：透析中断"))
    assert run("透析机坏了", category="medical").urgency == "urgent"
    result = run("透析机坏了", category="medical", rules=rules)
    assert result.urgency == "critical" and result.reasons[0][0] == "本社区：透析中断"


def test_bad_rules_and_urgencies_are_refused():
    with pytest.raises(ValueError, match="urgency"):
        Rule("keyword", "x", "extreme", "r")
    with pytest.raises(ValueError, match="kind"):
        Rule("regex", "x", "urgent", "r")
    with pytest.raises(ValueError, match="urgency"):
        run("x", asked="asap")
