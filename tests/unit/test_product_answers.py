"""Answers about shown products, from demo catalog rows."""

from __future__ import annotations

import pytest

from bot.catalog.model import load_demo_catalog
from bot.dialogue.product_answers import (
    answer_product_question, asks_about_size, asks_formula_stage, available_pieces, compare, general_size_advice,
    size_advice, stock_answer, waist_in_cm,
)
from bot.dialogue.references import product_seen_before, referenced_positions

CATALOG = load_demo_catalog()
SHOWN = [CATALOG.by_id(f"SKU1000{n}").to_dict() for n in range(1, 6)]


@pytest.mark.parametrize("text, positions", [
    ("第二个防水吗", [1]), ("第2款多少钱", [1]), ("3号怎么样", [2]), ("最后一个呢", [4]),
    ("这两款哪个好", [0, 1]), ("第一个和第三个比一下", [0, 2]), ("B款有42码吗", [1]),
    ("这几个都比较一下", [0, 1, 2, 3, 4]), ("有42号吗", []), ("这款防水吗", []), ("第九个", []),
])
def test_positions_the_customer_refers_to(text, positions):
    assert referenced_positions(text, SHOWN) == positions


def test_a_product_named_by_a_model_word_of_its_title():
    assert referenced_positions("pegasus那双怎么样", SHOWN) == [0]
    assert referenced_positions("/ask_product_info", SHOWN) == []  # "pro" inside "product" names nothing


def test_a_brands_product_of_a_kind_is_found_sold_out_or_not():
    cream = CATALOG.named("雅诗兰黛的面霜")
    assert [(p.brand, p.category) for p in cream] == [("雅诗兰黛", "面霜")]  # (sold out in the demo catalog)
    assert {p.brand for p in CATALOG.named("耐克跑鞋")} == {"耐克"}
    assert CATALOG.named("加拿大鹅那件女款") == [] and CATALOG.named("面霜") == []  # a brand and a kind, both


def test_a_question_is_answered_from_the_description_or_honestly_not():
    watch = next(p for p in CATALOG if p.category == "智能手表").to_dict()
    battery = answer_product_question(watch, "电池能用多久")
    assert "续航" in battery or "小时" in battery or "天" in battery
    shoe = SHOWN[0]
    assert "没有写" in answer_product_question(shoe, "保质期多久")


def test_a_price_question_is_answered_with_the_price():
    phone = next(p for p in CATALOG if p.category == "手机").to_dict()
    assert f"¥{float(phone['price']):g}" in answer_product_question(phone, "现在啥价")
    assert f"¥{float(phone['price']):g}" in answer_product_question(phone, "这个多少钱")


def test_comparison_names_both_and_gives_a_verdict():
    text = compare(SHOWN[:2])
    assert SHOWN[0]["title"][:10] in text and SHOWN[1]["title"][:10] in text
    assert "推荐" in text or "选" in text
    dearer, cheaper = sorted(SHOWN[:2], key=lambda row: -float(row["price"]))
    if dearer["price"] != cheaper["price"]:  # the gap between the two, said outright
        assert f"贵¥{float(dearer['price']) - float(cheaper['price']):g}" in text


def test_stock_reads_the_variant_and_offers_what_is_available():
    shoe = SHOWN[0]  # variant 白色/40 has 0 pairs in the demo catalog
    assert "缺货" in stock_answer(shoe, "白色", "40")
    assert "有货" in stock_answer(shoe, "黑色", "42")
    assert "没有" in stock_answer(shoe, "紫色", None)
    # a colour or size it does not come in: what it comes in, and which of those is in stock now
    purple, in_stock = stock_answer(shoe, "紫色", None), [c for c in shoe["colors"] if available_pieces(shoe, c) > 0]
    assert "现有颜色" in purple and ("都有现货" in purple or "、".join(in_stock) in purple)
    no_size = stock_answer(shoe, "黑色", "50")
    assert "没有50" in no_size and ("有货" in no_size or "现货" in no_size or "缺货" in no_size)
    assert available_pieces(shoe, "白色", "40") == 0 and available_pieces(shoe, "紫色") == 0
    assert available_pieces(shoe, "蓝色", "43") == CATALOG.by_id("SKU10001").variant_stock["蓝色/43"]
    assert available_pieces(shoe) == sum(CATALOG.by_id("SKU10001").variant_stock.values())


def test_size_advice_uses_height_weight_or_the_usual_shoe_size():
    shirt = next(p for p in CATALOG if p.category == "T恤").to_dict()
    assert "建议选L码" in size_advice({**shirt, "description": ""}, "我175 70公斤穿多大")
    shoe = SHOWN[0]
    assert "码" in size_advice(shoe, "我平时穿42，这双选多大")
    assert "大半码" in size_advice(shoe, "我脚有点宽 要不要买大半码")


