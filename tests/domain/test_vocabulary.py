"""The vocabulary: how registers really write each field, and that no word means two things."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from linli.domain import vocabulary as vocab
from linli.domain.register_import import clean
from linli.domain.register_import.clean import CellError

# How civil affairs, the disabled persons' federation, health and communities write them
# (spaces, full-width letters, 的 and trailing 人/户 included as they come).
SPELLINGS = {
    "category": {
        "disabled_no_carer": [
            "无人照护的残疾人",
            "无人照料残疾人",
            "残疾人（无人照料）",
            "重度残疾",
            "重度残疾人",
            "失能/半失能",
            "失能",
            "半失能老人",
            "残 疾 人",
            "持证残疾人",
            "卧床",
            "一户多残",
        ],
        "elderly_alone": [
            "高龄独居老人",
            "独居老人",
            "空巢",
            "空巢老人",
            "孤寡老人",
            "计生特殊家庭",
            "计划生育特殊家庭",
            "失独家庭",
            "独居的老人",
            "高龄",
            "80岁以上独居",
            "独居　老人",
        ],
        "left_behind_child": [
            "留守儿童",
            "农村留守儿童",
            "留守",
            "留守未成年人",
            "留守的儿童",
            "留 守 儿 童",
            "父母外出务工儿童",
            "留守儿童（父母在外）",
            "留守儿童人",
            "留守儿童户",
        ],
        "de_facto_orphan": [
            "困境儿童",
            "事实孤儿",
            "孤儿",
            "事实无人抚养儿童",
            "无人抚养的儿童",
            "散居孤儿",
            "困境未成年人",
            "监护缺失儿童",
            "孤残儿童",
            "重病重残儿童",
        ],
        "subsistence": [
            "低保",
            "低保户",
            "特困",
            "特困供养人员",
            "低保/特困",
            "城乡低保",
            "农村低保户",
            "五保户",
            "分散供养",
            "低保边缘户",
            "特困人员",
        ],
        "chronic_medicine": [
            "慢性病",
            "慢病",
            "长期服药",
            "慢性病患者",
            "高血压",
            "糖尿病",
            "透析",
            "血透患者",
            "需长期用药",
            "大病",
        ],
        "pregnant": [
            "孕妇",
            "孕产妇",
            "高危孕产妇",
            "待产",
            "怀孕",
            "孕期",
            "孕晚期",
            "产妇",
            "孕 妇",
            "临产",
        ],
        "home_quarantine": [
            "居家隔离",
            "隔离",
            "居家观察",
            "居家医学观察",
            "居家健康监测",
            "密接",
            "密切接触者",
            "次密接",
            "居家隔离人员",
            "健康监测",
        ],
    },
    "needs": {
        "meals": [
            "送餐",
            "助餐",
            "送饭",
            "老年食堂",
            "订餐",
            "配餐",
            "做饭",
            "供餐",
            "吃饭",
            "餐食",
        ],
        "medicine": [
            "送药",
            "买药",
            "代购药品",
            "取药",
            "配药",
            "代配药",
            "开药",
            "代买药",
            "购药",
            "药品",
        ],
        "mobility_help": [
            "陪同就医",
            "陪诊",
            "助行",
            "轮椅",
            "上下楼",
            "出行协助",
            "行动不便",
            "转运",
            "就医",
            "行动协助",
        ],
        "sign_language": [
            "手语",
            "手语翻译",
            "手语沟通",
            "聋哑沟通",
            "手语服务",
            "文字沟通",
            "手 语",
            "手语的翻译",
            "ｓｉｇｎ_language",
            "手语翻译人",
        ],
        "child_care": [
            "托管",
            "看孩子",
            "照顾小孩",
            "照看儿童",
            "儿童看护",
            "托育",
            "接送孩子",
            "临时照护儿童",
            "看护儿童",
            "儿童照料",
        ],
        "daily_supplies": [
            "买菜",
            "代购",
            "送菜",
            "米面油",
            "生活物资",
            "日用品",
            "跑腿",
            "送水",
            "代买菜",
            "生活用品",
        ],
        "psychological": [
            "心理疏导",
            "谈心",
            "陪伴聊天",
            "精神慰藉",
            "心理咨询",
            "情绪疏导",
            "心理",
            "心理支持",
            "心理辅导",
            "心理关爱",
        ],
    },
    "disability_type": {
        "visual": [
            "视力",
            "视力残疾",
            "视残",
            "盲",
            "盲人",
            "低视力",
            "失明",
            "视障",
            "视力障碍",
            "视力类",
        ],
        "hearing": [
            "听力",
            "听力残疾",
            "听残",
            "聋",
            "耳聋",
            "听障",
            "失聪",
            "聋人",
            "重听",
            "听力障碍",
        ],
        "speech": [
            "言语",
            "言语残疾",
            "语言残疾",
            "言残",
            "哑",
            "失语",
            "言语障碍",
            "语言",
            "构音障碍",
            "口吃",
        ],
        "physical": [
            "肢体",
            "肢体残疾",
            "肢残",
            "截肢",
            "偏瘫",
            "截瘫",
            "脑瘫",
            "肢体障碍",
            "肢体类",
            "肢",
        ],
        "intellectual": [
            "智力",
            "智力残疾",
            "智残",
            "智障",
            "智力障碍",
            "智力低下",
            "唐氏综合征",
            "发育迟缓",
            "心智障碍",
            "智",
        ],
        "mental": [
            "精神",
            "精神残疾",
            "精残",
            "精神障碍",
            "精神病",
            "精神分裂",
            "严重精神障碍",
            "孤独症",
            "自闭症",
            "精",
        ],
        "multiple": [
            "多重",
            "多重残疾",
            "多残",
            "综合",
            "多重障碍",
            "复合残疾",
            "两种以上残疾",
            "多类残疾",
            "综合残疾",
            "多",
        ],
    },
    "relation": {
        "self": [
            "户主",
            "本人",
            "自己",
            "户主本人",
            "本 人",
            "户主(本人)",
            "本身",
            "自身",
            "本",
            "户主（本人）",
        ],
        "spouse": ["配偶", "妻", "妻子", "夫", "丈夫", "老伴", "爱人", "老婆", "老公", "夫妻"],
        "child": ["子", "女", "儿子", "女儿", "长子", "次子", "长女", "次女", "养子", "独生子女"],
        "parent": ["父亲", "母亲", "父", "母", "父母", "爸爸", "妈妈", "继父", "继母", "养母"],
        "grandchild": [
            "孙子",
            "孙女",
            "外孙",
            "外孙女",
            "孙",
            "曾孙",
            "孙子女",
            "孙辈",
            "外孙子",
            "孙媳",
        ],
        "grandparent": [
            "祖父",
            "祖母",
            "爷爷",
            "奶奶",
            "外祖父",
            "外祖母",
            "外公",
            "外婆",
            "姥姥",
            "祖父母",
        ],
        "sibling": ["兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹", "兄弟", "姐妹"],
        "child_in_law": [
            "儿媳",
            "女婿",
            "媳妇",
            "儿媳妇",
            "子媳",
            "婿",
            "大儿媳",
            "二儿媳",
            "媳",
            "女婿子",
        ],
        "other": [
            "其他",
            "其它",
            "亲属",
            "其他亲属",
            "保姆",
            "租户",
            "寄住",
            "亲戚",
            "朋友",
            "非亲属",
        ],
    },
    "yes_no": {
        "yes": ["是", "有", "Y", "yes", "√", "✓", "1", "对", "需要", "同意", "ＹＥＳ"],
        "no": ["否", "无", "N", "no", "×", "0", "没有", "不", "不需要", "不同意", "/"],
    },
}
CASES = [
    (field_name, code, word)
    for field_name, codes in SPELLINGS.items()
    for code, words in codes.items()
    for word in words
]


def test_every_code_has_at_least_ten_spellings():
    for field_name, codes in SPELLINGS.items():
        assert set(codes) == set(vocab.FIELDS[field_name].words), field_name
        for code, words in codes.items():
            assert len(set(words)) >= 10, (field_name, code)


@pytest.mark.parametrize(("field_name", "code", "word"), CASES)
def test_real_spellings_are_understood(field_name, code, word):
    vocabulary = vocab.FIELDS[field_name]
    if field_name == "disability_type":
        assert clean.disability_type(word) == code
    else:
        assert vocabulary.match(word) == code


def test_the_seed_words_and_a_needs_list():
    assert clean.categories("无人照护的残疾人") == ("disabled_no_carer",)
    assert clean.categories("高龄独居老人") == ("elderly_alone",)
    assert clean.needs("买菜/送药/代购") == ("daily_supplies", "medicine")
    assert clean.categories("失能/半失能") == ("disabled_no_carer",)
    assert clean.categories("独居老人、低保户、慢病") == (
        "elderly_alone",
        "subsistence",
        "chronic_medicine",
    )


def test_nothing_matches_lists_the_accepted_words():
    with pytest.raises(CellError) as error:
        clean.categories("困难户")
    assert error.value.code == "category_unknown"
    assert error.value.params["item"] == "困难户"
    for word in ("残疾无人照料", "独居老人", "留守儿童", "事实孤儿", "低保", "孕妇"):
        assert word in error.value.params["accepted"]


def test_a_known_word_in_a_list_never_hides_an_unknown_one():
    with pytest.raises(CellError) as error:
        clean.needs("送药、修电脑")
    assert error.value.params["item"] == "修电脑"


def test_a_word_meaning_two_things_is_ambiguous():
    with pytest.raises(CellError) as error:
        clean.categories("独居残疾人")  # elderly alone, or disabled without carer?
    assert error.value.code == "category_ambiguous"
    assert "独居老人" in error.value.params["meanings"]
    assert "残疾无人照料" in error.value.params["meanings"]
    with pytest.raises(CellError) as error:
        clean.disability_grade("重度")  # grade 1 or 2
    assert error.value.code == "disability_grade_ambiguous"


def test_grades_in_their_spellings():
    for word, grade in [
        ("一级", 1),
        ("2级", 2),
        ("叁", 3),
        ("Ⅳ级", 4),
        ("四 级", 4),
        ("二级残疾", 2),
    ]:
        assert clean.disability_grade(word) == grade
    for word in ("五级", "0", "5级", "很重"):
        with pytest.raises(CellError):
            clean.disability_grade(word)


def test_a_relation_is_written_in_its_usual_word_and_unknown_ones_kept():
    assert clean.relation("老伴") == "配偶"
    assert clean.relation("户主（本人）") == "户主"
    assert clean.relation("干女儿") == "干女儿"


def test_a_deployment_adds_its_words_but_cannot_redirect_a_builtin():
    words = vocab.Vocabularies.with_extra([("category", "三无人员", "subsistence")])
    assert clean.categories("三无人员", words.category) == ("subsistence",)
    with pytest.raises(CellError):
        clean.categories("三无人员")
    with pytest.raises(vocab.VocabularyConflict):
        vocab.Vocabularies.with_extra([("category", "低保户", "pregnant")])
    with pytest.raises(KeyError):
        vocab.Vocabularies.with_extra([("category", "某某", "no_such_code")])


@pytest.mark.parametrize(
    "row",
    [
        ["填报人：张三", "", "", "审核人：李四"],
        ["", "", "填表人：", "联系电话：028-85551234"],
        ["联系电话：13800001111"],
        ["社区（盖章）", "", "2026年11月30日"],
        ["审核人（签字）：", "", ""],
        ["合计", "", "16"],
        ["", "", "签字"],
    ],
)
def test_footer_rows_are_footers(row):
    assert vocab.is_footer(row)


@pytest.mark.parametrize(
    "row",
    [["1", "王秀英", "女"], ["张联系", "510107193806010021"], ["", "李审核", "芳草苑"], []],
)
def test_residents_are_not_footers(row):
    assert not vocab.is_footer(row)


ALL_WORDS = [
    (v.field, w) for v in vocab.FIELDS.values() for words in v.words.values() for w in words
]
_DECORATIONS = st.lists(st.sampled_from([" ", "　", "的", "人", "户"]), max_size=3)


def _decorate(word: str, before: list[str], after: list[str], wide: bool) -> str:
    if wide:  # full-width letters and digits, as an IME writes them
        word = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in word)
    return "".join(b for b in before if b.isspace()) + word + "".join(after)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(ALL_WORDS), _DECORATIONS, _DECORATIONS, st.booleans())
def test_normalisation_never_maps_a_word_to_two_codes(item, before, after, wide):
    """A decorated word either means exactly the code of the word, or is refused as
    ambiguous/unknown; it never silently means another code."""
    field_name, word = item
    vocabulary = vocab.FIELDS[field_name]
    meant = {code for code, words in vocabulary.words.items() if word in words}
    assert len(meant) == 1  # no word is listed under two codes
    text = _decorate(word, before, after, wide)
    try:
        found = vocabulary.match(text)
    except vocab.VocabularyError as error:
        assert error.code in {"ambiguous", "unknown"}
        return
    assert found in meant, (text, found, meant)


@settings(max_examples=400, deadline=None)
@given(
    st.text(
        alphabet="独居残疾人低保老空巢孤儿困境失能的 户送药买菜心理高龄计生特殊家庭", max_size=10
    )
)
def test_any_text_means_one_code_or_is_refused(text):
    """When containment picks a code, every word of another code found in the text lies
    inside a longer word of the code picked: words of two codes never give one answer."""
    vocabulary = vocab.CATEGORIES
    key = vocab.normalise(text)
    try:
        found = vocabulary.match(text)
    except vocab.VocabularyError:
        return
    if vocabulary.exact(text) is not None:
        return
    words = {vocab.normalise(w): c for c, ws in vocabulary.words.items() for w in ws}
    inside = {w: c for w, c in words.items() if len(w) >= 2 and w in key}
    ours = [w for w, c in inside.items() if c == found]
    assert ours
    for word, code in inside.items():
        if code != found:
            assert any(word in w and word != w for w in inside), (text, word, code, found)


def test_building_a_vocabulary_with_a_word_for_two_codes_is_refused():
    with pytest.raises(vocab.VocabularyConflict):
        vocab.Vocabulary("x", {"a": ("独居老人",), "b": ("独居的老人",)})
