from typing import Optional

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.language.budget import BudgetRange, budget_text, find_budget, names_a_price_at, parse_budget

OPEN = None


def bounds(text: str) -> Optional[tuple[Optional[float], Optional[float]]]:
    budget = parse_budget(text)
    return None if budget is None else (budget.low, budget.high)


@pytest.mark.parametrize(
    "text, expected",
    [
        # The contract in nlu-taxonomy.md.
        ("三百以内", (OPEN, 300)),
        ("500左右", (400, 600)),
        ("200到400", (200, 400)),
        ("1000块以下", (OPEN, 1000)),
        # Upper bounds, after the number ...
        ("300以内", (OPEN, 300)),
        ("300以下", (OPEN, 300)),
        ("300之内", (OPEN, 300)),
        ("300内", (OPEN, 300)),
        ("一千不到", (OPEN, 1000)),
        ("八百封顶", (OPEN, 800)),
        ("500max", (OPEN, 500)),
        ("八百块以内", (OPEN, 800)),
        # ... and before it.
        ("不超过八百", (OPEN, 800)),
        ("不超三百", (OPEN, 300)), ("别超一千", (OPEN, 1000)), ("预算可以到一百五", (OPEN, 150)),
        ("不能超过一千", (OPEN, 1000)),
        ("不要超过500", (OPEN, 500)),
        ("不到一千", (OPEN, 1000)),
        ("最多500", (OPEN, 500)),
        ("顶多五百", (OPEN, 500)),
        ("低于500", (OPEN, 500)),
        ("少于500", (OPEN, 500)),
        ("封顶八百", (OPEN, 800)),
        ("max 500", (OPEN, 500)),
        # a floor's words negated: a ceiling, not the floor they name
        ("不能高于500", (OPEN, 500)), ("别高于三百", (OPEN, 300)), ("不要多于200块", (OPEN, 200)),
        ("预算不要超出三千", (OPEN, 3000)), ("不大于1000", (OPEN, 1000)), ("别大于一千", (OPEN, 1000)),
        ("小于300", (OPEN, 300)), ("不能小于500", (500, OPEN)), ("大于1000", (1000, OPEN)),
        ("≤500", (OPEN, 500)),
        ("最多花500", (OPEN, 500)),
        # Lower bounds.
        ("500以上", (500, OPEN)),
        ("两千起", (2000, OPEN)),
        ("300块起", (300, OPEN)),
        ("五百往上", (500, OPEN)),
        ("500+", (500, OPEN)),
        ("至少两千", (2000, OPEN)),
        ("不低于300", (300, OPEN)),
        ("不能低于两百", (200, OPEN)), ("别少于300", (300, OPEN)),
        ("多于300", (300, OPEN)),
        ("超过300", (300, OPEN)),
        ("起码1k", (1000, OPEN)),
        ("1.5万以上", (15000, OPEN)),
        # About: ± 20 %, rounded outward to whole yuan.
        ("500上下", (400, 600)),
        ("大概500", (400, 600)),
        ("差不多500", (400, 600)),
        ("500差不多", (400, 600)),
        ("500附近", (400, 600)),
        ("约500", (400, 600)),
        ("两百来块", (160, 240)),
        ("两千块钱左右", (1600, 2400)),
        ("333左右", (266, 400)),
        # A bare price is read like 左右.
        ("300", (240, 360)),
        ("300块", (240, 360)),
        ("价位300", (240, 360)),
        # 预算 alone says what one will spend at most.
        ("预算300", (None, 300)),
        ("预算：300", (None, 300)),
        ("预算三千", (None, 3000)),
        ("预算三千左右", (2400, 3600)),
        ("预算两三百", (200, 300)),
        ("千元机", (800, 1200)),
        ("百元", (80, 120)),
        ("十五块", (12, 18)),
        # Ranges.
        ("200到400块", (200, 400)),
        ("200块到400块", (200, 400)),
        ("200-400", (200, 400)),
        ("200 - 400元", (200, 400)),
        ("200~400", (200, 400)),
        ("200～400", (200, 400)),
        ("200—400", (200, 400)),
        ("200至400", (200, 400)),
        ("300和500之间", (300, 500)),
        ("200与400之间", (200, 400)),
        ("预算在200到400块之间", (200, 400)),
        ("从200到400", (200, 400)),
        ("400到200", (200, 400)),
        ("2千到3千", (2000, 3000)),
        ("3k-5k", (3000, 5000)),
        ("1w-2w", (10000, 20000)),
        ("一千五到两千", (1500, 2000)),
        ("200到400以内", (200, 400)),
        ("0-300", (OPEN, 300)),
        # A plain start of a range borrows the end's magnitude when that keeps it below the end.
        ("1-2k", (1000, 2000)),
        ("五到六百", (500, 600)),
        ("1.5-2万", (15000, 20000)),
        ("5-600", (5, 600)),
        # Two neighbouring digits.
        ("五六百", (500, 600)),
        ("一两千", (1000, 2000)),
        ("两三百", (200, 300)),
        ("三四千", (3000, 4000)),
        ("一两万", (10000, 20000)),
        ("七八十块", (70, 80)),
        ("五六百以内", (OPEN, 600)),
        # X多: up to one more unit of the last non-zero place.
        ("两千多", (2000, 3000)),
        ("300多", (300, 400)),
        ("350多", (350, 360)),
        ("三百多块", (300, 400)),
        ("三百块多", (300, 400)),
        ("十多块", (10, 20)),
        ("两千多以上", (2000, OPEN)),
        # Numeral styles.
        ("３００以内", (OPEN, 300)),
        ("３千５", (2800, 4200)),
        ("1.5k", (1200, 1800)),
        ("1.5万", (12000, 18000)),
        ("1.5W", (12000, 18000)),
        ("3百", (240, 360)),
        ("3千5", (2800, 4200)),
        ("3千5百", (2800, 4200)),
        ("1万2千", (9600, 14400)),
        ("1w", (8000, 12000)),
        ("1W", (8000, 12000)),
        ("1k", (800, 1200)),
        ("2K", (1600, 2400)),
        ("两千", (1600, 2400)),
        ("两千五", (2000, 3000)),
        ("一百五", (120, 180)),
        ("一千二", (960, 1440)),
        ("三千五", (2800, 4200)),
        ("一万二", (9600, 14400)),
        ("5.5元以内", (OPEN, 5.5)),
        ("1,500", (1200, 1800)),
        # Units and currency signs.
        ("500块钱", (400, 600)),
        ("500元", (400, 600)),
        ("500圆", (400, 600)),
        ("300rmb", (240, 360)),
        ("rmb300", (240, 360)),
        ("¥300", (240, 360)),
        ("￥300", (240, 360)),
        ("300米", (240, 360)),
        # Surrounding words; the first budget wins.
        ("预算三百以内", (OPEN, 300)),
        ("大概五百左右吧", (400, 600)),
        ("不超过八百的", (OPEN, 800)),
        ("500以内的跑步鞋", (OPEN, 500)),
        ("预算 300 以内", (OPEN, 300)),
        ("三星手机500左右", (400, 600)),
        ("双十一300以内", (OPEN, 300)),
        ("42码的鞋300以内", (OPEN, 300)),
        ("iPhone15 两千以内", (OPEN, 2000)),
        ("300以上500以内", (300, 500)),
        ("300 500以内", (OPEN, 500)),
        ("一双300", (240, 360)),
        ("一百万以内的口红", (OPEN, 1_000_000)),
        # English words typed among Chinese
        ("想买双running shoes，budget 500", (OPEN, 500)), ("under 300的呢", (OPEN, 300)),
        ("no more than 500", (OPEN, 500)), ("no less than 500", (500, OPEN)), ("not above 500", (OPEN, 500)),
        ("500 below的", (OPEN, 500)), ("less than 200", (OPEN, 200)), ("within 1000", (OPEN, 1000)),
        ("above 1000", (1000, OPEN)), ("around 300", (240, 360)), ("300 to 500", (300, 500)),
        ("budget 1k", (OPEN, 1000)),
        ("九百九十九万九千九百九十九元以内", (OPEN, 9_999_999)),
    ],
)
def test_budget_forms(text: str, expected: tuple) -> None:
    assert bounds(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "便宜点的",
        "🙂",
        "   ",
        "0元",
        "零元",
        "0以内",
        "-5块",
        "负五块",
        "预算-5块",
        "一亿以内",
        "1001万以内",
        "99999999999999999999999元",
        "至少300以内",
        "42码",
        "iPhone15",
        "iphone 15",
        "mate60 pro",
        "iPhone 15 Plus",
        "Moto 360手表",
        "Thunder 300",
        "about 3 days能到吗",
        "256g",
        "1080p",
        "5折",
        "第3",
        "十五",
        "二〇二四",
        "300和500",
        "1.2.3元",
        "千万别太贵",
        "三" * 20,
    ],
)
def test_no_usable_price(text: str) -> None:
    assert parse_budget(text) is None