def test_size_advice_from_the_usual_letter_size_follows_the_fit_note():
    shirt = next(p for p in CATALOG if p.category == "T恤").to_dict()
    sizes = {**shirt, "sizes": ["S", "M", "L", "XL"]}
    assert "建议选M码" in size_advice({**sizes, "description": "版型正常，按平时尺码选择。"}, "我平时穿M 这款选啥码")
    assert "建议选L码" in size_advice({**sizes, "description": "版型偏小，建议选大一码。"}, "一般穿m的")
    assert "建议选L码" in size_advice({**sizes, "description": "版型偏大，建议选小一码。"}, "平时都穿XL")
    # a fit note of the catalog ends its own sentence: never 。。
    for question in ("这款什么码合适", "平时穿M", "175 70kg"):
        assert "。。" not in size_advice({**sizes, "description": "版型正常，按平时尺码选择。"}, question)


@pytest.mark.parametrize("question, category, expected", [
    ("我身高165 体重110斤 连衣裙一般穿什么码", "连衣裙", "连衣裙一般选M码"),
    ("一米八 75公斤 卫衣穿多大", "卫衣", "卫衣一般选XL码"),
    ("耐克跑鞋偏码吗 我平时穿42", None, "平时穿的42码"),
    ("穿什么码", "卫衣", "告诉我身高体重"),
    ("衣服的话175 70公斤穿多大", "衣服", "衣服一般选L码"),
    ("我平时穿42 脚有点宽", None, "大半码（42.5码）"),
    ("你们家鞋码偏大还是偏小", "鞋", "按平时的鞋码选"),
])
def test_size_advice_for_a_kind_before_a_product_is_chosen(question, category, expected):
    assert expected in general_size_advice(question, category)


@pytest.mark.parametrize("question, about_size", [
    ("连衣裙一般穿什么码", True), ("我165 50kg", True), ("偏大吗", True), ("我平时穿42 脚有点宽", True),
    ("下个月去哈尔滨玩 怕冷 穿啥好", False), ("他整天打游戏", False),
])
def test_a_question_about_sizes(question, about_size):
    assert asks_about_size(question) == about_size


def test_a_comparison_of_product_cards_says_only_what_the_cards_carry():
    from bot.dialogue.product_answers import compare
    cards = [{"id": "a", "title": "飞鹤 星飞帆卓睿 婴幼儿配方奶粉 700g", "brand": "飞鹤", "price": 258},
             {"id": "b", "title": "君乐宝 乐铂 K2 婴幼儿配方奶粉 800g", "brand": "君乐宝", "price": 209}]
    text = compare(cards)
    assert "None" not in text and "评分" not in text and "¥209" in text and "看重价格选君乐宝" in text


def _shown(ids):
    return {"event": "slot", "name": "shown_products", "value": ids}


def _focus(product):
    return {"event": "slot", "name": "focus_product", "value": product}


@pytest.mark.parametrize("events, seen", [
    # 迪奥999有吗 (one card) → 小金条呢 (one card) → 俩哪个更显白: the earlier single card
    ([_shown(["A"]), {"event": "user"}, _shown(["B"]), _focus(None)], "A"),
    # several shown before, the customer asked about the second: that one
    ([_shown(["A", "C", "D"]), _focus("C"), {"event": "user"}, _shown(["B"]), _focus(None)], "C"),
    # several shown before, none asked about: no one product is meant
    ([_shown(["A", "C"]), {"event": "user"}, _shown(["B"])], ""),
    # a focus set after the screen's cards is about them, not about an earlier product
    ([_shown(["A", "C"]), _shown(["B"]), _focus("B")], ""),
    # nothing before, or nothing on the screen
    ([_shown(["B"])], ""), ([_focus("A")], ""),
    # an emptied screen in between is skipped
    ([_shown(["A"]), _shown([]), _shown(["B"])], "A"),
])
def test_the_product_looked_at_before_the_screen(events, seen):
    assert product_seen_before(events) == seen


def test_a_title_word_before_nage_picks_the_products_it_describes():
    from bot.dialogue.references import referenced_positions
    rows = [{"title": "索尼 WF-1000XM5 真无线降噪蓝牙耳机", "brand": "索尼"},
            {"title": "索尼 WH-1000XM5 头戴式无线降噪耳机", "brand": "索尼"}]
    assert referenced_positions("头戴那个多少钱", rows) == [1]
    assert referenced_positions("降噪那个多少钱", rows) == []  # both are: it picks none


