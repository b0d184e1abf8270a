"""Filters, relaxation, personalisation and reasons, on the demo catalog without HTTP."""

from __future__ import annotations

import functools
from dataclasses import replace

import pytest
from hypothesis import given, settings, strategies as st

from bot.catalog.model import load_brands, load_demo_catalog, load_domestic_brands, title_names
from bot.catalog.vocabulary import made_in_china_wanted
from bot.language.ages import suits_from_months
from bot.language.colors import color_family
from bot.dialogue.named_products import names_a_model
from bot.recommender.index import CatalogIndex
from bot.recommender.query import (RequestError, brands_of_another_origin, categories_in_text, narrowed_categories,
                                   price_wish, resolve_query)
from bot.recommender.ranking import rank, relaxations, satisfies
from bot.recommender.reasons import reason_for
from bot.store.customer_activity import CustomerProfile
from tests.support.hashed_embeddings import hashed_embed


@functools.lru_cache(maxsize=1)
def demo_index() -> CatalogIndex:
    return CatalogIndex.build(load_demo_catalog(), hashed_embed, "hashed")


def query(**conditions):
    text = conditions.pop("text", "")
    return resolve_query({"customer_id": "c1", "text": text, "conditions": conditions, **conditions.pop("extra", {})},
                         demo_index().catalog)


CATEGORY_WORDS = ["跑步鞋", "运动鞋", "耳机", "电脑", "护肤品", "裙子", "手机", "口红", "零食", "礼物", "T恤", "羽绒服"]
BRANDS = ["耐克", "Nike", "adidas", "阿迪", "华为", "苹果", "iPhone", "兰蔻", "小米", "李宁", None]
COLORS = ["黑色", "白的", "红色", "藏青", "粉", "银色", "蓝色", None]
SIZES = ["42码", "40", "M", "XL号", "36", "1段", "28", None]
BUDGETS = ["三百以内", "500左右", "200到400", "1k以下", "两千多", "一百五", "不超过八百", "1000以上", None]


@settings(max_examples=300, deadline=None)
@given(category=st.sampled_from(CATEGORY_WORDS), brand=st.sampled_from(BRANDS), color=st.sampled_from(COLORS),
       size=st.sampled_from(SIZES), budget=st.sampled_from(BUDGETS), limit=st.integers(1, 10))
def test_every_product_shown_meets_every_condition_unless_the_result_says_it_relaxed(
        category, brand, color, size, budget, limit):
    conditions = {"product_category": category, "brand": brand, "color": color, "size": size, "budget": budget}
    q = query(**{k: v for k, v in conditions.items() if v}, extra={"limit": limit})
    result = rank(demo_index(), q, None, CustomerProfile())
    assert len(result.items) <= limit
    if result.widened:  # 电脑 → 平板电脑: the word's wider kinds, searched before anything is loosened
        assert result.relaxed == () and set(result.widened) <= set(q.wider_categories)
        q = replace(q, categories=q.categories + result.widened)
    for item in result.items:
        assert item.product.category in q.categories  # the category is never relaxed
        assert satisfies(item.product, q, result.relaxed)
        # check the conditions again from first principles, not through satisfies()
        if q.brand and "brand" not in result.relaxed:
            assert item.product.brand == q.brand
        if q.budget and "budget" not in result.relaxed:
            assert q.budget.contains(item.product.price)
        if q.color and "color" not in result.relaxed:
            assert q.color in {color_family(c) for c in item.product.colors}
        if q.size and "size" not in result.relaxed:
            assert q.size in item.product.sizes
        assert item.product.stock > 0
    if result.matched:
        assert result.relaxed == ()


def test_aliases_and_loose_category_words_reach_the_catalog():
    q = query(product_category="运动鞋", brand="Nike", color="白的", size="42码")
    assert q.brand == "耐克" and set(q.categories) == {"跑步鞋", "篮球鞋", "休闲鞋"}
    result = rank(demo_index(), q, None, CustomerProfile())
    assert result.items and result.relaxed == ()
    assert all(item.product.brand == "耐克" and item.product.in_stock("白色", "42") for item in result.items)


def test_nothing_in_budget_relaxes_the_budget_and_shows_the_closest_prices_first():
    q = query(product_category="笔记本电脑", budget="一百块以内")
    result = rank(demo_index(), q, None, CustomerProfile())
    assert result.relaxed == ("budget",) and result.matched == 0
    prices = [item.product.price for item in result.items]
    cheapest = sorted(p.price for p in demo_index().catalog if p.category == "笔记本电脑")[: len(prices)]
    assert prices == cheapest


