"""Answers about products from catalog data (商品问答): properties, comparison, stock and size.

Products arrive as catalog rows (``Product.to_dict()``), the way the recommender's
``GET /products`` returns them.  Every answer is built from the row: nothing is
claimed that the catalog does not say.
"""

from __future__ import annotations

import re
from typing import Mapping, Optional, Sequence

from bot.catalog.model import variant_key
from bot.language.ages import baby_age_in_months
from bot.language.colors import color_family

Row = Mapping[str, object]

# Question words → words to look for in tags and description sentences.
_ASPECTS: dict[str, tuple[str, ...]] = {
    "防水": ("防水", "IP68", "IP67", "泼水", "游泳"),
    "续航": ("续航", "电池", "小时", "充电", "快充", "mAh"),
    "电池": ("续航", "电池", "小时", "mAh", "快充"),
    "充电": ("充电", "快充", "W", "无线充"),
    "材质": ("材质", "面料", "棉", "网眼", "皮", "针织", "涤纶", "鞋面", "羊毛", "羽绒"),
    "面料": ("面料", "棉", "材质", "涤纶", "针织"),
    "保质期": ("保质期", "生产日期", "月", "保存"),
    "重": ("重", "克", "g", "kg", "轻"),
    "尺码": ("码", "偏大", "偏小", "正常"),
    "偏大": ("偏大", "偏小", "码"), "偏小": ("偏大", "偏小", "码"),
    "适合": ("适合", "推荐", "适用"),
    "屏幕": ("屏", "英寸", "刷新", "OLED"), "拍照": ("摄", "像素", "影像", "镜头"),
    "降噪": ("降噪",), "保暖": ("保暖", "充绒", "羽绒", "含绒"), "含绒量": ("含绒", "充绒", "绒"),
    "成分": ("成分", "氨基酸", "烟酰胺", "配方", "含"), "敏感": ("敏感", "温和", "刺激"),
    "味道": ("口味", "味", "香"), "口味": ("口味", "味"), "年龄": ("岁", "月龄", "段"),
    "内存": ("GB", "内存", "存储"), "芯片": ("芯片", "处理器", "骁龙", "天玑", "M2", "M3", "A1"),
    "透气": ("透气", "网眼"), "缓震": ("缓震", "回弹", "气垫", "泡棉"),
}
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
_STOP_CHARACTERS = set("这款个的吗呢吧啊呀么是有多少怎样能不会还和跟与了第一二三四五那它我你")


def describe_briefly(row: Row) -> str:
    tags = "、".join(list(row.get("tags") or [])[:3])
    return f"{row['title']}，¥{_price(row)}{'，主打' + tags if tags else ''}"


# 现在啥价 · 多少钱 · 怎么卖: the price is asked, which the row always knows.
_ASKS_PRICE = re.compile(r"多少钱|啥价|什么价|价格|价钱|多钱|几块钱|卖多少|怎么卖")


def answer_product_question(row: Row, question: str) -> str:
    """The catalog sentences that answer ``question`` about ``row``, or what the catalog does say."""
    if _ASKS_PRICE.search(question):
        return f"{describe_briefly(row)}。"
    keywords = [word for aspect, words in _ASPECTS.items() if aspect in question for word in words]
    sentences = [s.strip() for s in _SENTENCE_END.split(str(row.get("description", ""))) if s.strip()]
    tags = [str(tag) for tag in row.get("tags") or []]
    name = _short_name(row)
    if keywords:
        matching_tags = [tag for tag in tags if any(k.lower() in tag.lower() for k in keywords)]
        matching = [s for s in sentences if any(k.lower() in s.lower() for k in keywords)]
        if matching:
            return f"{name}：{''.join(matching[:2])}"
        if matching_tags:
            return f"{name}的卖点里有“{'、'.join(matching_tags)}”。"
        return (f"{name}的商品资料里没有写这一点，为了不误导您，我不乱说。"
                f"需要的话可以说“转人工”，让客服帮您确认。")
    # No known aspect: pick the sentence that shares the most characters with the question.
    content = {ch for ch in question if not ch.isspace() and ch not in _STOP_CHARACTERS}
    scored = sorted(sentences, key=lambda s: -len(content & set(s)))
    if scored and len(content & set(scored[0])) >= 2:
        return f"{name}：{scored[0]}"
    return f"{describe_briefly(row)}。{sentences[0] if sentences else ''}"


