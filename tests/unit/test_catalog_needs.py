"""Needs in the customer's own words and the catalog tags they point to."""

import pytest

from bot.catalog.model import load_demo_catalog
from bot.catalog.needs import kinds_instead_of_owned, kinds_meeting_needs, needed_tags, needs_in, owned_at
from bot.catalog.vocabulary import kind_of_a_line_named, kinds_wanted_instead

CATALOG = load_demo_catalog()


def kinds(text):
    return kinds_meeting_needs(text, CATALOG.categories_with_tags, CATALOG.categories())


@pytest.mark.parametrize("text, tags", [
    ("给我爸用 屏幕大一点", {"长辈", "大屏"}),
    ("每天挤地铁 太吵了", {"降噪"}),
    ("平时要游泳", {"防水"}),
    ("我是油皮", {"控油", "清洁", "氨基酸"}),
    ("ESIM独立通话", {"esim"}),  # folded, as the catalog's tags are compared
    ("他不吃糖", {"无糖"}),
    ("给娃买个电话手表", {"esim"}),  # a watch to call with: its own SIM
    ("有没有轻一点的 我在广州 不用太厚", {"轻薄"}),
])
def test_needs_point_to_tags(text, tags):
    assert tags <= needed_tags(text)


@pytest.mark.parametrize("text", ["", "你好", "三百以内的"])
def test_words_that_name_no_need_point_to_no_tag(text):
    assert needed_tags(text) == frozenset()


def test_each_need_is_one_group_of_tags():
    needs = needs_in("她一用东西就过敏泛红 还要补水的")
    assert ("保湿",) in needs and any("敏感肌" in need for need in needs)
    assert len(needs_in("太吵了 有噪音")) == 1  # one need, said twice