def test_text_is_kept_as_written() -> None:
    assert parse_budget("预算三百以内") == BudgetRange(low=None, high=300.0, text="预算三百以内")


@pytest.mark.parametrize(
    "budget, expected",
    [
        (BudgetRange(None, 300.0, ""), "300元以内"),
        (BudgetRange(400.0, 600.0, ""), "400–600元"),
        (BudgetRange(500.0, None, ""), "500元以上"),
        (BudgetRange(5.5, 5.5, ""), "5.5元"),
        (BudgetRange(None, None, ""), "预算不限"),
    ],
)
def test_describe(budget: BudgetRange, expected: str) -> None:
    assert budget.describe() == expected


@pytest.mark.parametrize(
    "text, expected",
    [("三百以内", "300元以内"), ("500左右", "400–600元"), ("500以上", "500元以上"), ("一两千", "1000–2000元")],
)
def test_describe_parsed(text: str, expected: str) -> None:
    budget = parse_budget(text)
    assert budget is not None and budget.describe() == expected


@pytest.mark.parametrize(
    "budget, price, expected",
    [
        (BudgetRange(None, 300.0, ""), 300.0, True),
        (BudgetRange(None, 300.0, ""), 300.5, False),
        (BudgetRange(None, 300.0, ""), 0.0, True),
        (BudgetRange(400.0, 600.0, ""), 399.99, False),
        (BudgetRange(400.0, 600.0, ""), 400.0, True),
        (BudgetRange(400.0, 600.0, ""), 600.0, True),
        (BudgetRange(400.0, 600.0, ""), 601.0, False),
        (BudgetRange(500.0, None, ""), 499.0, False),
        (BudgetRange(500.0, None, ""), 1e9, True),
    ],
)
def test_contains(budget: BudgetRange, price: float, expected: bool) -> None:
    assert budget.contains(price) is expected


