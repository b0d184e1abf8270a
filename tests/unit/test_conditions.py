import pytest

from bot.catalog.vocabulary import without_brand_words, without_owned
from bot.dialogue.conditions import (
    ShoppingConditions, another_kind_allowed, ask_for_category, asks_for_anything_else, asks_other_brand, drops_brand,
    dropped_conditions,
    is_a_condition, is_a_price, is_a_size, mac_computer_meant, size_said_again,
    corrects_the_kind, is_gift_without_category, kept_conditions, names_a_price, names_the_price_complained_of,
    priced_like, shifted_budget, summarise,
    size_in_words,
)


def test_conditions_from_slots_ignore_empty_and_take_last_of_a_list():
    conditions = ShoppingConditions.from_slots(
        {"product_category": "跑步鞋", "color": ["黑色", "白色"], "brand": "", "order_id": "1"}
    )
    assert conditions.given() == {"product_category": "跑步鞋", "color": "白色"}


def test_summary_uses_chinese_labels_in_a_fixed_order():
    conditions = ShoppingConditions(budget="三百以内", product_category="跑步鞋", brand="耐克")
    assert summarise(conditions) == "品类：跑步鞋 · 品牌：耐克 · 预算：三百以内"


def test_missing_category_is_asked_for_with_what_is_already_known():
    text = ask_for_category(ShoppingConditions(budget="500左右"))
    assert "500左右" in text and "哪一类" in text
    assert "哪一类" in ask_for_category(ShoppingConditions())


@pytest.mark.parametrize("text, other, any_brand", [
    ("换个牌子看看", True, False), ("有别的品牌吗", True, False), ("看看别家的", True, False),
    ("不限牌子 两千以内的平板", False, True), ("什么牌子都行", False, True), ("牌子无所谓", False, True),
    ("要耐克的", False, False), ("换个颜色", False, False),
    ("牌子也不限了 三百以内 L码就行", False, True), ("牌子也不挑了 四百以内的小白鞋", False, True),
    ("品牌方面随便", False, True), ("牌子不对", False, False),
])
def test_brand_wishes(text, other, any_brand):
    assert (asks_other_brand(text), drops_brand(text)) == (other, any_brand)


@pytest.mark.parametrize("text, size", [("腰围27的有吗", "27"), ("腰围换成27", "27"), ("27腰的", "27"), ("42码", None), ("预算270", None),
                                        ("她穿37，五百以内", "37"), ("平时穿42码的", "42"), ("穿300以内的", None),
                                        ("帆布鞋 37 白色 200以内", "37"), ("跑鞋 40左右的", None),
                                        ("宝宝刚出生 想买喝的 一段那种", "1段"), ("要3段的", "3段"), ("十一段", None),
                                        ("裤子要高腰阔腿 27的腰", "27"), ("腰27的", "27"), ("高腰 300以内", None),
                                        # Chinese numerals and a waist in 尺
                                        ("小白鞋三十八码的两百以内", "38"), ("四十二号的", "42"), ("三十块以内", None),
                                        ("腰围二尺二", "29"), ("二尺一的牛仔裤", "27"), ("二尺长的", None),
                                        ("腰围两尺一", "27"), ("三十号之前能送到吗", None)])
def test_sizes_in_words(text, size):
    assert size_in_words(text) == size


def test_a_present_with_the_person_s_liking_names_the_kind_already():
    from bot.catalog.vocabulary import category_words
    kinds = category_words()
    assert not is_gift_without_category(None, "想给老婆买个礼物🎁 她喜欢听歌", kinds)
    assert not is_gift_without_category(None, "送男朋友生日礼物 他平时喜欢跑步", kinds)
    assert is_gift_without_category(None, "下周老婆生日，想送她个礼物", kinds)
    # a kind refused is none named: what the person likes is still to be asked
    assert is_gift_without_category(None, "送男朋友个生日礼物 耳机就算了 他有好几个", kinds)
    assert is_gift_without_category(None, "想送老婆个礼物 口红她一堆了", kinds)
    assert not is_gift_without_category(None, "想送老婆个礼物 口红她一堆了 面霜吧", kinds)
    assert is_gift_without_category(None, "女票护肤品都用专柜的我挑不来 护肤的别推 想送点别的 礼物", kinds)


