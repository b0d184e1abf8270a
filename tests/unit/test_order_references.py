"""Which listed order a reply means, and sizes one up or down."""

import pytest

from bot.dialogue.order_references import (
    holds_item_named, item_talked_about, leaves_order_request, names_only_an_item, order_asked_about,
    order_under_way_named, referenced_order,
)
from bot.language.sizes import next_size
from bot.orders.models import Order, OrderItem

ORDERS = [
    Order("DD1", "c", "已发货", (OrderItem("S1", "联想 小新 Pro 14 笔记本电脑", 4999, 1),), 4999, created_at=300),
    Order("DD2", "c", "待发货", (OrderItem("S2", "飞鹤 星飞帆 婴儿奶粉 2段", 299, 1),), 299, created_at=200),
    Order("DD3", "c", "已签收", (OrderItem("S3", "索尼 WH-1000XM5 头戴式耳机", 2499, 1),), 2499, created_at=100),
]


@pytest.mark.parametrize("text, order_id", [
    ("第一个", "DD1"), ("第三个", "DD3"), ("最近那单", "DD1"), ("对 就是刚才那个", "DD1"),
    ("还没发货的那个 啥时候能发", "DD2"), ("笔记本那单", "DD1"), ("奶粉", "DD2"), ("耳机那个", "DD3"),
    ("还没到的那个", "DD1"), ("没收到的那单", "DD1"), ("发货了的那个", "DD1"), ("已经签收的那个", "DD3"),
])
def test_the_order_a_reply_means(text, order_id):
    assert referenced_order(text, ORDERS).id == order_id


@pytest.mark.parametrize("text, order_id", [
    ("我的快递到哪了", "DD1"), ("物流怎么不动了", "DD1"), ("怎么还没发货", "DD2"), ("退款什么时候到账", None),
    ("帮我看看订单", None),
])
def test_a_question_fits_the_only_order_it_can_be_about(text, order_id):
    found = order_asked_about(text, ORDERS)
    assert (found.id if found else None) == order_id


def test_the_refund_under_way_named_by_its_state():
    refunding = [ORDERS[0], Order("DD4", "c", "退款中", ORDERS[2].items, 2499, created_at=50)]
    assert referenced_order("退款那单 进度咋样了", refunding).id == "DD4"
    assert referenced_order("退款的那个呢", refunding).id == "DD4"


def test_a_question_that_fits_several_orders_picks_none():
    two_in_transit = [ORDERS[0], Order("DD4", "c", "已发货", ORDERS[1].items, 299, created_at=50)]
    assert order_asked_about("我的快递到哪了", two_in_transit) is None


DAY = 86400.0
NOW = 100 * DAY
BY_TIME = [
    Order("DD7", "c", "待付款", ORDERS[0].items, 1, created_at=NOW - 0.1 * DAY),
    Order("DD8", "c", "已签收", ORDERS[1].items, 1, created_at=NOW - 6 * DAY, signed_at=NOW - 3 * DAY),
    Order("DD9", "c", "已签收", ORDERS[2].items, 1, created_at=NOW - 15 * DAY, signed_at=NOW - 12 * DAY),
]


@pytest.mark.parametrize("text, order_id", [
    ("就是上周买的那个", "DD8"), ("半个月前那单", "DD9"), ("十二天前收到的", "DD9"), ("12天前签收那单", "DD9"),
    ("前几天到的那个", "DD8"), ("最近那单", "DD7"), ("两周前买的那个", "DD9"), ("1个星期前那单", "DD8"),
])
def test_an_order_placed_in_time(text, order_id):
    assert referenced_order(text, BY_TIME, now=NOW).id == order_id


@pytest.mark.parametrize("text, order_id", [
    ("4999那个订单 帮我看下", "DD1"), ("二百九十九那单到了没", "DD2"), ("2499块那个", "DD3"), ("43码那个", None),
    ("200多那单啥情况了", "DD2"), ("两千多的那个", "DD3"), ("五千左右那单", "DD1"),
])
def test_an_order_named_by_what_was_paid(text, order_id):
    found = referenced_order(text, ORDERS)
    assert (found.id if found else None) == order_id