_BUDGET_ALPHABET = list(
    "0123456789.,-~—到至和之间以内下上左右多来块元钱kKwW万千百十亿两一二三四五六七八九零〇"
    "预算不超过至少大概负几第码¥￥rmbmax+<>起 ３\x00\n\t🙂"
)


def _stretched_to_5000(text: str) -> str:
    # Drawing 5000 characters one by one is slow for hypothesis; repeating a short draw is not.
    return (text * (5000 // len(text) + 1))[:5000]


_budgetish = st.text(st.sampled_from(_BUDGET_ALPHABET), min_size=1, max_size=40)


def _assert_none_or_ordered(text: str) -> None:
    budget = parse_budget(text)
    if budget is None:
        return
    assert budget.low is not None or budget.high is not None
    assert budget.low is None or budget.low >= 0
    assert budget.high is None or budget.high >= 0
    assert budget.low is None or budget.high is None or budget.low <= budget.high
    assert budget.text == text


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), _budgetish))
def test_any_text_gives_none_or_an_ordered_range(text: str) -> None:
    _assert_none_or_ordered(text)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_budgetish, st.text(min_size=1, max_size=40)).map(_stretched_to_5000))
def test_5000_characters_give_none_or_an_ordered_range(text: str) -> None:
    _assert_none_or_ordered(text)


@pytest.mark.parametrize("text, low, high, written", [
    ("三千档的", 2400, 3600, "三千档"), ("两千出头的手机", 2000, 2400, "两千出头"), ("百来块的", 80, 120, "百来块"),
    ("两百出头的耳机", 200, 250, "两百出头"), ("二十出头", 20, 25, "二十出头"),
    ("千把块", 800, 1200, "千把块"), ("万把块的电脑", 8000, 12000, "万把块"), ("三五十块", 30, 50, "三五十块"),
])
def test_spoken_approximations(text: str, low: float, high: float, written: str) -> None:
    from bot.language.budget import find_budget
    budget = parse_budget(text)
    assert (budget.low, budget.high) == (low, high)
    start, end = find_budget(text)
    assert text[start:end] == written