def test_the_same_brand_asked_for_another_kind():
    def keeps_brand(text):
        return "brand" in kept_conditions(text)
    assert keeps_brand("洁面也来一个 同牌子") and keeps_brand("要他家的") and not keeps_brand("洁面也来一个")
    assert keeps_brand("再看看他家耳机") and keeps_brand("那家还有什么") and not keeps_brand("你们家耳机有哪些")
    assert keeps_brand("同个牌子洗面奶也来一支")
    assert keeps_brand("这个牌子别的呢 有高帮的吗") and keeps_brand("这牌子其他款有吗") and not keeps_brand("别的牌子呢")
    assert not keeps_brand("这牌子还有点小贵 换个牌子吧") and not keeps_brand("这个牌子别的都挺好 就是太贵了 换一个")


@pytest.mark.parametrize("text, kept", [
    ("有没有平时穿的板鞋 一样的码和预算", {"size", "budget"}), ("同样的尺码跟颜色", {"size", "color"}),
    ("板鞋也看看", set()),
    # the money for a present, kept in words
    ("那不送耳机了 送双跑鞋 还是那个钱", {"budget"}), ("要不还是送手表吧 能测心率那种 钱还是那么多", {"budget"}),
    ("还是看看手表吧 别超预算", {"budget"}), ("钱包有吗", set()), ("还是那个颜色", set()),
])
def test_several_conditions_said_to_go_with_the_next_kind(text, kept):
    assert kept_conditions(text) == kept


@pytest.mark.parametrize("text, corrects", [
    ("打错字了 我说的是耳机不是手表", True), ("我要的是平板", True), ("不是手表 是耳机", True), ("是耳机不是手表", True),
    ("耳机也看看", False), ("换成耳机", False), ("手表不要了 看看耳机", False), ("不对 是耳机", True), ("口误 耳机", True),
    ("那看看耳机吧 不是给我自己用 是送人", False), ("手表算了 说实话不是很需要 还是看看耳机", False),
])
def test_a_kind_corrected_is_told_apart_from_a_kind_switched(text, corrects):
    assert corrects_the_kind(text) is corrects


@pytest.mark.parametrize("text, dropped", [
    ("颜色无所谓了 一千以内 音质好点的", {"color"}), ("价格不限 要最好的", {"budget"}), ("不看价格 最好的是哪个", {"budget"}), ("尺码都行", {"size"}),
    ("不限牌子 颜色也无所谓", {"brand", "color"}), ("什么色都可以", {"color"}), ("多大码都行", {"size"}),
    ("黑色都行", set()), ("42码都行", set()), ("要黑色的", set()),
])
def test_conditions_the_customer_lets_go(text, dropped):
    assert dropped_conditions(text) == dropped


@pytest.mark.parametrize("budget, price", [
    ("一起", False), ("一下", False), ("三百以内", True), ("5块", True), ("几十", True), ("两三百", True), ("9", True),
])
def test_a_budget_the_nlu_marked_names_a_price(budget, price):
    assert names_a_price(budget) is price


def test_a_generic_word_the_nlu_marks_as_a_kind_names_no_kind():
    assert ShoppingConditions.from_slots({"product_category": "东西", "budget": "两百以内"}).product_category is None
    assert ShoppingConditions.from_slots({"product_category": "玩具"}).product_category == "玩具"


@pytest.mark.parametrize("text, keeps", [
    ("同样的预算，篮球鞋也看看", True), ("咖啡也要这个价位的", True), ("耳机也按这个预算看看", True),
    ("咖啡也整点 差不多价位的", True), ("那pad呢 同样的价", True),
    ("篮球鞋也看看", False), ("预算提高到六百", False),
])
def test_a_budget_said_to_go_with_the_next_kind(text, keeps):
    assert ("budget" in kept_conditions(text)) is keeps


@pytest.mark.parametrize("text, value, price", [
    ("对了 十来天前签收的那单还能换吗", "十来", False),  # days, where it stands
    ("三百以内的跑鞋", "三百以内", True),
    ("纯棉T 100块以内吧", "100块以内", True),  # after a Latin letter, still a price
    ("俩一起买包邮吗", "一起", False),
    ("小米14多少钱", "14多", False),  # the number of a model the catalog sells
    ("小米的1400多的有吗", "1400多", True),
    ("洗发水80到120有吗", "80到120", True),  # 水80 is in a title (水 800ml), but 水 ends a kind's name
    ("那先推荐个别的进口奶粉 300以内 2段", "2段", False),  # a formula's stage, its measure inside the span
    ("学生党能优惠个几十块不", "几十块", False), ("再减50我就买", "50", False),  # how much off, no price
    ("这个降到100以内我就入", "100以内", True),  # a new ceiling
    ("学生党 再便宜点 一百左右", "一百左右", True), ("最少两千的手机", "两千", True), ("下回买国产的 比爱他美便宜点 200以内", "200以内", True),
])
def test_a_budget_entity_is_a_price_where_it_stands(text, value, price):
    start = text.index(value)
    entity = {"entity": "budget", "value": value, "start": start, "end": start + len(value)}
    assert is_a_price(entity, text) is price
    # offsets that do not point at the value (a repaired entity): the value alone decides
    assert is_a_price({**entity, "start": 0, "end": 1}, text) is (value not in ("一起", "2段"))