def test_a_colour_answers_which_order_when_the_question_named_the_kind():
    jackets = [Order("DD1", "c", "待发货", (OrderItem("S1", "鸭鸭 女士中长款羽绒服", 599, 1, color="米色"),), 599,
                     created_at=300),
               Order("DD2", "c", "已签收", (OrderItem("S2", "李宁 男子短款羽绒服", 699, 1, color="白色"),), 699,
                     created_at=200)]
    assert referenced_order("米色那件 女款的", jackets, asked_with="羽绒服到了没").id == "DD1"
    assert referenced_order("白色那件", jackets, asked_with="羽绒服到了没").id == "DD2"
    assert referenced_order("米色那件", jackets) is None  # a colour alone names no order


def test_the_size_bought_picks_the_order_where_the_kind_fits_two():
    jackets = [Order("DD1", "c", "待发货", (OrderItem("S1", "鸭鸭 女士中长款羽绒服", 599, 1, color="米色", size="S"),),
                     599, created_at=300),
               Order("DD2", "c", "已签收", (OrderItem("S2", "李宁 男子短款羽绒服", 699, 1, color="白色", size="XXL"),),
                     699, created_at=200)]
    assert referenced_order("羽绒服那单想改下尺码 S换M", jackets, unique=True).id == "DD1"
    assert referenced_order("羽绒服XXL太大了 想换XL", jackets, unique=True).id == "DD2"  # (XL is no XXL)
    assert referenced_order("羽绒服想换M", jackets, unique=True) is None  # the size wanted names no order
    assert referenced_order("S码那个", jackets, unique=True) is None  # a size alone names no order
    assert referenced_order("羽绒服太大了 想换S", jackets, unique=True) is None  # the size wanted names none


def test_an_order_named_by_the_courier_carrying_it():
    carried = [Order("DD5", "c", "已发货", ORDERS[0].items, 1, created_at=300, courier="圆通速递"),
               Order("DD6", "c", "已发货", ORDERS[1].items, 1, created_at=200, courier="顺丰速运")]
    assert referenced_order("顺丰那个", carried).id == "DD6"
    assert referenced_order("圆通的那单", carried).id == "DD5"
    # two parcels with one courier: a change waits for the customer to choose
    both = [carried[0], Order("DD4", "c", "已发货", ORDERS[2].items, 1, created_at=100, courier="圆通速递")]
    assert referenced_order("圆通那个", both, unique=True) is None
    # the item named decides over the courier
    assert referenced_order("奶粉那单 顺丰还是圆通", carried).id == "DD6"


@pytest.mark.parametrize("text", ["随便", "你好"])
def test_no_order_named(text):
    assert referenced_order(text, ORDERS) is None


@pytest.mark.parametrize("size, step, expected", [
    ("41", 1, "42"), ("M", 1, "L"), ("XXXL", 1, None), ("2段", 1, "3段"), ("30", -1, "29"), ("均码", 1, None),
])
def test_next_size(size, step, expected):
    assert next_size(size, step) == expected


@pytest.mark.parametrize("text, fragments", [
    ("小米14和vivoX100哪个拍照好点", ["小米14", "vivox100"]),
    ("iPhone15和华为Mate60怎么选", ["iphone15", "华为mate60"]),
    ("小米平板6有货吗", ["小米平板6"]),
    ("mate60pro现在啥价", ["mate60pro"]),
    ("潘婷那个修护的没货了？", ["潘婷修护"]),  # the stock words are no part of the name
    ("KT9白色44还有吗", ["kt9"]),  # the size after the colour goes with it
    ("小米14 黑色256的", ["小米14 256"]),  # 256 is no shoe size
])
def test_named_products_are_split_from_the_question(text, fragments):
    from bot.dialogue.named_products import name_fragments
    assert name_fragments(text) == fragments


def test_a_search_result_counts_only_when_it_is_the_named_model():
    from bot.dialogue.named_products import pick_named
    rows = [{"title": "vivo X100 Pro 16GB+512GB"}, {"title": "vivo X100 12GB+256GB"}, {"title": "vivo Y78"}]
    assert pick_named("vivox100", rows) == rows[0]
    assert pick_named("vivo y78", rows) == rows[2]
    assert pick_named("vivo x200", rows) is None
    assert pick_named("华为手表", rows) == rows[0]  # no model named: the search's best