def test_a_little_above_reaches_a_third_over_before_the_budget_is_loosened():
    q = query(product_category="跑步鞋", budget="三百出头")
    assert not any(300 <= p.price <= 360 and p.stock for p in demo_index().catalog if p.category == "跑步鞋")
    result = rank(demo_index(), q, None, CustomerProfile())
    assert result.relaxed == () and result.items
    assert all(300 <= item.product.price <= 400 for item in result.items)
    assert (result.budget_reached.low, result.budget_reached.high) == (300, 400)  # what the cards' reasons say
    shown = rank(demo_index(), query(product_category="跑步鞋", budget="四百出头"), None, CustomerProfile())
    assert all(400 <= item.product.price <= 480 for item in shown.items)  # the range itself, when it holds any
    assert shown.budget_reached is None


@pytest.mark.parametrize("budget, ceiling", [("一千五六", 1600), ("小两千", 2000)])
def test_a_spoken_range_with_nothing_in_it_reaches_down_under_its_ceiling_before_the_budget_is_loosened(
        budget, ceiling):
    q = query(product_category="手机" if ceiling == 1600 else "智能手表", budget=budget)
    result = rank(demo_index(), q, None, CustomerProfile())
    assert result.relaxed == () and result.items
    assert all(item.product.price <= ceiling for item in result.items)
    assert (result.budget_reached.low, result.budget_reached.high) == (None, ceiling)


def test_a_computer_nothing_of_the_laptops_fits_is_searched_among_tablets_before_the_budget_is_loosened():
    laptops = sorted(p.price for p in demo_index().catalog if p.category == "笔记本电脑" and p.stock)
    tablets = sorted(p.price for p in demo_index().catalog if p.category == "平板电脑" and p.stock)
    assert tablets[0] < laptops[0]  # the demo catalog has tablets cheaper than every laptop
    budget = f"{tablets[0]}到{laptops[0] - 1}"
    result = rank(demo_index(), query(product_category="电脑", budget=budget), None, CustomerProfile())
    assert result.widened == ("平板电脑",) and result.relaxed == () and result.matched
    assert result.items and all(item.product.category == "平板电脑" and tablets[0] <= item.product.price < laptops[0]
                                for item in result.items)
    # laptops in budget are all 电脑 means, and a laptop's own name never means tablets
    assert rank(demo_index(), query(product_category="电脑", budget=f"{laptops[0]}左右"), None,
                CustomerProfile()).widened == ()
    own = rank(demo_index(), query(product_category="笔记本电脑", budget=budget), None, CustomerProfile())
    assert own.widened == () and own.relaxed == ("budget",)
    assert all(item.product.category == "笔记本电脑" for item in own.items)


def test_relaxations_loosen_fewest_conditions_first():
    assert list(relaxations(["budget", "size"]))[:2] == [("size",), ("budget",)]
    assert list(relaxations(["brand", "color", "size", "budget"]))[-1] == ("size", "color", "budget", "brand")


def test_conditions_accepted_loosened_come_first_and_the_newest_last():
    # 要黑色 after cards that loosened the brand: the brand again, before the budget
    assert list(relaxations(["budget", "brand", "color"], newest=["color"], loosen_first=["brand"]))[:4] == [
        ("brand",), ("budget",), ("brand", "budget"), ("color",)]
    # 便宜点 moved the budget: loosened before the colour and size said before it
    assert list(relaxations(["budget", "color", "size"], newest=["budget"], loosen_first=["budget"]))[0] == ("budget",)


def test_a_watch_in_black_under_500_after_the_brand_was_loosened():
    q = query(product_category="智能手表", brand="华为", budget="500以内", color="黑色")
    assert rank(demo_index(), q, None, CustomerProfile()).relaxed == ("budget",)  # a ¥1488 Huawei watch
    accepted = rank(demo_index(), replace(q, newest=("color",), loosen_first=("brand",)), None, CustomerProfile())
    assert accepted.relaxed == ("brand",)
    assert accepted.items and all(item.product.price <= 500 and item.product.category == "智能手表"
                                  for item in accepted.items)


def test_history_moves_the_customers_brand_up():
    q = query(product_category="跑步鞋")
    plain = [item.product.id for item in rank(demo_index(), q, None, CustomerProfile()).items]
    fan = CustomerProfile(categories={"跑步鞋": 5.0}, brands={"亚瑟士": 8.0}, price_level=800.0)
    personal = rank(demo_index(), q, None, fan).items
    assert personal[0].product.brand == "亚瑟士"
    assert [item.product.id for item in personal] != plain