@pytest.mark.parametrize("text, value, size", [
    ("小米14 白色的", "14", False),  # the number of a model the catalog sells
    ("华为mate60 白色", "60", False),
    ("耐克42的有吗", "42", True),  # 耐克42 names no model
    ("赤兔6 42码", "42", True),
    ("我穿42", "42", True),
    ("三星s24有没", "s", False), ("要XL码的", "XL", True), ("黑色 M", "M", True), ("那黄色还剩哪些码", "码", False),
    ("有没有飞马40", "40", False),  # the model by its nickname (Pegasus 40)
])
def test_a_size_entity_is_no_model_number(text, value, size):
    start = text.index(value)
    assert is_a_size({"entity": "size", "value": value, "start": start, "end": start + len(value)}, text) is size


def test_a_part_of_the_body_is_no_kind():
    text = "降噪不要了 耳道小 半入耳的舒服"
    assert not is_a_condition({"entity": "product_category", "value": "耳道", "start": 6, "end": 8}, text)
    assert is_a_condition({"entity": "product_category", "value": "耳机", "start": 0, "end": 2}, "耳机有吗")


@pytest.mark.parametrize("text, size_before, size", [
    ("28也行", "27", "28"), ("那28吧", "27", "28"), ("43的呢", "42", "43"), ("换41码", "42", "41"),
    ("28也行", None, None),  # no size given before: a bare number may be a price
    ("28也行", "L", None),
    ("80也行", "42", None),  # too far from the size to be one
    ("28以内", "27", None), ("28块也行", "27", None),  # price words
])
def test_a_bare_number_near_the_size_given_is_a_size(text, size_before, size):
    assert size_said_again(text, size_before) == size


def test_a_need_without_brand_words_keeps_what_names_no_brand():
    assert without_brand_words("韦德之道11 43码 太贵了 一千以内能实战的") == "43码 太贵了 一千以内能实战的"
    assert without_brand_words("想要耐克的跑鞋 要缓震 42") == "要缓震 42"
    assert without_brand_words("空军一号 白色") == "白色"


@pytest.mark.parametrize("cheaper, text, earlier, prices, budget", [
    (True, "有没有便宜点的", None, [500, 700], "599以内"),  # under the shown ones' average
    (True, "有没有便宜点的 学生没钱", "五百左右", [599, 459, 499], "400以内"),  # under the floor of the range said
    (True, "两千多 有没有平替", None, [2150], "716以内"),  # a stand-in costs a fraction
    (True, "便宜点的", None, [], None),
    (False, "有没有好点的 贵点也行", "300以内", [269, 219], "300以上"),  # over the ceiling said
    (False, "有没有贵一点好一点的", None, [1488], "1489以上"),  # over what is shown
    (False, "贵点也行", None, [], None),
    (True, "便宜一半的有吗", "六百以内", [329, 299], "300以内"),  # half the ceiling said
    (True, "太贵了 一半的价能买啥", None, [3000, 3200], "1550以内"),  # half what is shown
])
def test_a_budget_moved_by_cheaper_or_pricier_words(cheaper, text, earlier, prices, budget):
    assert shifted_budget(cheaper, text, earlier, prices) == budget


@pytest.mark.parametrize("text, budget, complained", [
    ("卧槽两千多 有没有平替", "两千多", True), ("一万多太贵了", "一万多", True),
    ("两千多的有吗", "两千多", False), ("太贵了 500以内的有吗", "500以内", False), ("别太贵 一千多", "一千多", False),
])
def test_a_price_said_while_complaining_of_it_is_no_budget(text, budget, complained):
    assert names_the_price_complained_of(text, budget) is complained


def test_a_price_well_under_those_shown_is_wished_for_though_said_with_a_complaint():
    assert not names_the_price_complained_of("太贵了 一百多的有吗", "一百多", [399, 459])
    assert not names_the_price_complained_of("有没平替 一百多的", "一百多", [390])
    assert names_the_price_complained_of("卧槽两千多 有没有平替", "两千多", [2499, 2199])