def compare(rows: Sequence[Row]) -> str:
    """A short comparison on price, rating, sales and features, and which suits whom."""
    lines = []
    for number, row in enumerate(rows, start=1):
        # rows read from product cards carry no rating, sales or tags: say only what is known
        facts = [f"¥{_price(row)}"]
        if row.get("rating") is not None:
            facts.append(f"评分{row.get('rating')}")
        if row.get("sales") is not None:
            facts.append(f"已售{row.get('sales')}件")
        if row.get("tags"):
            facts.append("主打" + "、".join(list(row.get("tags") or [])[:3]))
        lines.append(f"{number}. {_short_name(row)}：{'，'.join(facts)}")
    cheapest = min(rows, key=lambda r: float(r["price"]))  # type: ignore[arg-type]
    best_rated = max(rows, key=lambda r: (float(r.get("rating") or 0), int(r.get("sales") or 0)))  # type: ignore[arg-type]
    if best_rated.get("rating") is None:
        verdict = f"看重价格选{_short_name(cheapest)}；想了解哪款的细节，可以接着问我。"
    elif cheapest is best_rated:
        verdict = f"{_short_name(cheapest)}又便宜评分又高，更推荐它。"
    else:
        verdict = (f"看重价格选{_short_name(cheapest)}；看重口碑选{_short_name(best_rated)}"
                   f"（评分{best_rated.get('rating')}）。")
    if len(rows) == 2 and float(rows[0]["price"]) != float(rows[1]["price"]):  # type: ignore[arg-type]
        # 苹果那个贵多少啊: the gap said outright
        dearer = max(rows, key=lambda r: float(r["price"]))  # type: ignore[arg-type]
        gap = abs(float(rows[0]["price"]) - float(rows[1]["price"]))  # type: ignore[arg-type]
        verdict = f"{_short_name(dearer)}贵¥{gap:g}。" + verdict
    return "帮您对比一下：\n" + "\n".join(lines) + "\n" + verdict


def available_pieces(row: Row, color: Optional[str] = None, size: Optional[str] = None) -> int:
    """Pieces in stock in this colour family and size (0 for a colour or size it does not come in)."""
    colors = [str(c) for c in row.get("colors") or []]
    sizes = [str(s) for s in row.get("sizes") or []]
    variant_stock: Mapping[str, int] = row.get("variant_stock") or {}  # type: ignore[assignment]
    wanted_colors = [c for c in colors if color_family(c) == color] if color else colors
    if (color and not wanted_colors) or (size and size not in sizes):
        return 0
    if not variant_stock:
        return int(row.get("stock") or 0)
    size_options = [size] if size else (sizes or [None])
    return sum(int(variant_stock.get(variant_key(c, s), 0)) for c in wanted_colors for s in size_options)


def _in_stock_note(row: Row, in_stock: Sequence[str], offered: Sequence[str]) -> str:
    """What of the offered colours or sizes is in stock (有货) now: the customer asked about stock."""
    if not offered:
        return "目前有货。" if available_pieces(row) > 0 else "目前暂时缺货。"
    if not in_stock:
        return "目前都暂时缺货。"
    return "都有现货。" if len(in_stock) == len(offered) else f"目前有货的：{'、'.join(in_stock)}。"


def variant_label(color: Optional[str], size: Optional[str]) -> str:
    """黑色42码 · 米色M: the colour and size asked, as the customer reads them ('' for neither)."""
    return f"{color or ''}{size or ''}{'码' if size and size.isdigit() else ''}"


def stock_answer(row: Row, color: Optional[str], size: Optional[str]) -> str:
    """Whether the product is available in this colour family and size, and what is instead."""
    name = _short_name(row)
    colors = [str(c) for c in row.get("colors") or []]
    sizes = [str(s) for s in row.get("sizes") or []]
    variant_stock: Mapping[str, int] = row.get("variant_stock") or {}  # type: ignore[assignment]
    if color:
        wanted_colors = [c for c in colors if color_family(c) == color]
        if not wanted_colors:
            in_stock = [c for c in colors if available_pieces(row, color_family(c)) > 0]
            return f"{name}没有{color}，现有颜色：{'、'.join(colors) or '单色'}。{_in_stock_note(row, in_stock, colors)}"
    else:
        wanted_colors = colors
    if size and not sizes:
        size = None  # 小米14有白色吗: a product without sizes has none to ask about (14 is its model)
    if size and size not in sizes:
        in_stock = [s for s in sizes if available_pieces(row, color, s) > 0]
        return f"{name}没有{size}这个尺码，可选：{'、'.join(sizes)}。{_in_stock_note(row, in_stock, sizes)}"
    label = variant_label(color, size)

    def count(c: str, s: Optional[str]) -> int:
        return int(variant_stock.get(variant_key(c, s), 0))

    available = available_pieces(row, color, size)
    if available > 0:
        hint = "库存不多，喜欢的话尽早下单哦。" if available <= 5 else "现货充足，下单后48小时内发货。"
        return f"{name}{label}有货（{available}件）。{hint}"
    others = []
    if variant_stock and size:
        others = [s for s in sizes if any(count(c, s) > 0 for c in wanted_colors)]
    elif variant_stock and color:
        others = [c for c in colors if any(count(c, s) > 0 for s in (sizes or [None]))]
    tail = f"目前有货的：{'、'.join(others)}。" if others else ""
    return f"{name}{label}暂时缺货。{tail}可以说“到货提醒我”，补货后第一时间通知您。"