def test_a_durable_product_already_bought_is_not_pushed_again_but_a_consumable_is():
    shoes = rank(demo_index(), query(product_category="跑步鞋"), None, CustomerProfile()).items
    bought_shoe = shoes[0].product.id
    after = rank(demo_index(), query(product_category="跑步鞋"), None, CustomerProfile(bought=frozenset({bought_shoe})))
    assert bought_shoe not in [item.product.id for item in after.items]

    coffee = [p for p in demo_index().catalog if p.category == "咖啡"][-1]
    profile = CustomerProfile(categories={"咖啡": 3.0}, bought=frozenset({coffee.id}))
    items = rank(demo_index(), query(product_category="咖啡"), None, profile).items
    assert items[0].product.id == coffee.id
    assert "回购" in reason_for(items[0].product, query(product_category="咖啡"), profile, (), items[0].affinity)


def test_reasons_are_specific_to_each_product():
    q = query(product_category="洗面奶", text="适合油皮的洗面奶")
    result = rank(demo_index(), q, None, CustomerProfile())
    reasons = [reason_for(item.product, q, CustomerProfile()) for item in result.items]
    assert len(set(reasons)) == len(reasons)
    assert all(0 < len(reason) <= 40 for reason in reasons)
    assert any("控油" in reason or "清洁" in reason or "氨基酸" in reason for reason in reasons)


def test_free_text_names_the_category_when_the_nlu_did_not():
    word, leaves = categories_in_text("想给男朋友买双运动鞋", demo_index().catalog)
    assert word == "运动鞋" and "跑步鞋" in leaves


@pytest.mark.parametrize("word, leaves", [("洗面乃 氨基酸", ("洗面奶",)), ("T桖 纯棉", ("T恤",))])
def test_a_kind_misspelt_or_with_words_past_it_is_still_the_kind(word, leaves):
    assert query(product_category=word).categories == leaves


def test_a_thing_the_shop_does_not_sell_is_not_read_as_a_kind_inside_its_name():
    with pytest.raises(RequestError):
        query(product_category="手机壳")


@pytest.mark.parametrize("conditions, brand, categories", [
    ({"brand": "赤兔"}, "李宁", ("跑步鞋",)),  # a product line the NLU took for a brand
    ({"brand": "詹姆斯", "product_category": "运动鞋"}, "耐克", ("篮球鞋",)),
    ({"product_category": "ThinkPad"}, "联想", ("笔记本电脑",)),  # … or for a kind of product
])
def test_a_product_line_is_read_as_its_brand_and_kind(conditions, brand, categories):
    q = resolve_query({"customer_id": "c", "conditions": conditions}, demo_index().catalog)
    assert q.brand == brand and q.categories == categories


def test_a_line_named_in_the_words_narrows_its_brand_to_the_lines_kind():
    q = resolve_query({"customer_id": "c", "text": "看看ThinkPad", "conditions": {"brand": "联想"}},
                      demo_index().catalog)
    assert q.brand == "联想" and q.categories == ("笔记本电脑",)


def test_a_latin_word_inside_a_longer_one_narrows_nothing():
    electronics = demo_index().catalog.leaf_categories_for("电脑")
    assert narrowed_categories(electronics, "想买个电脑 thinkpad那种", frozenset(), demo_index().catalog) == electronics


@pytest.mark.parametrize("text, narrowed", [
    ("买双鞋 上班穿 要休闲一点的", ("休闲鞋",)),
    ("鞋 打篮球穿", ("篮球鞋",)),
    ("鞋 不要休闲的", ("跑步鞋", "篮球鞋", "休闲鞋")),  # refused: no narrower
])
def test_a_broad_kind_is_narrowed_by_what_sets_one_of_its_kinds_apart(text, narrowed):
    shoes = ("跑步鞋", "篮球鞋", "休闲鞋")
    assert narrowed_categories(shoes, text, frozenset(), demo_index().catalog) == narrowed


def test_a_need_only_some_kinds_meet_names_those_kinds_but_not_a_need_about_the_person():
    catalog = demo_index().catalog
    menswear = ("T恤", "牛仔裤", "羽绒服")
    assert narrowed_categories(menswear, "男装有啥推荐 过冬穿的", frozenset(), catalog) == ("羽绒服",)
    presents = catalog.leaf_categories_for("礼物")
    # (a present for a grown-up is no toy)
    assert narrowed_categories(presents, "送女朋友礼物 五百左右", frozenset(), catalog) == tuple(
        kind for kind in presents if kind != "儿童玩具")