@pytest.mark.parametrize("text, expected", [
    # the kind that meets the most needs: 出差 is met by many kinds, 零下 and 怕冻 by down jackets only
    ("下周去哈尔滨出差 零下二十几度 我一南方人怕冻成狗", ("羽绒服",)),
    ("男朋友周末都泡在篮球场 鞋底磨得都快穿了", ("篮球鞋",)),
    ("每天晚上绕小区跑个五公里 最近膝盖有点疼", ("跑步鞋",)),
    ("女儿三岁 天天在家拆家 想找点东西让她消停会儿", ("儿童玩具",)),
    # where the need is felt: 脸 wants a face product, though 熬夜 alone would want coffee
    ("最近老熬夜 脸又干又起皮 擦啥都刺刺的", ("洗面奶", "面霜")),
    ("最近老熬夜 困得不行", ("咖啡",)), ("每天早上困成狗 上班老打哈欠", ("咖啡",)),
    ("脸一到下午就油得反光", ("洗面奶",)),
    ("脸上老冒痘 还油的一批", ("洗面奶",)),
    ("主要怕冷 山顶风老大了", ("羽绒服",)),
])
def test_a_need_told_as_a_plight_names_the_kinds_that_meet_it(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize("text", [
    "我要投诉", "冻干咖啡来一盒", "",
    # 老人 (大屏) is met by four kinds: a guess, not a reading
    "给家里老人买点东西",
])
def test_no_need_or_too_many_kinds_names_none(text):
    assert kinds(text) == ()


@pytest.mark.parametrize("text, expected", [
    ("晚上下班绕着小区跑 脚上穿啥好", ("跑步鞋",)),  # running, on the feet
    ("每天挤地铁 脚上要穿着舒服的 男 42", ("跑步鞋", "篮球鞋", "休闲鞋")),  # 地铁 is an earphone's need, not the feet's
    ("夏天去三亚 女生海边拍照穿的 好看点", ("连衣裙",)),  # 拍照 is a phone's need, but what is worn is asked
    ("打球穿的", ("篮球鞋",)),
])
def test_where_it_is_worn_keeps_the_kinds_worn_there(text, expected):
    assert kinds(text) == expected


def test_the_feet_name_no_shoes_a_shop_does_not_sell():
    assert kinds_meeting_needs("脚上穿啥好", CATALOG.categories_with_tags, ("手机", "蓝牙耳机")) == ()
    assert kinds("拍照好看的") == ("手机",) and kinds("穿透力强的") == ()


def test_only_the_catalogs_kinds_are_named():
    # a shop without face products: 脸 names nothing it sells
    assert kinds_meeting_needs("脸又干又起皮", lambda tags: ("洗发水",) if "保湿" in tags else (), ("洗发水",)) \
        == ("洗发水",)


@pytest.mark.parametrize("text, expected", [
    # the kind named is what the customer has; the need it leaves names another
    ("孩子这学期网课特别多 一直用我手机上 屏幕太小了 看得眼睛都花了", ("平板电脑",)),
    ("每天坐地铁通勤 车厢里吵死了 手机外放开到最大都听不清", ("蓝牙耳机",)),
    ("跑步的时候手机揣兜里一颠一颠的 其实就想随时看下配速和心率", ("智能手表",)),
    ("三岁儿子天天抱着平板看动画片 想给他找点别的能玩的", ("儿童玩具",)),
    ("孩子上二年级了 想随时能联系上他 但又不想这么早给他买手机", ("智能手表",)),
    # …or another kind named beside it
    ("周末跟同事打球老是崴脚 我一直穿的帆布鞋", ("篮球鞋",)),
    ("我爸每天拿手机刷视频 他那手机已经算大屏了", ("平板电脑",)),
])
def test_a_kind_one_has_gives_way_to_the_kind_wanted(text, expected):
    assert kinds_wanted_instead(text) == expected


@pytest.mark.parametrize("text", [
    "跑步戴的耳机有推荐吗",  # 戴的 describes the wanted earphones
    "我的手机屏碎了 想换个新手机",  # the owned kind is wanted again
    "想给我爸买个手机 他那手机太旧了",
    "手机太贵了 有便宜点的吗",  # no need left for another kind
    "一到冬天脸就干得起皮 化妆的时候卡粉",  # a face cream is still 化妆品
    "想买双跑鞋 膝盖不好",
])
def test_a_kind_wanted_or_still_meeting_the_need_stays(text):
    assert kinds_wanted_instead(text) == ()


def test_what_one_has_is_read_from_the_words_around_the_kind():
    text = "他那手机已经算大屏了"
    assert owned_at(text, 2, 4)
    assert not owned_at("想买个手机", 3, 5)
    # the kinds come from the caller's catalog: a shop without tablets wants nothing else here
    assert kinds_instead_of_owned("一直用我手机上 屏幕太小了", lambda word: ("手机",) if word == "手机" else (),
                                  ["手机"], lambda: ()) == ()


@pytest.mark.parametrize("words, current, kind", [
    (["macbook air"], ["平板电脑"], "笔记本电脑"),  # ipad → macbook air也看下: another kind
    (["空军一号"], ["跑步鞋", "篮球鞋", "休闲鞋"], "休闲鞋"),  # 鞋 → 空军一号: narrows
    (["苹果"], ["平板电脑"], None),  # a brand's own name covers all its kinds
    (["ipad"], ["平板电脑"], None),  # the kind searched already
    (["macbook"], [], None),  # nothing searched: the recommender reads the line itself
])
def test_a_line_marked_as_a_brand_names_its_kind(words, current, kind):
    assert kind_of_a_line_named(words, current) == kind


@pytest.mark.parametrize("text, brand, owned", [
    ("airpods又丢了一只 心在滴血 这回买个便宜的凑合用 两百以内", "airpods", True),
    ("李宁那件羽绒服薄得跟纸一样 冻成狗 想再买件厚实的 要鹅绒", "李宁", True),
    ("李宁的羽绒服有吗", "李宁", False),
    ("airpods又丢了一只 还有airpods吗", "airpods", False),  # nothing else asked for: the same again
])
def test_a_brand_lost_or_disliked_with_another_asked_for_is_no_condition(text, brand, owned):
    from bot.catalog.needs import owned_brand_at
    start = text.find(brand)
    assert owned_brand_at(text, start, start + len(brand)) is owned


@pytest.mark.parametrize("text, expected", [
    ("头皮屑多到不敢穿黑衣服了", ("洗发水",)),  # 穿 said, but no need of what is worn: the other kinds'
    ("送男生 鞋就算了 他穿多大码我也不知道 三百以内 他油皮 脸上老冒痘", ("洗面奶",)),
])
def test_wearing_said_with_no_need_of_what_is_worn_leaves_the_other_kinds(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("冬天穿得厚 嘴唇还是干", ("口红",)),  # where the need is felt outvotes the season's clothes
    ("冬天穿毛衣头发老起静电 毛躁", ("洗发水",)),
    ("鞋子穿了两天脚上磨出好几个泡", ()),  # the feet hurt by shoes had: nothing to wear asked
    ("上脚效果怎么样", ()),
])
def test_what_to_wear_is_read_only_when_asked(text, expected):
    assert kinds(text) == expected