def exchange_stock_note(row: Row, color: Optional[str], size: Optional[str]) -> str:
    """换黑色XL 有吗, of an exchange passed to a person: whether the colour or size asked is in stock now."""
    label = variant_label(color, size)
    # (what is done with the exchange is the ticket's, told by the person who takes it)
    if available_pieces(row, color, size) > 0:
        return f"{_short_name(row)}{label}目前有货。"
    return f"{_short_name(row)}{label}目前暂时缺货。"


# (1500以内 · 180块 hold no height; 身高170左右 does)
_HEIGHT = re.compile(r"(?<![0-9.])(1[4-9][0-9]|2[01][0-9])(?![0-9.])\s*(?:cm|厘米|公分)?(?!\s*(?:块|元))")
_HEIGHT_METRES = re.compile(r"1\s*(?:米|m)\s*([5-9])([0-9])?")
_WEIGHT = re.compile(r"([3-9][0-9]|1[0-4][0-9])\s*(公斤|kg|千克)|([6-9][0-9]|[12][0-9]{2})\s*斤")
_USUAL_SHOE = re.compile(r"(?:平时|一般|通常|平常)(?:穿)?\s*([3-4][0-9](?:\.5)?)")
# 脚有点宽 · 脚背高 · 脚胖: a foot that wants half a size more than usual
_WIDE_FOOT = re.compile(r"脚[^，。,.]{0,3}(?:宽|肥|胖)|脚背(?:比较|有点|偏)?高|宽脚")
_CLOTHING_BY_HEIGHT = ((160, "S"), (168, "M"), (175, "L"), (182, "XL"), (999, "XXL"))
_CLOTHING_BY_WEIGHT = ((50, "S"), (60, "M"), (70, "L"), (80, "XL"), (999, "XXL"))
_LETTERS = ("S", "M", "L", "XL", "XXL")
# 平时穿M · 一般穿XL的: the letter size worn usually (a following letter would make it another size)
_USUAL_LETTER = re.compile(r"(?:平时|一般|通常|平常)(?:都)?(?:穿)?\s*(XXL|XL|S|M|L)(?![A-Z])")


def size_advice(row: Row, question: str) -> str:
    """A size suggestion from height/weight or the usual shoe size, using the product's fit notes."""
    name = _short_name(row)
    sizes = [str(s) for s in row.get("sizes") or []]
    if not sizes:
        return f"{name}不分尺码，直接下单就行。"
    if any(size.endswith("段") for size in sizes):  # infant formula: the stage (段) by the baby's age
        return formula_stage_advice(question, name, sizes)
    description = str(row.get("description", ""))
    fit = _fit_note(description)
    usual = _USUAL_SHOE.search(question)
    height, weight = _height(question), _weight(question)
    if any(s.replace(".5", "").isdigit() and 34 <= float(s) <= 48 for s in sizes):  # shoes
        if usual:
            base = float(usual.group(1))
            shift = 0.5 if "大半码" in fit or "偏小" in fit else (-0.5 if "偏大" in fit else 0)
            wide = bool(_WIDE_FOOT.search(question))
            suggested = _nearest(sizes, base + shift + (0.5 if wide else 0))
            why = "，脚偏宽再放大半码" if wide else ""
            return f"{name}{fit or '尺码正常。'}您平时穿{usual.group(1)}{why}，建议选{suggested}码。"
        wide = "脚偏宽的话建议比平时的鞋码大半码；" if _WIDE_FOOT.search(question) else ""
        return f"{name}{fit or '尺码正常，按平时的鞋码选就行。'}{wide}告诉我您平时穿多大码，我帮您算。"
    if all(s in _LETTERS for s in sizes):
        usual_letter = _USUAL_LETTER.search(question.upper())
        if usual_letter and height is None and weight is None:
            base = usual_letter.group(1)
            shift = 1 if "偏小" in fit else (-1 if "偏大" in fit else 0)
            choice = _LETTERS[min(max(_LETTERS.index(base) + shift, 0), len(_LETTERS) - 1)]
            choice = choice if choice in sizes else base
            return f"{name}{fit or '版型正常。'}您平时穿{base}，建议选{choice}码。"
        if height is None and weight is None:
            return f"{name}{fit or '版型正常。'}告诉我身高体重（比如175cm 70kg），我帮您推荐尺码。"
        choice = _clothing_size(height, weight)
        if "偏小" in fit and choice != "XXL":
            choice = _LETTERS[_LETTERS.index(choice) + 1]
        if choice not in sizes:
            choice = sizes[-1]
        return f"{_said_body(height, weight)}，{name}建议选{choice}码。{fit}".rstrip()
    return f"{name}可选尺码：{'、'.join(sizes)}。{fit}".rstrip()