def test_a_present_is_not_guessed_among_kinds_its_budget_cannot_buy():
    # 打游戏 points at laptops; none costs 300 or less, so the kind read from the liking is dropped
    assert query(text="兄弟生日 他天天打游戏 送点啥 三百以内", budget="三百以内").categories == ()
    assert query(text="我老公爱打游戏 送他个礼物 五千左右", budget="五千左右").categories == ("笔记本电脑",)
    # not a present: the kind stays and its budget is loosened as ever; a kind the NLU marked stays too
    assert query(text="想要个打游戏的 三百以内", budget="三百以内").categories == ("笔记本电脑",)
    assert query(text="送他个笔记本 三百以内", budget="三百以内", product_category="笔记本").categories == \
        ("笔记本电脑",)
    # the liking's tag points at kinds the budget buys: those (no laptop within 1500, tablets are)
    kinds = query(text="男朋友生日快到了 他喜欢打游戏 一千五以内", budget="一千五以内").categories
    assert kinds and "笔记本电脑" not in kinds
    assert all(demo_index().catalog.cheapest_in_stock(kind) <= 1500 for kind in kinds)
    assert "平板电脑" not in query(text="男朋友生日 他喜欢打游戏 平板就算了 一千五以内", budget="一千五以内").categories


@pytest.mark.parametrize("text", [
    "给我男朋友买个生日礼物 五百以内 他耳机一堆了 别的", "送男朋友 五百以内 耳机就算了 他有好几个",
    "送男朋友 他爱听歌 耳机就算了", "他天天打游戏 送个礼物 五千左右 电脑刚换",
])
def test_kinds_the_words_refuse_are_not_read_from_them(text):
    q = query(text=text, budget="五千左右" if "五千" in text else "五百以内")
    assert "蓝牙耳机" not in q.categories and "笔记本电脑" not in q.categories


def test_a_kind_read_from_the_words_stays_when_only_another_is_refused():
    assert query(text="不要零食 想买个耳机").categories == ("蓝牙耳机",)
    assert query(text="耳机好多种吗").categories == ("蓝牙耳机",)
    # (a need's word before the space is not refused by the refusal of another kind after it)
    assert query(text="天天熬夜加班 来点提神的 别推零食").categories == ("咖啡",)
    assert categories_in_text("口红她一堆了 换个别的 香水有吗", demo_index().catalog)[1] != ("口红",)
    # a kind refused once is refused where it is said before too
    assert categories_in_text("女票护肤品都用专柜的我挑不来 护肤的别推 想送点别的", demo_index().catalog) == ("", ())
    # a present's kinds (礼物), less the one refused
    gift = query(text="耳机就算了 他有好几个", product_category="礼物").categories
    assert gift and "蓝牙耳机" not in gift


def test_the_tags_said_are_weighed_with_the_other_needs():
    # 拍照 is a tag of phones, but here one need among others: 嘴唇 and 气色 ask for a lipstick
    assert query(text="女朋友嘴唇颜色天生很淡 拍照老显得没气色").categories == ("口红",)
    assert query(text="想要拍照好的").categories == ("手机",)  # alone, the tag still names its kind
    # 健身 is a T-shirt's tag and a need for snacks and coffee: the tie leaves the tag's kind
    assert query(text="准备开始健身了 需要买点啥装备").categories == ("T恤",)


def test_a_model_number_names_its_line_as_a_whole_word_only():
    catalog = demo_index().catalog
    assert catalog.product_line("501") == ("李维斯", ("牛仔裤",))  # not X50 12GB, written X5012GB without spaces
    assert catalog.product_line("mate60") == ("华为", ("手机",))  # Mate 60 Pro, spaces left out
    q = resolve_query({"customer_id": "c", "text": "levis 501", "conditions": {"brand": "levis"}}, catalog)
    assert q.brand == "李维斯" and q.categories == ("牛仔裤",)


def test_a_kind_read_from_other_words_gives_way_to_the_kinds_the_named_brand_makes():
    catalog = demo_index().catalog
    garmin = resolve_query({"customer_id": "c", "text": "garmin咋样 想入一个跑马拉松用",
                            "conditions": {"brand": "佳明"}}, catalog)
    assert garmin.brand == "佳明" and garmin.categories == ("智能手表",)
    nike = resolve_query({"customer_id": "c", "text": "耐克的 跑马拉松用", "conditions": {"brand": "耐克"}}, catalog)
    assert nike.categories == ("跑步鞋",)  # a kind the brand makes stays
    named = resolve_query({"customer_id": "c", "text": "佳明的跑鞋",
                           "conditions": {"brand": "佳明", "product_category": "跑鞋"}}, catalog)
    assert named.categories == ("跑步鞋",)  # a kind the customer named is never replaced