def test_digits_inside_other_numbers_name_no_model():
    from bot.dialogue.named_products import names_a_model, pick_named
    rows = [{"title": "华为 MateBook 14 2024 酷睿 Ultra5 16GB+1TB"}, {"title": "小米 14 12GB+256GB"}]
    assert pick_named("42", rows) is None
    assert pick_named("小米14", rows) == rows[1]
    assert not names_a_model("42码") and not names_a_model("50以内") and names_a_model("那就看看Mate60")


@pytest.mark.parametrize("text, intent, leaves", [
    ("算了不退了 帮我看看连衣裙", "request_recommendation", True),
    ("行 另外想买瓶控油的洗发水", "request_recommendation", True),
    ("等下 先帮我看看男士羽绒服 L码 800以内", "request_recommendation", True),
    ("不退了 就那个耳机吧", "affirm", True),  # withdrawn, whatever else is named
    ("笔记本那单", "request_recommendation", False),
    ("第一个", "affirm", False),
    ("奶粉", "inform_preference", False),
    ("行 接着看刚才的 44码", "ask_size_advice", True),
    ("刚才那单", "affirm", False),
    ("预算别超过500", "inform_preference", True),  # a budget is said of products to buy
    ("行 鞋子白色的有吗", "check_stock", True),
    ("那双还有货吗", "check_stock", False),
    ("嗯 刚才的电脑 要笔记本", "request_recommendation", True),  # the products looked at before
    ("刚才的耳机要退", "request_recommendation", False),
    ("好的 刚才的手机 有没有小米的", "request_recommendation", True),  # the phones shown, not the newest order
    ("奶粉还是看刚才那个价的进口的", "inform_preference", True),
    ("我还是看不到物流信息", "query_order_status", False), ("刚才的快递有没有消息", "query_order_status", False),
    ("那就再来一罐君乐宝的 3段", "inform_preference", True),  # a new one bought, whatever the order holds
    ("好 手机那个看看蓝色的", "inform_preference", True),  # a colour to look at is shopping
    ("那个蓝色的要退", "request_return_refund", False),
    ("面霜要保湿的，干皮用", "inform_preference", True),  # a wish for products, though an order holds a 保湿面霜
    ("那个要退的", "affirm", False),
    ("好的。刚才那两台电脑哪个好", "affirm", True),  # several products at once are those on the screen
    ("这两天买的那单", "affirm", False),  # 这两天 is when, not which products
    ("77块那个面霜呢", "request_recommendation", False), ("388那个", "inform_preference", False),  # sums paid
])
def test_a_message_that_turns_to_something_else_is_no_answer_to_which_order(text, intent, leaves):
    assert leaves_order_request(text, intent) is leaves


def test_digits_of_a_budget_name_no_order_item():
    from bot.dialogue.order_references import _item_score
    item = OrderItem("S9", "潘婷 乳液修护洗发露 750ml", 69, 1)
    assert not _item_score("预算别超过500", set(), item)
    assert _item_score("洗发露那单", set(), item)


BOUGHT = [
    Order("DD20", "c", "待付款", (OrderItem("S1", "耐克 Precision 6 男子入门实战篮球鞋", 399, 1, color="黑色"),), 399,
          created_at=600),
    Order("DD21", "c", "待发货", (OrderItem("S2", "耐克 Air Force 1 '07 空军一号男子小白鞋", 799, 1, color="黑色"),
                                  OrderItem("S3", "鸭鸭 女士中长款过膝连帽羽绒服", 599, 1, color="米色")), 1398,
          created_at=500),
    Order("DD22", "c", "已发货", (OrderItem("S4", "爱他美 卓萃 白金版 婴幼儿配方奶粉 900g", 388, 1),), 388,
          created_at=400),
    Order("DD23", "c", "退款中", (OrderItem("S5", "旁氏 米粒净透洁面乳 120g", 36, 2),), 72, created_at=300),
    Order("DD24", "c", "已签收", (OrderItem("S6", "李宁 男子运动保暖短款连帽羽绒服", 699, 1, color="白色"),), 699,
          created_at=200),
]


@pytest.mark.parametrize("text, order_id", [
    ("那我要退那件李宁羽绒服", "DD24"), ("白色那件羽绒服", "DD24"), ("米色的羽绒服", "DD21"),
    ("空军一号", "DD21"),  # a name, though 一号 is also the first of a list
    ("退款的洗面奶钱还没到", "DD23"),  # the item decides; 没到 is said of the money
    ("还没到的那个", "DD22"), ("羽绒服", "DD21"),
])
def test_the_order_whose_item_is_named_best(text, order_id):
    assert referenced_order(text, BOUGHT).id == order_id


