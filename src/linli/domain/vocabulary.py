"""The words people write in a register, and what Linli understands by them.

Civil affairs write 特困供养人员, the disabled persons' federation 肢体二级 and 重度残疾,
health 失能/半失能, the community 高龄独居老人 or 无人照护的残疾人. A :class:`Vocabulary`
holds, per field, the words for each code; :meth:`Vocabulary.match` compares a cell with
them after :func:`normalise` (full-width to half-width, no spaces, no 的, no trailing 人/户,
lower case), then by containment when exactly one code's words are inside the cell.
Nothing is guessed: a cell that matches nothing raises :class:`VocabularyError` ``unknown``
with the accepted words; a cell that contains words of two codes raises ``ambiguous`` with
both. Two words of different codes that normalise alike are refused when the vocabulary is
built, so normalisation never maps a word to two codes.

A deployment adds its own words (:meth:`Vocabulary.extended`, from the administrator's
table); built-in words cannot be redirected to another code.

Pure Python: no Django.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

_SPACE = re.compile(r"\s+")
_MIN_CONTAINED = 2  # a one-character word is never looked for inside a cell


def normalise(word: str) -> str:
    """``' 无人照护的 残疾人 '`` → ``'无人照护残疾'``; ``'ＡＢ'`` → ``'ab'``."""
    text = unicodedata.normalize("NFKC", word or "")
    text = _SPACE.sub("", text).lower().replace("的", "")
    while len(text) > 1 and text[-1] in "人户":
        text = text[:-1]
    return text


class VocabularyError(ValueError):
    """``code`` is ``unknown`` (``accepted``: the words to write instead) or ``ambiguous``
    (``candidates``: the codes the cell could mean, ``words``: the words found in it)."""

    def __init__(
        self,
        code: str,
        *,
        value: str,
        accepted: tuple[str, ...] = (),
        candidates: tuple[str, ...] = (),
        words: tuple[str, ...] = (),
    ) -> None:
        super().__init__(f"{code}: {value}")
        self.code = code
        self.value = value
        self.accepted = accepted
        self.candidates = candidates
        self.words = words


class VocabularyConflict(ValueError):
    """Two words of different codes normalise to the same key."""


@dataclass(frozen=True)
class Vocabulary:
    """The words of one field: ``words[code]`` = the spellings, the first one the display word."""

    field: str
    words: Mapping[str, tuple[str, ...]]
    contains: bool = True  # match by containment (categories, needs); not for short codes
    _of: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        of: dict[str, str] = {}
        for code, spellings in self.words.items():
            for spelling in (*spellings, code):
                key = normalise(spelling)
                if not key:
                    continue
                if of.setdefault(key, code) != code:
                    raise VocabularyConflict(
                        f"{self.field}: {spelling!r} is a word for both {of[key]} and {code}"
                    )
        object.__setattr__(self, "_of", MappingProxyType(of))

    def exact(self, value: str) -> str | None:
        """The code of ``value`` if it is one of the words once normalised, else None."""
        return self._of.get(normalise(value))

    @property
    def accepted(self) -> tuple[str, ...]:
        """The display word of each code, for the message when a cell matches nothing."""
        return tuple(spellings[0] for spellings in self.words.values() if spellings)

    def display(self, code: str) -> str:
        spellings = self.words.get(code) or (code,)
        return spellings[0]

    def match(self, value: str) -> str:
        """The code ``value`` means, or :class:`VocabularyError`."""
        key = normalise(value)
        if not key:
            raise VocabularyError("unknown", value=value, accepted=self.accepted)
        found = self._of.get(key)
        if found is not None:
            return found
        if self.contains:
            inside = [k for k in self._of if len(k) >= _MIN_CONTAINED and k in key]
            # A word inside a longer found word says nothing more (残疾 in 重度残疾).
            inside = [k for k in inside if not any(k != o and k in o for o in inside)]
            codes = tuple(dict.fromkeys(self._of[k] for k in inside))
            if len(codes) == 1:
                return codes[0]
            if len(codes) > 1:
                raise VocabularyError(
                    "ambiguous", value=value, candidates=codes, words=tuple(inside)
                )
        raise VocabularyError("unknown", value=value, accepted=self.accepted)

    def extended(self, extra: Iterable[tuple[str, str]]) -> Vocabulary:
        """This vocabulary with a deployment's own ``(word, code)`` pairs added.

        A word that already means another code raises :class:`VocabularyConflict`; a code
        this field does not have raises :class:`KeyError`.
        """
        words = {code: list(spellings) for code, spellings in self.words.items()}
        for word, code in extra:
            if code not in words:
                raise KeyError(code)
            words[code].append(word)
        return Vocabulary(
            self.field, {c: tuple(s) for c, s in words.items()}, contains=self.contains
        )


# Vulnerability categories. 困境儿童 are counted with de-facto orphans (both are children
# without a carer the state must look after); 计生特殊家庭 (parents who lost their only
# child) and 空巢 with elderly living alone; 失能/半失能 and 重度残疾 with the disabled
# without a carer — the categories a guardian's duties are defined for.
CATEGORY_WORDS: dict[str, tuple[str, ...]] = {
    "disabled_no_carer": (
        "残疾无人照料",
        "无人照料残疾人",
        "无人照护残疾人",
        "残疾人无人照料",
        "残疾人无人照护",
        "残疾人",
        "残疾",
        "重度残疾",
        "重残",
        "残障",
        "失能",
        "半失能",
        "失能半失能",
        "失能/半失能",
        "失能老人",
        "失智",
        "卧床",
        "瘫痪",
        "持证残疾人",
        "一户多残",
    ),
    "elderly_alone": (
        "独居老人",
        "高龄独居老人",
        "空巢独居老人",
        "独居",
        "空巢",
        "空巢老人",
        "孤寡老人",
        "孤老",
        "高龄独居",
        "独居高龄",
        "计生特殊家庭",
        "计划生育特殊家庭",
        "失独家庭",
        "失独",
        "高龄老人",
        "高龄",
        "老年人",
    ),
    "left_behind_child": (
        "留守儿童",
        "农村留守儿童",
        "留守",
        "留守未成年人",
        "父母外出务工儿童",
    ),
    "de_facto_orphan": (
        "事实孤儿",
        "孤儿",
        "事实无人抚养儿童",
        "无人抚养儿童",
        "困境儿童",
        "困境未成年人",
        "散居孤儿",
        "监护缺失儿童",
        "重病重残儿童",
        "孤残儿童",
    ),
    "subsistence": (
        "低保",
        "低保户",
        "特困",
        "特困供养",
        "特困供养人员",
        "特困人员",
        "低保特困",
        "低保/特困",
        "城乡低保",
        "城市低保",
        "农村低保",
        "低保边缘",
        "低收入",
        "五保",
        "五保户",
        "分散供养",
    ),
    "chronic_medicine": (
        "慢性病",
        "慢病",
        "长期服药",
        "慢性病长期服药",
        "慢病患者",
        "慢性病患者",
        "高血压",
        "糖尿病",
        "透析",
        "血透",
        "需长期用药",
        "重大疾病",
        "大病",
    ),
    "pregnant": (
        "孕妇",
        "孕产妇",
        "孕期",
        "待产",
        "产妇",
        "怀孕",
        "高危孕产妇",
        "临产",
        "孕早期",
        "孕晚期",
    ),
    "home_quarantine": (
        "居家隔离",
        "隔离",
        "居家观察",
        "居家医学观察",
        "居家健康监测",
        "健康监测",
        "密接",
        "密切接触者",
        "次密接",
        "居家隔离人员",
    ),
}

NEED_WORDS: dict[str, tuple[str, ...]] = {
    "meals": ("送餐", "助餐", "配餐", "餐食", "吃饭", "送饭", "做饭", "老年食堂", "订餐", "供餐"),
    "medicine": (
        "送药",
        "代购药品",
        "购药",
        "药品",
        "取药",
        "代买药",
        "买药",
        "配药",
        "代配药",
        "药物",
        "开药",
    ),
    "mobility_help": (
        "行动协助",
        "助行",
        "出行协助",
        "行动不便",
        "陪同就医",
        "陪诊",
        "就医",
        "陪同",
        "轮椅",
        "转运",
        "上下楼",
    ),
    "sign_language": ("手语", "手语翻译", "聋哑沟通", "手语沟通", "手语服务", "文字沟通"),
    "child_care": (
        "照看儿童",
        "儿童照料",
        "看护儿童",
        "托管",
        "看孩子",
        "照顾小孩",
        "临时照护儿童",
        "托育",
        "儿童看护",
        "接送孩子",
    ),
    "daily_supplies": (
        "生活物资",
        "代购",
        "物资",
        "生活用品",
        "代购生活物资",
        "买菜",
        "送菜",
        "代买菜",
        "蔬菜",
        "米面油",
        "日用品",
        "跑腿",
        "送水",
    ),
    "psychological": (
        "心理",
        "心理疏导",
        "心理支持",
        "心理辅导",
        "心理咨询",
        "情绪疏导",
        "谈心",
        "陪伴聊天",
        "精神慰藉",
        "心理关爱",
    ),
}

DISABILITY_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "visual": (
        "视力",
        "视力残疾",
        "视残",
        "盲",
        "低视力",
        "失明",
        "盲人",
        "眼",
        "视障",
        "视力障碍",
    ),
    "hearing": (
        "听力",
        "听力残疾",
        "听残",
        "聋",
        "耳聋",
        "听障",
        "听力障碍",
        "重听",
        "失聪",
        "聋人",
    ),
    "speech": (
        "言语",
        "言语残疾",
        "语言",
        "语言残疾",
        "言残",
        "哑",
        "失语",
        "言语障碍",
        "口吃",
        "构音障碍",
    ),
    "physical": (
        "肢体",
        "肢体残疾",
        "肢残",
        "肢体障碍",
        "截肢",
        "偏瘫",
        "截瘫",
        "脑瘫",
        "行动障碍",
        "肢",
    ),
    "intellectual": (
        "智力",
        "智力残疾",
        "智残",
        "智障",
        "智力障碍",
        "智力低下",
        "唐氏综合征",
        "发育迟缓",
        "智",
        "心智障碍",
    ),
    "mental": (
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
    ),
    "multiple": (
        "多重",
        "多重残疾",
        "多残",
        "综合",
        "多重障碍",
        "复合残疾",
        "两种以上残疾",
        "多类残疾",
        "多",
        "综合残疾",
    ),
}

# 重度 is grades 1 and 2 and is not a grade: a cell saying only 重度 is ambiguous.
GRADE_WORDS: dict[str, tuple[str, ...]] = {
    "1": ("一级", "1级", "1", "一", "壹", "壹级", "i级", "i", "一等", "极重度"),
    "2": ("二级", "2级", "2", "二", "贰", "贰级", "ii级", "ii", "二等", "两级"),
    "3": ("三级", "3级", "3", "三", "叁", "叁级", "iii级", "iii", "三等", "中度"),
    "4": ("四级", "4级", "4", "四", "肆", "肆级", "iv级", "iv", "四等", "轻度"),
}
GRADE_AMBIGUOUS = {"重度": ("1", "2"), "重": ("1", "2")}

RELATION_WORDS: dict[str, tuple[str, ...]] = {
    "self": ("户主", "本人", "自己", "本身", "户主本人", "自身", "主", "自", "户主(本人)", "本"),
    "spouse": ("配偶", "妻", "妻子", "夫", "丈夫", "老伴", "爱人", "夫妻", "老婆", "老公"),
    "child": (
        "子女",
        "儿子",
        "女儿",
        "子",
        "女",
        "长子",
        "次子",
        "长女",
        "次女",
        "独生子女",
        "养子",
        "养女",
    ),
    "parent": ("父母", "父亲", "母亲", "父", "母", "爸爸", "妈妈", "继父", "继母", "养父", "养母"),
    "grandchild": (
        "孙子女",
        "孙子",
        "孙女",
        "外孙",
        "外孙女",
        "孙",
        "曾孙",
        "孙辈",
        "外孙子",
        "孙媳",
    ),
    "grandparent": (
        "祖父母",
        "祖父",
        "祖母",
        "爷爷",
        "奶奶",
        "外祖父",
        "外祖母",
        "外公",
        "外婆",
        "姥姥",
    ),
    "sibling": ("兄弟姐妹", "兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹", "兄弟", "姐妹"),
    "child_in_law": (
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
    ),
    "other": ("其他", "其它", "亲属", "其他亲属", "保姆", "租户", "寄住", "亲戚", "朋友", "非亲属"),
}

YES_NO_WORDS: dict[str, tuple[str, ...]] = {
    "yes": ("是", "有", "y", "yes", "√", "✓", "✔", "1", "true", "对", "已", "需要", "同意"),
    "no": (
        "否",
        "无",
        "n",
        "no",
        "×",
        "✗",
        "0",
        "false",
        "不是",
        "没有",
        "不",
        "不需要",
        "不同意",
        "/",
    ),
}

CATEGORIES = Vocabulary("category", CATEGORY_WORDS)
NEEDS = Vocabulary("needs", NEED_WORDS)
DISABILITY_TYPES = Vocabulary("disability_type", DISABILITY_TYPE_WORDS)
GRADES = Vocabulary("disability_grade", GRADE_WORDS, contains=False)
RELATIONS = Vocabulary("relation", RELATION_WORDS, contains=False)
YES_NO = Vocabulary("yes_no", YES_NO_WORDS, contains=False)

FIELDS: dict[str, Vocabulary] = {
    v.field: v for v in (CATEGORIES, NEEDS, DISABILITY_TYPES, GRADES, RELATIONS, YES_NO)
}


def grade(value: str) -> int:
    """A disability grade 1–4; ``重度`` alone raises ``ambiguous`` (it is grade 1 or 2)."""
    key = normalise(value).replace("残疾", "")
    if key in GRADE_AMBIGUOUS:
        raise VocabularyError(
            "ambiguous", value=value, candidates=GRADE_AMBIGUOUS[key], words=(key,)
        )
    return int(GRADES.match(key))


@dataclass(frozen=True)
class Vocabularies:
    """The vocabulary of every field for one import: built-ins plus a deployment's words."""

    category: Vocabulary = CATEGORIES
    needs: Vocabulary = NEEDS
    disability_type: Vocabulary = DISABILITY_TYPES
    relation: Vocabulary = RELATIONS
    yes_no: Vocabulary = YES_NO

    @classmethod
    def with_extra(cls, extra: Iterable[tuple[str, str, str]]) -> Vocabularies:
        """``extra``: ``(field, word, code)`` rows of the deployment's own table."""
        by_field: dict[str, list[tuple[str, str]]] = {}
        for field_name, word, code in extra:
            by_field.setdefault(field_name, []).append((word, code))
        base = cls()
        return cls(
            **{
                name: getattr(base, name).extended(by_field.get(name, ()))
                for name in ("category", "needs", "disability_type", "relation", "yes_no")
            }
        )


# A footer line: who filled the sheet in, who checked it, their phone, a signature, a
# stamp, a date — written under the table, never a resident.
_FOOTER = re.compile(
    r"^(填报人|填表人|填报单位|填报日期|填表日期|审核人|审批人|制表人|统计人|负责人|"
    r"经办人|联系人|联系电话|签字|签名|盖章|(单位)?[(（]?盖章|日期[:：]|合计|总计|小计|"
    r"社区书记|社区负责人|网格长[:：]|说明[:：]|备注[:：]|注[:：])"
)


def is_footer(cells: Iterable[str]) -> bool:
    """Whether a row is a footer (or a total) rather than a resident: its first non-empty
    cell starts with a footer word, a cell asks for a stamp or a signature (``社区（盖章）``),
    or every non-empty cell is a footer word."""
    texts = [_SPACE.sub("", unicodedata.normalize("NFKC", c or "")) for c in cells]
    filled = [t for t in texts if t]
    if not filled:
        return False
    if _FOOTER.match(filled[0]):
        return True
    if any(mark in t for t in filled for mark in ("(盖章)", "(签字)", "(签名)")):
        return True
    return all(_FOOTER.match(t) or t.endswith(("签字", "签名")) for t in filled)