def test_a_brand_name_of_two_words_tagged_as_two_brands_is_read_whole():
    catalog = demo_index().catalog
    q = resolve_query({"customer_id": "c", "text": "canada goose 女款有M码的吗", "conditions": {"brand": "goose"}},
                      catalog)
    assert q.brand == "加拿大鹅"
    with pytest.raises(RequestError):  # the word alone, or inside another word, names no brand
        resolve_query({"customer_id": "c", "text": "goose down", "conditions": {"brand": "goose"}}, catalog)


def test_a_word_in_the_titles_of_several_brands_is_no_product_line():
    assert demo_index().catalog.product_line("跑步鞋") is None and demo_index().catalog.product_line("鞋") is None


@pytest.mark.parametrize("body, code", [
    ([], "invalid_body"),
    ({"text": "x"}, "invalid_customer_id"),
    ({"customer_id": 5}, "invalid_customer_id"),
    ({"customer_id": "c", "conditions": "跑步鞋"}, "invalid_conditions"),
    ({"customer_id": "c", "conditions": {"colour": "红"}}, "unknown_condition"),
    ({"customer_id": "c", "conditions": {"product_category": "挖掘机"}}, "unknown_category"),
    ({"customer_id": "c", "conditions": {"brand": "不存在牌"}}, "unknown_brand"),
    ({"customer_id": "c", "conditions": {"budget": "-5块"}}, "invalid_budget"),
    ({"customer_id": "c", "conditions": {"budget": "便宜点"}}, "invalid_budget"),
    ({"customer_id": "c", "conditions": {"color": "好看的"}}, "invalid_color"),
    ({"customer_id": "c", "conditions": {"size": {"a": 1}}}, "invalid_condition"),
    ({"customer_id": "c", "budget_min": -1}, "invalid_budget"),
    ({"customer_id": "c", "budget_min": 500, "budget_max": 100}, "invalid_budget"),
    ({"customer_id": "c", "limit": 0}, "invalid_limit"),
    ({"customer_id": "c", "limit": "5"}, "invalid_limit"),
    ({"customer_id": "c", "text": 12}, "invalid_text"),
])
def test_bad_requests_are_refused_with_a_reason(body, code):
    with pytest.raises(RequestError) as raised:
        resolve_query(body, demo_index().catalog)
    assert raised.value.code == code and raised.value.message


def test_an_absurd_but_readable_budget_is_a_loose_limit_not_an_error():
    q = query(product_category="口红", budget="一百万以内")
    result = rank(demo_index(), q, None, CustomerProfile())
    assert q.budget.high == 1_000_000 and result.items and result.relaxed == ()


def test_the_newest_conditions_are_loosened_last():
    from bot.recommender.ranking import relaxations
    assert next(iter(relaxations(["budget", "brand"]))) == ("budget",)
    assert next(iter(relaxations(["budget", "brand"], newest=["budget"]))) == ("brand",)
    # 三千以内 after 苹果 紫色 平板: every older condition goes before the budget just said
    loosened = list(relaxations(["budget", "brand", "color"], newest=["budget"]))
    assert loosened[:3] == [("color",), ("brand",), ("color", "brand")] and loosened[3] == ("budget",)
    assert len(loosened) == len(set(loosened)) == 7


@pytest.mark.parametrize("name, title, names", [
    ("小米平板6", "小米 平板 6 11 英寸 8GB+128GB 平板电脑", True),
    ("iphone15", "苹果 iPhone 15 128GB 5G 手机", True),
    ("小米14", "华为 MateBook 14 笔记本", False),  # the Chinese words of the name are not in the title
    ("赤兔6", "李宁 赤兔 6 男子轻量透气跑步鞋", True),
    ("赤兔7", "李宁 赤兔 6 男子轻量透气跑步鞋", False),
    ("华为手机", "华为 Mate 60 Pro 手机", False),  # no model in the name: not a look-up by name
    ("华为mate60pro", "华为 Mate 60 Pro 12GB+512GB 手机", True),  # three title words written together
    ("头戴的xm5", "索尼 WH-1000XM5 头戴式无线降噪耳机", True),  # the end of a title word
])
def test_a_title_is_the_model_named(name, title, names):
    assert title_names(name, title) is names


class _NoHistory:
    async def profile(self, customer_id):
        return CustomerProfile()


async def test_an_answer_names_the_wanted_attributes_none_of_its_products_carry():
    from bot.recommender.engine import Recommender

    recommender = Recommender.build(load_demo_catalog(), hashed_embed, "hashed", _NoHistory())
    try:
        first = await recommender.recommend({"customer_id": "c1", "text": "去屑的洗发水",
                                             "conditions": {"product_category": "洗发水"}})
        assert "wanted_tags_missing" not in first
        with_tag = [p.id for p in load_demo_catalog() if p.category == "洗发水" and "去屑" in " ".join(p.tags) + p.title]
        others = await recommender.recommend({"customer_id": "c1", "text": "去屑的洗发水", "exclude": with_tag,
                                              "conditions": {"product_category": "洗发水"}})
        assert others["products"] and others["wanted_tags_missing"] == ["去屑"]
    finally:
        await recommender.close()