@pytest.mark.parametrize("text, brand, owned", [
    ("我自己用的iphone13 想给我妈换个手机", "iphone", True), ("宝宝一直喝爱他美 这次想给他买点玩的", "爱他美", True),
    ("家里有台ipad了 想再整个笔记本", "ipad", True), ("刚买了个apple watch 还想挑个平板", "apple", True),
    ("用海飞丝好几年了 屑是没了", "海飞丝", True), ("我那个科颜氏洗面奶快用完了", "科颜氏", True),
    ("想要华为的手表", "华为", False), ("有没有耐克的", "耐克", False), ("我想买个苹果手机", "苹果", False),
])
def test_a_brand_the_customer_has_is_no_condition(text, brand, owned):
    start = text.find(brand)
    entity = {"entity": "brand", "value": brand, "start": start, "end": start + len(brand)}
    assert is_a_condition(entity, text) is not owned


@pytest.mark.parametrize("text, brand, complained", [
    ("华为那个有点贵 一千以内的有没", "华为", True), ("索尼的太贵了 有没有别的", "索尼", True),
    ("苹果家价格偏贵 五千以内看看", "苹果", True), ("戴森这个也太贵了吧", "戴森", True), ("大鹅买不起 1000以内", "大鹅", True),
    ("索尼的贵点也行", "索尼", False), ("华为有没有3000以内的", "华为", False), ("要耐克的 贵一点的", "耐克", False),
    ("下回买国产的 比爱他美便宜点 200以内", "爱他美", True), ("bose那单取消吧 看看2000以内的降噪耳机", "bose", True),
])
def test_a_brand_said_to_cost_too_much_or_measured_against_is_no_condition(text, brand, complained):
    start = text.find(brand)
    entity = {"entity": "brand", "value": brand, "start": start, "end": start + len(brand)}
    assert is_a_condition(entity, text) is not complained


@pytest.mark.parametrize("text, brand, left", [
    ("我自己用的iphone13 想给我妈换个手机 一千多块的就行", "iphone", "想给我妈换个手机 一千多块的就行"),
    ("刚买了个apple watch 还想给我老婆挑个平板", "apple", "还想给我老婆挑个平板"),
    ("我用的华为mate60想给儿子买个手表", "华为", "想给儿子买个手表"),  # no space: only the owned words go
    ("我自己擦的兰蔻菁纯 想给我妈也买个面霜", "兰蔻", "想给我妈也买个面霜"),
])
def test_what_the_customer_has_is_taken_out_of_the_search_words(text, brand, left):
    start = text.find(brand)
    assert without_owned(text, [(start, start + len(brand))]).strip() == left


@pytest.mark.parametrize("new, old, combined", [
    ("一千二", "一千五以内", "1200以内"),  # 不对 一千二 说多了: the bound said before, moved
    ("800", "500以上", "800以上"),
    ("一千二左右", "一千五以内", None),  # its own shape: it replaces the old one
    ("一千二", "1000到1500", None),
    ("一两百", "三百以上", None), ("三四百", "200以内", None),  # two amounts: a range of their own
])
def test_an_amount_said_alone_moves_the_bound_said_before(new, old, combined):
    from bot.dialogue.conditions import combined_budget
    assert combined_budget(new, old) == combined


def test_a_single_character_no_colour_is_read_as_is_no_colour_condition():
    text = "再加个猪肉脯 良品铺子那个还有货吧"
    start = text.index("猪")
    assert not is_a_condition({"entity": "color", "value": "猪", "start": start, "end": start + 1}, text)
    assert is_a_condition({"entity": "color", "value": "黑", "start": 0, "end": 1}, "黑的有吗")


@pytest.mark.parametrize("new, old, combined", [
    ("上限放到三百", "一两百", "100到300"),
    ("上限压到七百", "大几百", "500到700"),  # lowered, the floor still stands
    ("下面放到一百五", "两三百", "150到300"),
    ("上限压到550", "五百左右", None),  # 左右 only guessed the floor
])
def test_one_end_of_a_range_named_keeps_the_other(new, old, combined):
    from bot.dialogue.conditions import combined_budget
    assert combined_budget(new, old) == combined


@pytest.mark.parametrize("new, old, text, combined", [
    ("4000起", "5000到6000", "下限也放低点 4000起", "4000到6000"),  # the floor moved, the ceiling stays
    ("500以内", "两三百", "预算提到500", "200到500"),  # the ceiling raised, the floor said stays
    ("不能低于两百", "300以内", "要抗老的 不能低于两百", "200到300"),
    ("五百以内", "两三百", "五百以内吧", None),  # a new budget, no end named: it replaces the old
    ("500以内", "五百左右", "预算提到500", None),
    ("300以上", "200到500", "跟耳机一起 300以上", None),  # 一起 names no floor
    ("一千以内", "三四百", "加到购物车了 一千以内的也看看", None),  # nor 加到购物车 a ceiling
])
def test_one_end_named_in_the_message_keeps_the_other(new, old, text, combined):
    from bot.dialogue.conditions import combined_budget
    assert combined_budget(new, old, text) == combined