_ABOUT_SIZE = re.compile(r"码|尺码|尺寸|多大|大小|偏大|偏小|size|几段|哪段|哪一段|什么段|啥段", re.IGNORECASE)


def asks_about_size(question: str) -> bool:
    """Whether the question is about sizes at all (穿啥好 asks what to wear, not which size); a formula's stage
    (几段) is its size."""
    return bool(_ABOUT_SIZE.search(question) or _USUAL_SHOE.search(question) or _height(question) or _weight(question)
                or waist_in_cm(question) or asks_formula_stage(question))


# Infant formula stages (奶粉分段) by the baby's age in months: 1段 0–6个月 · 2段 6–12个月 · 3段 1–3岁 · 4段 3岁以上.
_STAGES = ((6, "1段", "0–6个月"), (12, "2段", "6–12个月"), (36, "3段", "1–3岁"), (999, "4段", "3岁以上"))
# A formula's stage asked for a baby's age (该喝几段 · 还喝着2段 是不是该换了 · 3段能喝了吗; 3段的有吗 asks for stock).
_STAGE_ASKED = re.compile(r"几段|哪段|哪一段|什么段|啥段|该换(?:了|段)?|换段|[1-4一二三四]段[^，。,.\s]{0,3}(?:能喝|可以喝)")


def asks_formula_stage(text: str) -> bool:
    """Whether a formula's stage is asked for with the baby's age told: 宝宝5个月了 该喝几段 · 娃1岁2个月 还喝着2段
    是不是该换了 (a stage question, not an exchange of an order)."""
    return baby_age_in_months(text) is not None and "段" in text and bool(_STAGE_ASKED.search(text))


# 腰围两尺六 · 腰围2尺4 · 腰围80cm: a waist told, in 市尺 (33.3 cm each) or centimetres.
_WAIST_CHI = re.compile(r"腰围?\s*([两二一]|[1-3])\s*尺\s*([0-9一二三四五六七八九])?")
_WAIST_CM = re.compile(r"腰围?\s*([5-9][0-9]|1[0-2][0-9])\s*(?:cm|厘米|公分)", re.IGNORECASE)
_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def waist_in_cm(text: str) -> Optional[float]:
    """The waist said (腰围两尺六 → 86.7), in centimetres; None when none is."""
    chi = _WAIST_CHI.search(text)
    if chi:
        whole = int(chi.group(1)) if chi.group(1).isdigit() else _DIGITS[chi.group(1)]
        tenths = (int(chi.group(2)) if chi.group(2).isdigit() else _DIGITS[chi.group(2)]) if chi.group(2) else 0
        return round((whole + tenths / 10) * 100 / 3, 1)
    cm = _WAIST_CM.search(text)
    return float(cm.group(1)) if cm else None


def formula_stage_advice(question: str, name: str = "", stages: Sequence[str] = ()) -> str:
    """Which stage of a formula (几段) for the baby's age said, and whether ``name`` (the product) has it."""
    table = " · ".join(f"{stage} {ages}" for _, stage, ages in _STAGES[:3])
    months = baby_age_in_months(question)
    if months is None:
        return f"奶粉不分尺码，按宝宝月龄选段：{table}。告诉我宝宝多大，我帮您选。"
    stage, ages = next((stage, ages) for limit, stage, ages in _STAGES if months < limit)
    years, rest = divmod(int(months), 12)
    said = f"{months:g}个月" if months < 12 else f"{years}岁" + ("半" if rest == 6 else f"{rest}个月" if rest else "")
    answer = f"奶粉不分尺码，按月龄选段：宝宝{said}，喝{stage}（{ages}）。"
    if name and stages:
        answer += f"{name}有{stage}。" if stage in stages else f"{name}没有{stage}，可选：{'、'.join(stages)}。"
    return answer