def test_traditional_characters_in_conditions_and_words_are_read_as_simplified():
    watch = query(product_category="智能手錶", budget="一千出頭")
    assert watch.categories == ("智能手表",)
    assert (watch.budget.low, watch.budget.high) == (1000.0, 1200.0)


def test_a_brand_written_together_with_its_model_is_the_brand_and_the_model_s_kind():
    air_force = query(product_category=None, brand="nike空军一号")
    assert air_force.brand == "耐克" and air_force.categories == ("休闲鞋",)
    wade = resolve_query({"customer_id": "c1", "text": "李宁韦德之道有咩", "conditions": {"brand": "李宁"}},
                         demo_index().catalog)
    assert wade.brand == "李宁" and wade.categories == ("篮球鞋",)
    kt = resolve_query({"customer_id": "c1", "text": "ANTA的KT系列有没有", "conditions": {"brand": "安踏"}},
                       demo_index().catalog)
    assert kt.categories == ("篮球鞋",)  # a two-letter line of the brand said


@pytest.mark.parametrize("text, wish", [
    ("推荐个便宜的耳机", -1), ("学生党 有平替吗", -1), ("高端一点的", 1), ("不差钱 要最好的", 1),
    ("太便宜的不放心", 0), ("降噪耳机", 0),
])
def test_the_price_the_words_wish_for(text, wish):
    assert price_wish(text) == wish


def test_cheap_words_without_a_budget_rank_cheaper_products_first():
    plain = rank(demo_index(), query(product_category="蓝牙耳机"), None, CustomerProfile()).items
    cheap = rank(demo_index(), query(product_category="蓝牙耳机", text="推荐个便宜的耳机"), None, CustomerProfile()).items
    mean = lambda items: sum(item.product.price for item in items[:3]) / 3  # noqa: E731
    assert mean(cheap) < mean(plain)
    assert cheap[0].product.price < 500
    pricey = rank(demo_index(), query(product_category="蓝牙耳机", text="高端一点的耳机"), None, CustomerProfile()).items
    assert mean(pricey) > mean(cheap)


@pytest.mark.parametrize("text, brand, categories", [
    ("他是汤普森的粉丝 有KT的吗", "安踏", ("篮球鞋",)),
    ("想要ultraboost", "阿迪达斯", ("跑步鞋",)),
    ("要带gps的手表", None, None),  # Garmin's description says GPS too: no one line
    ("跑鞋 all black的", None, None),  # an English word of titles, no line
    # a line named in Chinese: three characters or more of titles, no wish (游戏本 · 高保湿) and no generic word
    ("想要双空军一号 42码", "耐克", ("休闲鞋",)),
    ("小金条还有货不", "圣罗兰", ("口红",)),
    ("游戏本有吗", None, None),
    ("想要高保湿的面霜", None, None),
    ("给宝宝买个多功能的", None, None),
    ("想要休闲板鞋 40码", None, None),  # 休闲板 straddles a kind's word: no line
    ("要氨基酸洗面奶 温和点", None, None),  # 基酸洗 straddles a tag
    # the word a title puts after the brand, two characters too (乐高 得宝系列 … · 华硕 天选 5 Pro …)
    ("得宝的有吗 两岁宝宝玩", "乐高", ("儿童玩具",)),
    ("天选有货吗", "华硕", ("笔记本电脑",)),
])
def test_a_line_in_words_names_its_brand_when_no_brand_was_said(text, brand, categories):
    resolved = query(text=text)
    assert resolved.brand == brand
    if categories:
        assert resolved.categories == categories


def test_the_note_above_loosened_cards_says_the_budget_as_a_range():
    from bot.language.budget import parse_budget
    from bot.recommender.engine import _message
    from bot.recommender.query import ProductQuery

    query = ProductQuery("c", category_word="跑步鞋", color="白色", size="41", budget=parse_budget("降到五百以内"))
    assert _message(query, ["size"], found=True) == "没有完全符合条件的现货（跑步鞋 · 白色 · 41码 · 500元以内），放宽了尺码，这几款最接近："