def test_a_place_a_price_was_seen_is_no_brand():
    text = "奥莱才三百的耐克有吗"
    assert not is_a_condition({"entity": "brand", "value": "奥莱才", "start": 0, "end": 3}, text)
    assert is_a_condition({"entity": "brand", "value": "耐克", "start": 6, "end": 8}, text)


@pytest.mark.parametrize("text, like", [
    ("跟AirPods Pro差不多价位的", "AirPods Pro"), ("和Mate60价格差不多的有吗", "Mate60"), ("差不多价位的", None),
])
def test_the_product_a_budget_is_to_be_like(text, like):
    assert priced_like(text) == like


@pytest.mark.parametrize("text, present", [("送两岁小朋友 两百左右", True), ("侄子满月 送点啥", True),
                                           ("送给外甥女的", True), ("送货到家 孩子在家", False),
                                           ("宝宝喝的 送到哪", False), ("每天送孩子上学 有啥推荐的", False)])
def test_a_present_for_a_child_needs_no_gift_word(text, present):
    assert is_gift_without_category(None, text) is present


def test_the_money_kept_for_another_kind_in_few_words():
    assert "budget" in kept_conditions("要不还是整个平板吧 钱一样")
    assert "budget" in kept_conditions("价格也一样")


def test_a_price_asked_alike_keeps_no_budget():
    assert "budget" not in kept_conditions("黑色白色价格一样吗")


@pytest.mark.parametrize("text, before, again", [("那28的呢", "27码", "28"), ("那28的呢", "27", "28"), ("那28的呢", None, None),
                                                 ("42也行", "四十一码", "42"), ("那28的呢", "L", None)])
def test_a_size_said_again_near_the_size_slot_as_said(text, before, again):
    assert size_said_again(text, before) == again


@pytest.mark.parametrize("text, budget, computer", [
    ("大学生 想买个mac 七千以内", "七千以内", True), ("mac pro 剪视频够用吗", None, True), ("有mac的吗 一万左右", "一万左右", True),
    ("mac口红有哪些色号", None, False), ("MAC 子弹头 chili", None, False), ("mac的 三百以内", "三百以内", False),
    ("想买个mac", None, False),  # nothing else said: the brand the catalog carries
    ("macbook air 多少钱", None, False),  # macbook names Apple itself
])
def test_mac_is_apples_computer_only_where_the_words_say_so(text, budget, computer):
    assert mac_computer_meant(text, budget) is computer


@pytest.mark.parametrize("text, budget", [
    ("mac的散粉 学生党用", None), ("mac的气垫 学生党", None), ("mac的护手霜 办公室用", None),
    ("送女朋友mac 预算1500", "预算1500"), ("mac礼盒 1000左右", "1000左右"),
])
def test_make_up_shoppers_are_never_sent_to_laptops(text, budget):
    assert not mac_computer_meant(text, budget)


@pytest.mark.parametrize("text", ["mac mini 有吗", "imac 多少钱", "mac 做设计用"])
def test_apples_desktops_are_computers_too(text):
    assert mac_computer_meant(text, None)


@pytest.mark.parametrize("text, allowed", [("有没有更百搭一点的 休闲鞋也行", True), ("跑鞋也可以吧", True),
                                           ("黑色的就行", False), ("也行吧", False), ("休闲鞋行不行", False)])
def test_another_kind_allowed_beside_the_one_searched(text, allowed):
    assert another_kind_allowed(text) is allowed


@pytest.mark.parametrize("text", ["那看看耳机 贵点也行", "换个羽绒服看看 颜色深一点也行"])
def test_a_condition_loosened_allows_no_other_kind(text):
    assert not another_kind_allowed(text)


@pytest.mark.parametrize("text, anything_else", [
    ("你们这还有啥好东西 推荐推荐", True), ("别的东西也看看", True), ("还有啥好物推荐", True),
    ("还有别的吗", False), ("有别的颜色吗", False), ("还有别的耳机吗", False), ("这东西还有别的颜色吗", False),
    ("还有什么好东西 想给我妈买个生日礼物", False), ("还有什么东西比这个便宜", False), ("我还有东西没收到", False),
])
def test_other_things_than_the_kind_looked_at(text, anything_else):
    assert asks_for_anything_else(text) is anything_else
