"""Status vocabularies: stable English codes, Chinese and English labels, fixed colours.

This is the one table every page, legend, template and reader uses, so that a
colour means the same thing everywhere and a Chinese label is accepted wherever
a code is.

Examples
--------
>>> to_code("closure", "全封闭")
'sealed'
>>> label("resumption", "resumed", "zh")
'已复工'
>>> color("report", "missing")
'#9e9e9e'
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from geo.domain.text import Bilingual, Text, join


@dataclass(frozen=True)
class Term(Bilingual):
    code: str
    zh: str
    en: str
    color: str
    aliases: tuple[str, ...] = field(default=())


# Every colour is distinct across vocabularies: a colour never means two things.
VOCABULARIES: dict[str, tuple[Term, ...]] = {
    "closure": (
        Term("open", "未封闭", "Open", "#43a047", ("开放", "未封", "正常")),
        Term("controlled", "封闭管理", "Controlled", "#fb8c00", ("封闭", "管控", "半封闭")),
        Term("sealed", "全封闭", "Sealed", "#d32f2f", ("硬隔离", "全封", "封控")),
    ),
    "resumption": (
        Term("not_resumed", "未复工", "Not resumed", "#78909c", ("停工", "未开工")),
        Term("applied", "已申报", "Applied", "#ab47bc", ("承诺制", "申报", "已承诺")),
        Term("approved", "已核准", "Approved", "#4fc3f7", ("核准", "已审批")),
        Term("resumed", "已复工", "Resumed", "#1565c0", ("复工", "已开工")),
        Term("suspended", "停工整改", "Suspended", "#6d4c41", ("整改", "责令停工")),
    ),
    "supply_level": (
        Term("adequate", "充足", "Adequate", "#00897b"),
        Term("low", "偏紧", "Low", "#fdd835"),
        Term("critical", "告急", "Critical", "#e91e63", ("短缺", "紧缺")),
    ),
    # Markets, sales offices, agencies and parks: open, suspended by the epidemic order (楚雄: 暂停开放售楼部和
    # 经纪机构门店, 暂时关闭西山公园), or closed down.
    "opening": (
        Term("open", "正常开放", "Open", "#7cb342", ("开放", "正常营业", "营业", "恢复开放", "恢复营业")),
        Term("suspended", "暂停开放", "Suspended", "#ffb300", ("暂停营业", "暂停", "暂时关闭", "临时关闭", "暂停接待")),
        Term("closed", "关闭", "Closed", "#880e4f", ("关停", "停业", "歇业", "停业整顿", "已关闭")),
    ),
    # Water and sewage plants are not "opened": they run, run reduced (short of staff or chemicals), or stop.
    "operation": (
        Term("running", "正常运行", "Running", "#0097a7", ("运行", "正常", "正常生产", "正常供水")),
        Term("reduced", "减量运行", "Reduced output", "#ff7043", ("限产", "降负荷运行", "限量运行", "部分运行")),
        Term("stopped", "停运", "Stopped", "#311b92", ("停产", "停产检修", "检修", "暂停运行", "停机")),
    ),
    "report": (
        Term("reported", "已报告", "Reported", "#5c6bc0"),
        Term("missing", "未报告", "Not reported", "#9e9e9e", ("无数据", "漏报")),
    ),
    "item": (
        Term("masks", "口罩", "Masks", "#90a4ae", ("医用口罩",)),
        Term("thermometers", "体温枪", "Thermometers", "#90a4ae", ("测温枪", "体温计")),
        Term("disinfectant", "消毒液", "Disinfectant", "#90a4ae", ("消毒水", "84消毒液")),
        Term("suits", "防护服", "Protective suits", "#90a4ae"),
        Term("gloves", "手套", "Gloves", "#90a4ae", ("防护手套",)),
    ),
    # The loop of acting on the map (geo.domain.tasks): a problem's state, from handed out to signed off.
    "problem_state": (
        Term("handed_out", "待整改", "Handed out", "#f4511e", ("已交办", "交办", "未整改")),
        Term("in_progress", "整改中", "Being fixed", "#ffca28", ("正在整改",)),
        Term("rectified", "待复核", "Fixed, to re-check", "#26c6da", ("已整改", "整改完成")),
        Term("returned", "退回", "Sent back", "#b71c1c", ("已退回", "复核不通过", "退回整改")),
        Term("closed", "已销号", "Closed", "#2e7d32", ("销号", "已关闭", "复核通过")),
    ),
    "inspection_result": (
        Term("pass", "合格", "Pass", "#90a4ae", ("通过", "是", "√", "✓", "ok", "yes", "1")),
        Term("fail", "不合格", "Fail", "#90a4ae", ("未通过", "否", "×", "✗", "x", "no", "0")),
    ),
    "problem_category": (
        Term("gate", "出入口管控", "Gates", "#90a4ae", ("出入口", "门岗")),
        Term("registration", "登记排查", "Registration", "#90a4ae", ("登记", "排查", "实名制")),
        Term("temperature", "体温检测", "Temperature checks", "#90a4ae", ("测温", "体温")),
        Term("disinfection", "消毒消杀", "Disinfection", "#90a4ae", ("消毒", "消杀")),
        Term("duty", "人员值守", "People on duty", "#90a4ae", ("值守", "在岗", "口罩")),
        Term("supplies", "防疫物资", "Supplies", "#90a4ae", ("物资",)),
        Term("site_rules", "工地防控措施", "Site rules", "#90a4ae", ("七个必须", "五个严禁", "工地")),
        Term("other", "其他", "Other", "#90a4ae", ("其它",)),
    ),
    "unit_type": (
        Term("property", "物业公司", "Property company", "#90a4ae", ("物业", "物业服务企业")),
        Term("contractor", "施工单位", "Contractor", "#90a4ae", ("施工企业", "总包单位", "建设单位")),
        Term("street", "街道社区", "Street or community", "#90a4ae", ("街道", "社区", "乡镇")),
        Term("operator", "经营单位", "Operator", "#90a4ae", ("经营者", "市场方", "门店")),
        Term("other", "其他单位", "Other unit", "#90a4ae", ("其他", "其它")),
    ),
    "yes_no": (
        Term("yes", "是", "Yes", "#90a4ae", ("有", "已建立", "true", "1", "y")),
        Term("no", "否", "No", "#90a4ae", ("无", "未建立", "false", "0", "n")),
    ),
}

#: The class shown for a place with no report on the selected date.
MISSING = "missing"


def _fold(text: str) -> str:
    """Fold full-width characters and case so that 'ＳＥＡＬＥＤ ' matches 'sealed'."""
    return unicodedata.normalize("NFKC", str(text)).strip().lower()


def _aliases(terms: tuple[Term, ...]) -> dict[str, str]:
    """Every way of writing a term (code, labels, aliases), folded, to its code."""
    return {_fold(alias): term.code for term in terms for alias in (term.code, term.zh, term.en, *term.aliases)}


_LOOKUP: dict[str, dict[str, str]] = {name: _aliases(terms) for name, terms in VOCABULARIES.items()}


def add_vocabulary(name: str, terms: tuple[Term, ...]) -> None:
    """Make a new vocabulary known everywhere (a kind of place registered at run time brings its own).

    >>> add_vocabulary("demo_gate", (Term("shut", "关闭", "Shut", "#000001"),))
    >>> to_code("demo_gate", "关闭")
    'shut'
    >>> remove_vocabulary("demo_gate")
    """
    if name in VOCABULARIES:
        raise ValueError(f"there is a vocabulary {name!r} already")
    VOCABULARIES[name] = tuple(terms)
    _LOOKUP[name] = _aliases(VOCABULARIES[name])


def remove_vocabulary(name: str) -> None:
    """Forget a vocabulary added by :func:`add_vocabulary`."""
    VOCABULARIES.pop(name, None)
    _LOOKUP.pop(name, None)


def codes(vocabulary: str) -> list[str]:
    """The codes of a vocabulary, in their natural order (least to most severe)."""
    return [term.code for term in VOCABULARIES[vocabulary]]


def to_code(vocabulary: str, value: object) -> str | None:
    """Map a code, a Chinese or English label or an alias to its code; None if unknown."""
    if value is None:
        return None
    return _LOOKUP[vocabulary].get(_fold(value))


def term(vocabulary: str, code: str) -> Term:
    for candidate in VOCABULARIES[vocabulary]:
        if candidate.code == code:
            return candidate
    raise KeyError(f"{code!r} is not a {vocabulary} code")


def label(vocabulary: str, code: str, lang: str = "zh") -> str:
    return term(vocabulary, code).label(lang)


def color(vocabulary: str, code: str) -> str:
    return term(vocabulary, code).color


def accepted(vocabulary: str) -> Text:
    """A short list of accepted values for error messages, in both languages.

    >>> accepted("closure")
    Text(zh='未封闭/封闭管理/全封闭', en='Open/Controlled/Sealed')
    """
    return join((term.text for term in VOCABULARIES[vocabulary]), Text("/", "/"))


def accepted_values(vocabulary: str, lang: str = "zh") -> str:
    """A short list of accepted values for error messages, for example '未封闭/封闭管理/全封闭'."""
    return accepted(vocabulary).pick(lang)