@pytest.mark.parametrize("text, low, high, written", [
    ("有冇蓝牙耳机啊 唔好超过五百蚊", None, 500, "唔好超过五百蚊"), ("阿拉想买只手机 一千块钱以里", None, 1000, "一千块钱以里"),
    ("想睇下平板 千几蚊", 1000, 2000, "千几蚊"), ("两百几块的就行", 200, 300, "两百几块"),
    ("买个洗面奶再加个面霜 不超过三张", None, 300, "不超过三张"), ("预算五张", None, 500, "五张"),
    ("最多两百", None, 200, "最多两百"), ("预算大几百 想买双篮球鞋 实战的", 500, 1000, "大几百"),
])
def test_dialect_and_spoken_money_words(text: str, low, high, written: str) -> None:
    """以里 is 以内; 千几 · 百几 are 千多 · 百多; a 张 bounded or capped is a hundred-yuan note; 唔 is 不."""
    from bot.language.budget import find_budget
    budget = parse_budget(text)
    assert (budget.low, budget.high) == (low, high)
    start, end = find_budget(text)
    assert text[start:end] == written


@pytest.mark.parametrize("text", ["面膜来三张", "三张面膜", "一张卡", "千几个人来过", "面膜五张以内的有吗", "床单两张左右",
                                  "最多两张卡", "评价才几百，靠谱吗", "销量几万，是真的吗", "我家有几十 双鞋"])
def test_a_count_of_things_is_no_money(text: str) -> None:
    assert parse_budget(text) is None


def test_a_sum_is_no_budget() -> None:
    assert parse_budget("1+1等于几") is None


@pytest.mark.parametrize("text, value", [
    ("想买块智能手表，预算3000", "预算3000"),
    ("预算在不超过500", "预算不超过500"),
    ("预算：两千", "预算两千"),
    ("300块的就行", "300块"),
    ("价位3000的", "3000"),
    ("回到耳机 预算还是一千", "预算一千"), ("预算也就五百", "预算五百"), ("再看双跑鞋 预算按四百", "预算四百"),
])
def test_the_budget_text_keeps_the_yusuan_before_the_span(text, value):
    start, end = find_budget(text)
    assert budget_text(text, start, end) == value


@pytest.mark.parametrize("text", ["想买个口红送妈妈。她五十多了 不想要太艳的", "我妈都六十了", "婆婆60大寿 她手机老卡 想换个新的"])
def test_an_age_is_no_budget(text):
    assert find_budget(text) is None


@pytest.mark.parametrize("text, budget", [("我妈500以内的就行", "500以内"), ("她300块左右", "300块左右")])
def test_a_price_said_of_someone_is_a_budget(text, budget):
    start, end = find_budget(text)
    assert text[start:end] == budget


@pytest.mark.parametrize("text, expected", [
    ("几十块的就行", (10, 100)), ("大几百的就行", (500, 1000)), ("小几百", (100, 500)), ("几千块", (1000, 10000)),
    ("大几千", (5000, 10000)), ("几十个", None), ("几百毫升", None),
])
def test_an_order_of_magnitude_said_as_a_price(text, expected):
    assert bounds(text) == expected


@pytest.mark.parametrize("text, written", [
    ("有没有几十块的口红 学生党平替", "几十块"),  # the unit belongs to the amount, as in 300块
    ("零食 几十块钱左右就行", "几十块钱左右"),
    ("几百以内的", "几百以内"),
    ("大几百的就行", "大几百"),
])
def test_an_order_of_magnitude_is_found_in_a_message(text, written):
    start, end = find_budget(text)
    assert text[start:end] == written


@pytest.mark.parametrize("text, written", [
    ("预算大概五百左右吧", "五百左右"), ("差不多两千", "两千"), ("约300块", "300块"),
    # a bound is part of the budget; a verb that changes it is not (降到[两百] as the taxonomy's data writes it)
    ("不超过两千的", "不超过两千"), ("降到三百以内就通知我", "三百以内"), ("控制在一千内", "一千内"),
    ("预算再加点到800", "800"), ("上限500", "500"), ("最高两千", "最高两千"),
])
def test_about_is_not_part_of_the_budget_but_a_bound_is(text, written):
    start, end = find_budget(text)
    assert text[start:end] == written


@pytest.mark.parametrize("text, written, expected", [
    ("提高到两千的话能买什么手机", "两千", (OPEN, 2000)), ("预算可以放宽到1500", "1500", (OPEN, 1500)),
    ("上限500", "500", (OPEN, 500)), ("提高到两千左右", "两千左右", (1600, 2400)),
    ("降到500以上也行", "500以上", (500, OPEN)),
    # as far as that figure (一百到两百 stays a range)
    ("还有别的吗 预算到一百", "一百", (OPEN, 100)), ("最多到一百五", "一百五", (OPEN, 150)),
    ("一百到两百", "一百到两百", (100, 200)),
])
def test_a_new_ceiling_stays_outside_the_span_but_still_bounds_it(text, written, expected):
    start, end = find_budget(text)
    assert text[start:end] == written
    assert bounds(budget_text(text, start, end)) == expected