def test_words_fitting_several_orders_equally_pick_none_for_a_change():
    assert referenced_order("羽绒服那单", BOUGHT, unique=True) is None
    assert referenced_order("李宁羽绒服那单", BOUGHT, unique=True).id == "DD24"


def test_a_model_to_buy_in_chinese_counts_only_without_a_budget():
    from bot.dialogue.named_products import names_a_model_to_buy
    assert names_a_model_to_buy("想入一双飞电3", number_said=False)
    assert not names_a_model_to_buy("小米14 三千以内", number_said=True)  # the digits may be the budget's
    assert not names_a_model_to_buy("白色41", number_said=True)  # or the size's
    assert names_a_model_to_buy("mate60 三千以内", number_said=True)


@pytest.mark.parametrize("text, alone", [
    ("牛仔裤", True), ("那件白色T恤", True), ("面霜那单", True), ("推荐个耳机", False), ("要黑色的", False),
    ("算了", False), ("白色的吧", False), ("三百以内", False),
])
def test_an_item_alone_answers_which_order(text, alone):
    assert names_only_an_item(text) is alone
    assert leaves_order_request(text, "request_recommendation") is not alone


@pytest.mark.parametrize("text", ["跟它一起买的耳机呢", "同一单里的那个呢", "一起下单的那个到哪了"])
def test_an_item_bought_with_the_order_in_focus_means_that_order(text):
    assert referenced_order(text, ORDERS, focus="DD2").id == "DD2"
    assert referenced_order("耳机呢", ORDERS, focus="DD2").id == "DD3"  # named alone, the item's own order


def test_a_change_means_the_order_of_that_item_still_open():
    refunded = Order("DD30", "c", "退款中", BOUGHT[4].items, 699, created_at=700)
    assert referenced_order("李宁羽绒服", [refunded, *BOUGHT], unique=True).id == "DD24"
    assert referenced_order("李宁羽绒服", [refunded, *BOUGHT]).id == "DD24"  # its status too: the open one
    assert referenced_order("退款的那件李宁羽绒服", [refunded, *BOUGHT]).id == "DD30"  # unless the refund is asked about


@pytest.mark.parametrize("text, order_id, holds", [
    ("那连衣裙呢 发了没", "DD21", False), ("没发货那件羽绒服能改成M码吗", "DD21", True), ("洗面奶的钱呢", "DD23", True),
    ("大概什么时候能到", "DD22", False),
])
def test_whether_the_words_name_an_item_of_the_order(text, order_id, holds):
    assert holds_item_named(text, next(order for order in BOUGHT if order.id == order_id)) is holds


def test_an_item_whose_title_names_no_kind_is_found_by_its_catalog_category():
    nuts = OrderItem("SKU10162", "三只松鼠 奶油味夏威夷果 265g", 29.9, 2, category="零食")
    cream = OrderItem("SKU10132", "理肤泉 B5 多效修复霜 40ml", 118, 1, category="面霜")
    orders = [Order("DD41", "c", "已发货", (nuts,), 59.8, created_at=200),
              Order("DD42", "c", "待发货", (cream,), 118, created_at=100)]
    assert holds_item_named("坚果到哪了", orders[0])
    assert referenced_order("面霜那单", orders).id == "DD42"
    assert referenced_order("零食那个", orders).id == "DD41"
    # without the category the title's words are all there is
    untold = Order("DD43", "c", "已发货", (OrderItem("SKU10162", nuts.title, 29.9, 2),), 59.8, created_at=200)
    assert not holds_item_named("坚果到哪了", untold)


def test_received_shoes_are_the_signed_for_pair_not_a_title_piece_across_two_words():
    vans = Order("DD25", "c", "已签收", (OrderItem("S7", "万斯 Old Skool 经典侧边条纹低帮板鞋", 469, 1, color="藏青"),), 469,
                 created_at=100)
    assert referenced_order("收到的鞋子小了 能换大一码吗", [*BOUGHT, vans], unique=True).id == "DD25"