def general_size_advice(question: str, category: Optional[str]) -> str:
    """Advice for a kind of product before one is chosen (我身高165 体重110斤 连衣裙一般穿什么码)."""
    kind = category or "衣服鞋子"
    usual = _USUAL_SHOE.search(question)
    height, weight = _height(question), _weight(question)
    if usual:
        base = usual.group(1)
        wide = f"脚偏宽的话建议选大半码（{float(base) + 0.5:g}码），或者挑宽楦的款；" if _WIDE_FOOT.search(question) else ""
        return (f"一般按您平时穿的{base}码选就行；{wide}不同款式会偏大或偏小，"
                f"看中哪一款告诉我，我按那一款的版型帮您确认尺码。")
    waist = waist_in_cm(question)
    if waist and (category is None or "裤" in kind):
        # jeans are sized by the waist in inches (腰围两尺六 ≈ 87 cm ≈ 34)
        return (f"腰围约{waist:g}厘米，{'牛仔裤' if category is None else kind}一般选{round(waist / 2.54)}码"
                f"（码数就是腰围的英寸数）。喜欢宽松或者面料没弹力可以大一码，看中哪一款告诉我，我按那一款帮您确认。")
    if height or weight:
        letter = _clothing_size(height, weight)
        waist_sizes = f"（腰围码一般{_JEANS_BY_LETTER[letter]}）" if "裤" in kind else ""
        return (f"{_said_body(height, weight)}，{kind}一般选{letter}码{waist_sizes}。"
                f"每款版型不一样，看中哪一款告诉我，我按那一款的尺码表再帮您确认。")
    if "奶粉" in kind or asks_formula_stage(question) or (_ABOUT_SIZE.search(question) and "段" in question):
        return formula_stage_advice(question)
    if "鞋" in kind and kind != "衣服鞋子":  # 你们家鞋码偏大还是偏小: shoes go by the usual shoe size
        return (f"{kind}大多按平时的鞋码选就行，偏大或偏小的款式商品页会写明。"
                f"告诉我您平时穿多大码，看中哪一款我再按它的版型帮您确认。")
    return f"{kind}的尺码要看具体款式。告诉我身高体重（比如165cm 50kg）或平时穿的码，我帮您推荐。"


# Letter sizes of trousers as waist sizes (码数 in inches), as size charts of the demo shop's jeans read.
_JEANS_BY_LETTER = {"XS": "25–26", "S": "26–27", "M": "28–29", "L": "30–31", "XL": "32–33", "XXL": "34–36"}


def _clothing_size(height: Optional[int], weight: Optional[float]) -> str:
    """S–XXL by height and weight, the larger of the two."""
    by_height = _lookup(_CLOTHING_BY_HEIGHT, height) if height else None
    by_weight = _lookup(_CLOTHING_BY_WEIGHT, weight) if weight else None
    return max(filter(None, (by_height, by_weight)), key=_LETTERS.index)


def _said_body(height: Optional[int], weight: Optional[float]) -> str:
    return "，".join(filter(None, (f"身高{height}cm" if height else "", f"体重{weight:g}kg" if weight else "")))


def _fit_note(description: str) -> str:
    for sentence in _SENTENCE_END.split(description):
        if any(word in sentence for word in ("偏大", "偏小", "大半码", "小半码", "尺码正常", "鞋码正常", "版型")):
            return sentence.strip().rstrip("。；;") + "。"
    return ""


def _height(text: str) -> Optional[int]:
    metres = _HEIGHT_METRES.search(text)
    if metres:
        return 100 + int(metres.group(1)) * 10 + int(metres.group(2) or 0)
    match = _HEIGHT.search(text)
    return int(match.group(1)) if match else None


def _weight(text: str) -> Optional[float]:
    match = _WEIGHT.search(text)
    if not match:
        return None
    return float(match.group(1)) if match.group(1) else float(match.group(3)) / 2


def _lookup(table, value) -> str:
    return next(label for limit, label in table if value <= limit)  # 175 70kg is L (175/92A), as size charts read


def _nearest(sizes: Sequence[str], target: float) -> str:
    numeric = [s for s in sizes if s.replace(".5", "").isdigit()]
    return min(numeric, key=lambda s: abs(float(s) - target)) if numeric else sizes[0]


def _short_name(row: Row) -> str:
    title = str(row.get("title", ""))
    return title if len(title) <= 18 else title[:18] + "…"


def _price(row: Row) -> str:
    return f"{float(row['price']):g}"  # type: ignore[arg-type]