@pytest.mark.parametrize("text, written, expected", [
    ("三百以上五百以下的跑鞋有吗", "三百以上五百以下", (300, 500)), ("小一千的耳机", "小一千", (800, 1000)),
    ("2000起步的笔记本", "2000起步", (2000, OPEN)), ("十几块的唇膏有吗", "十几块", (10, 20)),
    ("二十几块就行", "二十几块", (20, 30)), ("大几百都可以", "大几百", (500, 1000)),
    # a brand in latin letters before a price in Chinese numerals, or before one with a unit or ceiling
    ("ASICS千元以内的跑步鞋", "千元以内", (OPEN, 1000)), ("OPPO两千五左右的手机", "两千五左右", (2000, 3000)),
    ("YSL400以内的口红", "400以内", (OPEN, 400)), ("max 500", "max 500", (OPEN, 500)),
    ("ipad 3k以内有吗", "3k以内", (OPEN, 3000)), ("想换个iPhone 6k以内", "6k以内", (OPEN, 6000)),
    ("pad 1.5k左右", "1.5k左右", (1200, 1800)),
    # a digit after k or w, as 3千5 (1k5 = 1500, 1w2 = 12000)
    ("降噪耳机 1k5以内 推荐下", "1k5以内", (OPEN, 1500)), ("笔记本1w2以内", "1w2以内", (OPEN, 12000)),
])
def test_more_ways_to_write_a_budget(text, written, expected):
    start, end = find_budget(text)
    assert text[start:end] == written
    assert bounds(budget_text(text, start, end)) == expected


@pytest.mark.parametrize("text", [
    "推荐几款和iPhone 15差不多的手机", "推荐个手机，要256G的", "推荐一款200ml以上的洗面奶", "屏幕14寸左右",
    "推荐个续航30小时以上的降噪耳机", "这双鞋一只有300克吗", "十几岁的男孩子穿什么",
])
def test_models_specs_and_measures_are_no_budget(text):
    assert find_budget(text, require_cue=False) is None


@pytest.mark.parametrize("text, start, end", [
    ("推荐个手机，要256G的", 7, 10), ("推荐几款和iPhone 15差不多的手机", 12, 17), ("一百块以内的玩具，送3岁小孩", 10, 11),
    ("推荐个续航30小时以上的降噪耳机", 5, 7),
])
def test_the_models_budget_on_a_spec_or_measure_names_no_price(text, start, end):
    assert not names_a_price_at(text, start, end)


def test_about_changes_nothing_so_leaving_it_out_of_the_span_loses_nothing():
    assert bounds("大概五百") == bounds("五百")


@pytest.mark.parametrize("text", [
    "给老公买 他一米八 180斤 肚子有点大 XL够吗", "孩子三岁半 个子一米 穿多大的", "体重一百三 穿XL会不会大",
    "一米六五 腿比较粗 这个裤子选M行不行", "身高1米75 穿什么码", "买两件是一起发还是分开发", "能加一件吗 跟这单一起发",
    "那刚才那单里的裙子也是一块发吧", "两件一块儿寄过来",
])
def test_heights_weights_and_together_are_no_budget(text):
    assert find_budget(text) is None


def test_one_kuai_alone_is_still_a_price():
    assert find_budget("就一块") is not None and find_budget("一块钱的东西") is not None
    assert find_budget("一块到五块的贴纸") == (0, 5)


def test_a_price_in_mi_slang_is_still_a_budget():
    assert bounds("100米以内的") == (None, 100)


def test_the_budget_said_with_jiu_is_the_one_not_the_price_refused_after_it():
    start, end = find_budget("预算就五百 别给我推两千的")
    assert parse_budget(budget_text("预算就五百 别给我推两千的", start, end)).high == 500


def test_r_after_a_number_is_yuan_but_not_the_start_of_a_latin_word():
    assert bounds("篮球鞋 300r以内") == (None, 300)
    assert bounds("200-300R的") == (200, 300)
    assert find_budget("3000rpm的风扇") is None


@pytest.mark.parametrize("text, written, expected", [
    ("再便宜点 五六十的", "五六十", (50, 60)), ("价格三四十左右", "三四十左右", (24, 48)),
])
def test_a_spoken_range_in_talk_of_prices_is_a_budget(text, written, expected):
    start, end = find_budget(text)
    assert text[start:end] == written
    assert bounds(budget_text(text, start, end)) == expected