def test_the_request_asked_with_picks_among_the_orders_the_reply_fits():
    vans = Order("DD25", "c", "已签收", (OrderItem("S7", "万斯 Old Skool 经典侧边条纹低帮板鞋", 469, 1),), 469,
                 created_at=100)
    orders = [*BOUGHT, vans]  # two signed-for orders: the down jacket (newer) and the trainers
    assert referenced_order("就是已经签收的那双", orders).id == "DD24"
    assert referenced_order("就是已经签收的那双", orders, asked_with="我要退货 鞋子磨脚").id == "DD25"


def test_the_item_of_an_order_talked_about():
    two = Order("DD4", "c", "已签收", (OrderItem("S4", "安踏 KT8 男子篮球鞋", 899, 1),
                                     OrderItem("S5", "太平鸟 男装 复古水洗锥形牛仔裤", 399, 1)), 1298, created_at=50)
    # the newest text naming one item wins; a text naming none leaves it to the one before
    assert item_talked_about(two, ["帮我找条别的 L 蓝色", "篮球鞋跟牛仔裤那单 裤子要退 腰大了"]).product_id == "S5"
    assert item_talked_about(two, ["篮球鞋再来一双", "裤子要退"]).product_id == "S4"
    assert item_talked_about(two, ["帮我找条别的", "那单要退"]) is None  # neither named: none guessed
    assert item_talked_about(ORDERS[0], ["帮我找个别的"]).product_id == "S1"  # its only item
    shoes_and_jeans = Order("DD5", "c", "已签收", (OrderItem("S6", "匡威 Chuck 70 经典高帮帆布鞋 男女同款", 569, 1),
                                                 OrderItem("S7", "李维斯 501 经典直筒男士牛仔裤", 699, 1)), 1268, created_at=40)
    # 同款 of a title (男女同款) names no item: 同款还有吗 asks again for the jeans named before it
    assert item_talked_about(shoes_and_jeans, ["之前买的那个李维斯牛仔裤穿着还行 同款还有吗"]).product_id == "S7"


def test_an_order_named_by_two_of_its_items_is_the_one_holding_both():
    jacket_and_shoes = Order("DD1", "c", "待发货", (
        OrderItem("S1", "鸭鸭 女士中长款过膝连帽羽绒服", 599, 1, category="羽绒服"),
        OrderItem("S2", "耐克 Air Force 1 '07 空军一号男子小白鞋", 799, 1, category="休闲鞋")), 1398, created_at=300)
    jacket = Order("DD2", "c", "已签收", (OrderItem("S3", "李宁 男子运动保暖短款连帽羽绒服", 699, 1, category="羽绒服"),),
                   699, created_at=200)
    assert referenced_order("羽绒服跟鞋那单 羽绒服不要了", [jacket_and_shoes, jacket], unique=True).id == "DD1"
    assert referenced_order("羽绒服那单", [jacket_and_shoes, jacket], unique=True) is None  # either


def test_two_items_of_one_kind_name_no_order_over_one_of_them():
    two_jackets = Order("DD1", "c", "待发货", (
        OrderItem("S1", "鸭鸭 女士中长款过膝连帽羽绒服", 599, 1, category="羽绒服"),
        OrderItem("S2", "雪中飞 男士轻薄立领羽绒服", 299, 1, category="羽绒服")), 898, created_at=300)
    one_jacket = Order("DD2", "c", "已签收", (OrderItem("S3", "李宁 男子运动保暖短款连帽羽绒服", 699, 1,
                                                        category="羽绒服"),), 699, created_at=200)
    assert referenced_order("羽绒服那单", [two_jackets, one_jacket], unique=True) is None


def test_the_parcel_under_way_named_is_the_one_named_best():
    tablet = Order("DD5", "c", "已发货", (OrderItem("S5", "苹果 iPad Air 11 英寸 平板电脑", 4799, 1),), 4799,
                   created_at=250)
    orders = [ORDERS[0], tablet, *ORDERS[1:]]
    # 电脑 names the laptop too; 平板电脑 names the tablet best
    assert order_under_way_named("平板电脑几天能到啊", orders) is tablet
    assert order_under_way_named("奶粉几天能到", orders) is ORDERS[1]
    assert order_under_way_named("耳机几天能到", orders) is None  # the headphones are signed for
    twice = [ORDERS[1], Order("DD6", "c", "已发货", ORDERS[1].items, 299, created_at=150)]
    assert order_under_way_named("奶粉几天能到", twice) is None  # which of two parcels: not guessed