@pytest.mark.parametrize("text, tag", [
    ("给我妈买个手机 老人用", "长辈"),  # no tag said: 老人 is the need
    ("游泳能戴的手表", "防水"),  # 防水 meets IP68防水 · 5ATM防水
    ("头皮屑多 用什么洗发水", "去屑"),
])
def test_a_need_in_the_customers_words_puts_a_product_meeting_it_on_the_cards(text, tag):
    q = query(text=text)
    result = rank(demo_index(), q, None, CustomerProfile())
    assert q.wanted_tags == frozenset() and q.needs  # a need, no tag said outright: none is reported missing
    meeting = [item.product for item in result.items[:5] if any(tag in t for t in item.product.tags)]
    assert meeting  # on the five cards shown
    assert tag in reason_for(meeting[0], q, CustomerProfile())


def test_clothes_for_a_man_are_no_dress():
    assert "连衣裙" not in query(product_category="衣服", text="给我儿子买衣服，他上高一").categories
    assert "连衣裙" in query(product_category="衣服", text="看看其他衣服").categories


@pytest.mark.parametrize("text, categories", [
    ("有去屑的吗", ("洗发水",)),  # a tag of one kind
    ("办公室下午饿了垫垫肚子的 要独立包装的 好分给同事", ("零食",)),  # 办公 speaks of the person
    ("东北冬天骑电驴上班穿的 要厚", ("羽绒服",)),  # a need (冬天 → 保暖) only one kind meets
    ("跑步的时候塞耳朵里听歌用的", ("蓝牙耳机",)),  # the longest word of a use (塞耳朵), not 跑步
    ("熬夜赶论文 想要点提神喝的", ("咖啡",)),
    ("续航长一点的", ()),  # five kinds: a guess, so the bot asks which
])
def test_no_kind_named_but_what_is_wanted_or_used_for_names_one(text, categories):
    assert query(text=text).categories == categories


def test_a_size_keeps_only_the_kinds_that_come_in_it():
    assert query(product_category="宝宝", size="1段", text="两百左右").categories == ("婴儿奶粉",)
    assert query(product_category="宝宝", text="两百左右").categories == ("婴儿奶粉", "儿童玩具")


def test_a_line_named_narrows_the_kinds_a_wish_guessed():
    assert query(brand="联想", text="有thinkpad吗 办公用").categories == ("笔记本电脑",)


def test_a_product_is_named_by_the_word_its_title_puts_after_the_brand():
    catalog = demo_index().catalog
    assert [product.id for product in catalog.named("经典创意那盒")] == ["SKU10193"]
    assert [product.title for product in catalog.named("拯救者")] == [catalog.by_id("SKU10096").title]
    assert catalog.named("爱他美经典版")[0].brand == "爱他美"
    # a description after the brand (旁氏 米粒净透洁面乳 holds a kind) or a generic word names no line
    assert catalog.line_name_in("米粒净透洁面乳") is None
    assert catalog.line_name_in("经典款有吗") is None


def test_a_verb_marked_with_the_kind_is_left_out():
    assert set(query(product_category="买鞋").categories) == {"跑步鞋", "篮球鞋", "休闲鞋"}
    assert query(product_category="要个耳机").categories == ("蓝牙耳机",)


def test_a_present_for_a_child_is_a_toy_or_snacks_and_for_a_grown_up_no_toy():
    assert set(query(product_category="礼物", text="给上小学的表弟买礼物 一百以内").categories) == {"儿童玩具", "零食"}
    dad = query(product_category="礼物", text="给我爸买个礼物 三百以内").categories
    assert dad and "儿童玩具" not in dad and "口红" not in dad
    assert "儿童玩具" not in query(product_category="礼物", text="送闺蜜生日礼物 一百左右").categories
    colleague = query(product_category="礼物", text="男同事离职 送个小礼物 五十到一百").categories
    assert "口红" not in colleague and "儿童玩具" not in colleague
    assert "智能手表" not in query(product_category="礼物", text="给老公挑个生日礼物 两千以内 他不戴表").categories


def test_a_baby_named_without_a_present_keeps_the_babys_milk():
    assert "婴儿奶粉" in query(text="宝宝刚出生 想买喝的 一段那种").categories or \
        query(text="宝宝刚出生 想买喝的 一段那种").categories == ()
    assert set(narrowed_categories(("婴儿奶粉", "儿童玩具"), "宝宝刚出生 想买点东西", frozenset(),
                                   demo_index().catalog)) == {"婴儿奶粉", "儿童玩具"}


def test_kinds_offered_as_alternatives_are_searched_together_whatever_the_words_name_first():
    q = query(product_category="跑鞋、篮球鞋", text="跑鞋篮球鞋都行 四百以内", budget="四百以内")
    assert set(q.categories) == {"跑步鞋", "篮球鞋"}  # 篮球鞋 in the words does not narrow the choice away
    result = rank(demo_index(), q, None, CustomerProfile())
    assert result.items and all(item.product.category in ("跑步鞋", "篮球鞋") for item in result.items)
    # a tag only one of them carries narrows to it
    carrying = {p.category for p in demo_index().catalog if "氨基酸" in p.tags} & {"洗面奶", "洗发水"}
    assert carrying and set(query(product_category="洗面奶、洗发水", text="有氨基酸的吗").categories) == carrying