def test_a_spoken_range_without_price_talk_is_no_budget_found_but_parses_as_one():
    assert find_budget("她五六十岁了") is None and find_budget("五六十的") is None
    assert bounds("五六十") == (50, 60)  # the NLU's budget entity, parsed alone


@pytest.mark.parametrize("text, expected", [
    ("跑鞋起码得五百的吧", (500, None)),
    ("最低三百的也可以看看", (300, None)),
    ("下面放到一百五", (150, None)),
    ("下限一百", (100, None)),
    ("低于五百的还是不要", (500, None)),  # the bound refused: the other side is wanted
    ("两千以上的不考虑", (None, 2000)),
    ("500以内不要太贵的", (None, 500)),  # 不要 of something else, nothing refused
])
def test_floors_named_and_bounds_refused(text, expected):
    assert bounds(text) == expected


@pytest.mark.parametrize("text, expected, written", [
    ("一千以内就行 低于五百的还是不要", (500, 1000), "500到1000"),
    ("最低三百的也可以看看 上限还是五百", (300, 500), "300到500"),
    ("低于五百的还是不要", (500, None), "500以上"),
])
def test_a_floor_and_a_ceiling_said_apart_are_one_range(text, expected, written):
    assert bounds(text) == expected
    span = find_budget(text)
    assert budget_text(text, *span) == written  # the entity's value reads the same alone


def test_two_ceilings_or_an_empty_range_stay_the_first_budget():
    assert bounds("一千以内 500以内的也行") == (None, 1000)
    assert bounds("三百以内 五百以上的不要") == (None, 300)


@pytest.mark.parametrize("text", ["宝宝喝到3段了 有推荐吗", "凑到99包邮吗", "等到618再买"])
def test_reaching_a_figure_is_no_budget(text):
    assert find_budget(text) is None


@pytest.mark.parametrize("text, loose_high", [("三百出头", 400), ("两百出头的耳机", 267), ("两千出头", 2667),
                                              ("三百左右", None), ("三百以内", None), ("三百到四百", None),
                                              ("三百出头 不超过350", None), ("最多三百出头", None)])
def test_a_little_above_may_reach_a_third_over(text, loose_high):
    assert parse_budget(text).loose_high == loose_high


@pytest.mark.parametrize(
    "text, written, expected",
    [
        # 千六 is 一千六: the one left out before a magnitude
        ("千六以内的手机", "千六以内", (None, 1600.0)),
        ("预算千六 要个平板", "千六", (None, 1600.0)),
        ("万五以内的电脑", "万五以内", (None, 15000.0)),
        # 一千五六: two neighbouring digits after the magnitude, a range like 五六百
        ("一千五六的耳机有吗", "一千五六", (1500.0, 1600.0)),
        ("千五六左右吧", "千五六左右", (1200.0, 1920.0)),  # about that range, as about one price
        ("五六百上下的", "五六百上下", (400.0, 720.0)),
        ("两千五六以内", "两千五六以内", (None, 2600.0)),
        ("三百七八块", "三百七八块", (370.0, 380.0)),
        ("三位数以内的面霜", "三位数以内", (None, 999.0)),
        ("预算卡在1200 给我妈买个手机", "1200", (None, 1200.0)),  # 卡在: the most it may cost
    ],
)
def test_a_magnitude_without_its_one_and_digits_after_it(text, written, expected):
    start, end = find_budget(text)
    assert text[start:end] == written
    parsed = parse_budget(text)
    assert (parsed.low, parsed.high) == expected


@pytest.mark.parametrize("text", ["万一不合适能退吗", "千万别推荐太贵的", "百分百正品吗", "二十五六岁穿什么", "百八十块钱的东西",
                                  "充电宝要两万五六毫安的", "房间二十五六平米"])
def test_words_of_numerals_that_are_no_price(text):
    assert parse_budget(text) is None
    assert find_budget(text) is None



def test_only_a_range_said_with_digits_after_its_magnitude_or_just_below_a_price_has_a_soft_floor():
    assert parse_budget("一千五六的手机").soft_floor and parse_budget("小两千").soft_floor
    assert not parse_budget("四五千的手表").soft_floor and not parse_budget("三四百的耳机").soft_floor
    assert parse_budget("不超过三位数的耳机").high == 999.0
    assert parse_budget("想卡在618下单 有活动吗") is None or parse_budget("想卡在618下单 有活动吗").high != 618.0