def test_a_size_asked_of_a_product_without_sizes_is_no_size():
    phone = CATALOG.by_id("SKU10075").to_dict()  # 小米 14: 14 is its model, not a size
    answer = stock_answer(phone, "白色", "14")
    assert "尺码" not in answer and "14" not in answer.split("…")[-1]


def test_a_product_pointed_at_by_the_sex_it_is_made_for():
    coats = [{"title": "加拿大鹅 Langford 男士连帽派克大衣", "brand": "加拿大鹅"},
             {"title": "加拿大鹅 Crofton 女士轻量连帽羽绒服", "brand": "加拿大鹅"}]
    assert referenced_positions("女款那个有粉色M吗", coats) == [1]
    assert referenced_positions("男士的那件多少钱", coats) == [0]
    both = [{"title": "匡威 Chuck 70 男女同款", "brand": "匡威"}, {"title": "回力 小白鞋 男女同款", "brand": "回力"}]
    assert referenced_positions("女款那个有37吗", both) == []  # made for both: no one is meant


@pytest.mark.parametrize("text, position", [("最便宜那个质量靠谱吗", 1), ("贵的那款有白色吗", 2), ("便宜的那个多重", 1)])
def test_a_product_pointed_at_by_its_price(text, position):
    shown = [{"title": "甲", "price": 399}, {"title": "乙", "price": 199}, {"title": "丙", "price": 599}]
    assert referenced_positions(text, shown) == [position]


@pytest.mark.parametrize("question, stage", [
    ("娃刚满7个月 应该喝几段的", "2段"), ("宝宝一岁半喝哪段", "3段"), ("半岁宝宝喝几段", "2段"), ("宝宝三个多月", "1段"),
    ("宝宝十一个月了", "2段"), ("宝宝一岁两个月了 该换几段了", "3段"),
])
def test_a_formulas_stage_follows_the_babys_age(question, stage):
    formula = {"title": "飞鹤 超级飞帆 婴幼儿配方奶粉 700g", "sizes": ["1段", "2段", "3段"], "description": ""}
    assert asks_about_size("应该喝几段的")
    assert f"喝{stage}" in size_advice(formula, question)
    assert f"有{stage}" in size_advice(formula, question)
    assert f"喝{stage}" in general_size_advice(question, "奶粉")


@pytest.mark.parametrize("question, stage", [("奶粉的话 刚满月喝几段啊", "1段"), ("娃1岁2个月 还喝着2段 是不是该换了", "3段"),
                                             ("刚出生的宝宝喝几段", "1段")])
def test_a_stage_asked_with_the_age_in_other_words(question, stage):
    assert asks_formula_stage(question) and asks_about_size(question)
    assert f"喝{stage}" in general_size_advice(question, None)


@pytest.mark.parametrize("question", ["宝宝5个月 奶粉有吗", "2段的有货吗", "想换个牌子的奶粉", "宝宝1岁 3段的有吗",
                                      "宝宝1岁了 要换3段 推荐个进口的"])
def test_no_stage_asked_without_an_age_and_a_question(question):
    assert not asks_formula_stage(question)


@pytest.mark.parametrize("question, size", [("腰围两尺六 牛仔裤拍多大", "34码"), ("腰围2尺4 选几码", "31码"),
                                            ("我腰围76cm 裤子穿多大", "30码")])
def test_trousers_are_sized_by_the_waist_told(question, size):
    assert waist_in_cm(question) and asks_about_size(question)
    assert size in general_size_advice(question, "牛仔裤")


def test_trousers_for_the_body_told_get_a_letter_and_its_waist_sizes():
    assert "S码（腰围码一般26–27）" in general_size_advice("158 48kg 女生 高腰牛仔裤啥码", "牛仔裤")
    assert "腰围码" not in general_size_advice("163 105斤 连衣裙选S还是M", "连衣裙")


def test_a_formula_without_the_stage_for_the_age_says_which_it_has():
    formula = {"title": "某品牌 成长奶粉", "sizes": ["3段"], "description": ""}
    assert "没有2段，可选：3段" in size_advice(formula, "宝宝8个月喝几段")
    assert "告诉我宝宝多大" in size_advice(formula, "这个几段的好")


@pytest.mark.parametrize("question, about_size", [
    ("给我爸买块表 1500以内", False), ("预算180块 有推荐吗", False), ("我身高150 穿什么码", True), ("170cm 选哪个码", True),
])
def test_a_price_holds_no_height(question, about_size):
    assert asks_about_size(question) is about_size


def test_a_height_said_roughly_is_read():
    assert asks_about_size("身高170左右 羽绒服穿多大") and "L码" in general_size_advice("身高170左右 羽绒服穿多大", "羽绒服")