@pytest.mark.parametrize("text, oldest_allowed", [  # a toy the child grows into within half a year counts
    ("朋友家宝宝过周岁 想送个礼物 其实是十个月大", 16),  # the latest age said
    ("给一岁的宝宝买个玩具", 18),
    ("我外甥三岁 生日送什么好", 42),
])
def test_toys_a_child_is_too_young_for_give_way(text, oldest_allowed):
    result = rank(demo_index(), query(product_category="玩具", text=text), None, CustomerProfile())
    ages = [suits_from_months(item.product.tags) for item in result.items]
    assert ages and all(age is not None and age <= oldest_allowed for age in ages)


def test_without_a_toy_young_enough_the_toys_are_shown_as_ever():
    # 300 to 400 holds only toys for children from one and a half up: shown rather than nothing
    result = rank(demo_index(), query(product_category="玩具", budget="300到400", text="宝宝刚满月"), None,
                  CustomerProfile())
    assert result.items and not result.relaxed


def test_an_age_of_no_child_filters_nothing():
    assert query(product_category="玩具", text="耳机用了一个月就坏了").child_age_months is None
    assert query(product_category="玩具", text="给八岁的儿子").child_age_months == 96


def test_a_toy_asked_for_by_name_is_shown_whatever_the_childs_age():
    result = rank(demo_index(), query(product_category="玩具", text="给三岁儿子买个变形金刚"), None, CustomerProfile())
    assert any("变形金刚" in item.product.tags for item in result.items)
    # a tag any present carries (送礼) asks for no toy in particular: the age still rules
    presents = rank(demo_index(), query(product_category="玩具", text="给一岁宝宝送礼"), None, CustomerProfile())
    assert presents.items and all((suits_from_months(item.product.tags) or 0) <= 18 for item in presents.items)


def test_a_model_by_its_nickname_finds_that_model_first():
    assert "Pro Max" in demo_index().catalog.named("15pm")[0].title
    assert demo_index().catalog.named("iphone15")[0].title.startswith("苹果 iPhone 15 128GB")
    assert names_a_model("15pm蓝色的还有吗") and not names_a_model("300以内的")


@pytest.mark.parametrize("text, kinds", [("上班通勤穿的鞋 我又不跑步 就日常休闲穿的", ("休闲鞋",)),
                                         ("日常穿的鞋子", ("休闲鞋",)), ("晨跑穿的鞋子", ("跑步鞋",))])
def test_shoes_chosen_by_what_the_person_does_and_does_not_do(text, kinds):
    assert query(product_category="鞋", text=text).categories == kinds


def test_something_not_done_is_no_need():
    assert "跑步" not in query(product_category="鞋", text="我又不跑步").wanted_tags
    assert "跑步" in query(product_category="鞋", text="我平时跑步").wanted_tags


def test_made_in_china_wanted_or_refused_leaves_the_other_brands_out():
    domestic_toys = query(product_category="玩具", text="国产的就行")
    assert domestic_toys.exclude_brands and "奥迪双钻" not in domestic_toys.exclude_brands
    imported_milk = query(product_category="奶粉", text="不要国产的")
    assert imported_milk.exclude_brands == {"飞鹤", "君乐宝"}
    assert not query(product_category="手机", text="国产的 苹果也行", brand="苹果").exclude_brands  # a brand named
    assert not query(product_category="手机", text="两千左右").exclude_brands


def test_made_in_china_leaves_a_kind_with_no_such_brand_as_it_is():
    catalog = demo_index().catalog
    assert not brands_of_another_origin("国产的", ("手机",), catalog, domestic=frozenset())
    assert brands_of_another_origin("国产的", ("手机",), catalog, domestic=frozenset({"华为"}))


def test_the_domestic_brands_are_brands_of_the_shop():
    assert load_domestic_brands() <= set(load_brands().aliases)


@pytest.mark.parametrize("text, wanted", [("国产和进口都行", None), ("国产的也行", None), ("这个是国产的吗", None),
                                          ("国产的别推了", False), ("不要国产的 算了国产的就行", True)])
def test_where_a_brand_is_from_left_open_asked_or_refused(text, wanted):
    assert made_in_china_wanted(text) is wanted


def test_a_quality_found_wanting_is_still_a_need():
    assert "保暖" in query(product_category="羽绒服", text="之前买的羽绒服都不保暖").wanted_tags
