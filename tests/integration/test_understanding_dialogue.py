"""Messages that only make sense in their conversation, in natural text, through the real bot.

Real rasa server (our NLU, UnderstandingPolicy), action server, recommender, order system, Redis.
"""

from __future__ import annotations

import asyncio
import math
import time
import uuid

import pytest

from bot.catalog.model import load_demo_catalog
from tests.integration.conftest import seed_demo_customer
from tests.integration.test_conversation import cards, new_sender, say, texts, tracker
from tests.integration.test_customer_identity import say as say_as, token_for

CATALOG = load_demo_catalog()
SKINCARE = {"洗面奶", "面霜"}


def joined(replies: list) -> str:
    return "\n".join(texts(replies))


def test_a_budget_range_is_one_budget(rasa):
    sender = new_sender()
    shown = cards(say(rasa, sender, "有没有一百五到两百五的蓝牙耳机"))
    assert shown and all(c["category"] == "蓝牙耳机" and 150 <= c["price"] <= 250 for c in shown)
    assert tracker(rasa, sender)["slots"]["budget"] == "一百五到两百五"


def test_a_colour_change_while_browsing_is_not_an_exchange(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "想买条连衣裙"))
    blue = say(rasa, sender, "改成蓝色的吧")
    assert "登录" not in joined(blue) and "订单" not in joined(blue)
    assert cards(blue) and all(any("蓝" in color for color in c["colors"]) for c in cards(blue))
    black = cards(say(rasa, sender, "还是要黑色吧，蓝色不要了"))
    assert black and all(any("黑" in color for color in c["colors"]) for c in black)
    assert tracker(rasa, sender)["slots"]["color"] == "黑色"


def test_more_keeps_every_condition_and_shows_other_products(rasa):
    sender = new_sender()
    first = cards(say(rasa, sender, "三百以内的跑步鞋"))
    assert first
    more = say(rasa, sender, "还有别的吗")
    others = cards(more)
    if others:
        assert not {c["id"] for c in others} & {c["id"] for c in first}
        assert all(c["category"] == "跑步鞋" for c in others)
        assert all(c["price"] <= 300 for c in others) or "刚才那几款" in joined(more)
    else:
        assert "都给您看过了" in joined(more)


def test_a_brand_alone_shows_that_brands_products(rasa):
    shown = cards(say(rasa, new_sender(), "想看看三只松鼠的"))
    assert shown and all(c["brand"] == "三只松鼠" for c in shown)


def test_after_a_broad_need_a_bare_budget_keeps_the_context(rasa):
    sender = new_sender()
    first = cards(say(rasa, sender, "她喜欢护肤"))
    assert first and all(c["category"] in SKINCARE for c in first)
    cheap = cards(say(rasa, sender, "预算100以内"))
    assert cheap and all(c["category"] in SKINCARE and c["price"] <= 100 for c in cheap)


def test_an_attribute_said_once_ranks_the_next_cards_too(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "推荐个洗发水"))
    dandruff = cards(say(rasa, sender, "要去屑的"))
    assert any("去屑" in CATALOG.by_id(c["id"]).tags for c in dandruff)
    later = cards(say(rasa, sender, "一百以内"))
    assert later and all(c["price"] <= 100 for c in later)
    assert "去屑" in CATALOG.by_id(later[0]["id"]).tags


def test_cheaper_means_cheaper_than_what_was_shown(rasa):
    sender = new_sender()
    first = cards(say(rasa, sender, "推荐几款智能手表"))
    cheaper = cards(say(rasa, sender, "有便宜点的吗"))
    average = sum(c["price"] for c in first) / len(first)
    assert cheaper and all(c["price"] < average for c in cheaper)


def test_a_present_shows_what_people_give_and_asks_what_the_person_likes(rasa):
    reply = say(rasa, new_sender(), "下周老婆生日，想送她个礼物")
    assert "喜欢什么" in joined(reply)
    assert cards(reply) and all(card["category"] != "儿童玩具" for card in cards(reply))  # a grown-up: no toy
    sender = new_sender()
    asked = say(rasa, sender, "送男朋友生日礼物 五百左右")  # a budget names no liking: kinds men are given
    assert "喜欢什么" in joined(asked) and cards(asked)
    assert all(card["category"] not in ("口红", "儿童玩具") and card["price"] <= 600 for card in cards(asked))
    child = cards(say(rasa, new_sender(), "给上小学的表弟买礼物 一百以内"))
    assert child and all(card["category"] in ("儿童玩具", "零食") and card["price"] <= 100 for card in child)
    liked = cards(say(rasa, sender, "他喜欢打篮球"))  # the liking names the kind, whatever the question offered
    assert liked and all(card["category"] == "篮球鞋" for card in liked)


def test_a_question_about_privacy_is_answered(rasa):
    reply = joined(say(rasa, new_sender(), "你们会不会把我手机号卖给别人"))
    assert "打码" in reply and "删除我的数据" in reply


def test_a_listed_order_is_picked_by_what_the_customer_says(rasa, customer_with_orders):
    customer, orders = customer_with_orders
    window = f"window-{uuid.uuid4().hex[:6]}"
    asked = say_as(rasa, window, "我的快递到哪了", token_for(customer))
    listed = [button["payload"] for reply in asked.json() for button in reply.get("buttons", [])]
    assert listed
    answer = say_as(rasa, window, "第一个", token_for(customer))
    assert listed[0] in "\n".join(reply.get("text", "") for reply in answer.json())


def test_a_product_line_names_its_brand_and_kind(rasa):
    shown = cards(say(rasa, new_sender(), "看看ThinkPad"))
    assert shown and all(c["brand"] == "联想" and c["category"] == "笔记本电脑" for c in shown)


def test_a_sold_out_model_named_before_any_card_is_answered(rasa):
    answer = joined(say(rasa, new_sender(), "小米平板6有货吗"))
    assert "小米 平板 6" in answer and ("缺货" in answer or "没货" in answer or "售罄" in answer or "暂时" in answer)


def test_a_budget_raised_by_an_amount_and_a_narrower_kind_keep_the_search(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "笔记本电脑4000到5000的有哪些"))
    raised = cards(say(rasa, sender, "预算再往上加一千也行"))
    assert raised and all(c["category"] == "笔记本电脑" and 4000 <= c["price"] <= 6000 for c in raised)
    assert tracker(rasa, sender)["slots"]["budget"] == "4000到6000"


def test_the_shops_after_sales_rules_are_answered_without_an_order(rasa):
    answer = joined(say(rasa, new_sender(), "七天无理由是从签收那天开始算吗"))
    assert "7 天无理由" in answer and "登录" not in answer


def test_shopping_while_the_bot_waits_for_an_order_carries_nothing_out(rasa, customer_with_orders):
    # 算了不退了 帮我看看连衣裙 named the dress in one of the orders: it was read as that order, and refunded
    customer, orders = customer_with_orders
    window = f"window-{uuid.uuid4().hex[:6]}"
    product = next(p for order in orders for item in order.items for p in CATALOG if p.id == item.product_id)
    asked = say_as(rasa, window, "我要退货", token_for(customer))
    assert any(reply.get("buttons") for reply in asked.json())
    answer = say_as(rasa, window, f"算了不退了 帮我看看{product.category}", token_for(customer)).json()
    said = "\n".join(reply.get("text", "") for reply in answer)
    assert "售后单号" not in said and "退款" not in said, said
    assert any((reply.get("custom") or {}).get("type") == "product_cards" for reply in answer), said
    assert tracker(rasa, window)["slots"]["pending_offer"] is None


def test_a_need_in_the_shoppers_own_words_keeps_the_budget_and_finds_the_attribute(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "一千五到两千的耳机"))
    quiet = cards(say(rasa, sender, "要坐地铁能把吵闹声隔掉的"))  # no tag said: 吵 is the need for 降噪
    assert quiet and all(c["category"] == "蓝牙耳机" and 1500 <= c["price"] <= 2000 for c in quiet)
    assert any("降噪" in " ".join(CATALOG.by_id(c["id"]).tags) for c in quiet)


def test_a_colour_asked_of_one_shown_product_does_not_narrow_the_search(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "推荐几款平板"))
    say(rasa, sender, "第一个有粉色吗")
    assert tracker(rasa, sender)["slots"]["color"] is None
    cheaper = say(rasa, sender, "三千以内的呢")
    assert cards(cheaper) and "颜色" not in joined(cheaper)  # nothing loosened: no colour was asked for
    grey = say(rasa, sender, "灰色的有货吗")  # asked of all of them: grey ones, with a yes first
    assert cards(grey) and "有货" in joined(grey)
    assert all(any("灰" in colour for colour in c["colors"]) and c["price"] <= 3000 for c in cards(grey))


def test_a_parcel_still_awaited_counts_towards_handing_over(rasa, redis_client):
    from tests.integration.test_shopping_dialogue import waiting_for_an_agent

    sender = new_sender()
    say(rasa, sender, "快递一周了还没到")
    say(rasa, sender, "你们到底怎么回事 一直不动")
    assert not waiting_for_an_agent(redis_client, sender)
    third = joined(say(rasa, sender, "气死了 说半天没用 什么垃圾服务"))
    assert "人工" in third and waiting_for_an_agent(redis_client, sender)


def test_going_back_to_a_kind_brings_back_its_brand_and_budget(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "看看跑鞋 李宁的 500以内"))
    assert cards(say(rasa, sender, "顺便看下速干t恤 一两百的 牌子无所谓"))
    back = cards(say(rasa, sender, "还是看回刚才的跑鞋吧"))
    assert back and all(c["category"] == "跑步鞋" and c["brand"] == "李宁" and c["price"] <= 500 for c in back)


def test_a_kind_refused_for_a_present_is_not_shown(rasa):
    sender = new_sender()
    say(rasa, sender, "给我男朋友买个生日礼物 五百以内")
    reply = say(rasa, sender, "他耳机一堆了 别的")
    assert all(card["category"] != "蓝牙耳机" for card in cards(reply)), joined(reply)


def test_the_price_difference_asked_back_never_cancels_the_order(rasa, customer_with_orders):
    customer, orders = customer_with_orders
    unshipped = next(order for order in orders if order.state in ("待发货", "待付款"))
    brand = unshipped.items[0].title.split()[0]
    window = f"window-{uuid.uuid4().hex[:6]}"
    said = joined_json(say_as(rasa, window, f"昨天买的{brand}今天就便宜了 能退差价不", token_for(customer)).json())
    assert "价格保护" in said and "取消" not in said and "退款单号" not in said, said


def test_a_stock_question_after_an_order_is_about_its_item(rasa, customer_with_orders):
    customer, orders = customer_with_orders
    signed, product, item = next(
        (order, product, order.items[0]) for order in orders if order.state == "已签收" and len(order.items) == 1
        for product in CATALOG if product.id == order.items[0].product_id and len(product.sizes) > 1)
    other = next(size for size in product.sizes if size != item.size)
    window = f"window-{uuid.uuid4().hex[:6]}"
    say_as(rasa, window, f"{product.category}收到了 {item.size}不合适", token_for(customer))
    replies = say_as(rasa, window, f"{other}的还有吗", token_for(customer)).json()
    said, shown = joined_json(replies), cards(replies)
    # heard as a stock question: that item's stock; heard as a search: products of that item's kind, never a
    # question which kind (the demo orders differ between customers, so either reading may come)
    assert product.title[:6] in said or (shown and all(card["category"] == product.category for card in shown)), said


def joined_json(replies: list) -> str:
    return "\n".join(reply.get("text", "") for reply in replies)


def _named(item) -> str:
    """The item as a customer names it: its brand and kind (the demo orders differ between runs, and some titles
    hold no kind's word, 三只松鼠 每日坚果 for 零食)."""
    return f"{item.title.split()[0]}{item.category}"


def test_a_bought_item_asked_for_again_is_that_product_not_the_cards_nor_a_complaint(rasa, customer_with_orders):
    customer, orders = customer_with_orders
    item = next(item for order in orders if order.state == "已签收" for item in order.items
                if sum(_named(other) == _named(item) for o in orders for other in o.items) == 1)
    window = f"window-{uuid.uuid4().hex[:6]}"
    say_as(rasa, window, "看看洗发水", token_for(customer))
    replies = say_as(rasa, window, f"之前买的那个{_named(item)}穿着还行 同款还有吗", token_for(customer)).json()
    said = joined_json(replies)
    assert item.title[:6] in said and "工单" not in said and not cards(replies), said


def test_a_parcel_asked_after_by_its_kind_is_the_order_not_a_search(rasa, customer_with_orders):
    customer, orders = customer_with_orders
    shipped = next(order for order in orders if order.state == "已发货")
    window = f"window-{uuid.uuid4().hex[:6]}"
    replies = say_as(rasa, window, f"{_named(shipped.items[0])}咋还在路上 不是说次日达吗", token_for(customer)).json()
    said = joined_json(replies)
    # that order's status, or (two orders of that kind) the question which one: never products to buy
    assert not cards(replies) and ("DD" in said or "哪" in said), said


def test_how_long_delivery_takes_of_a_kind_on_its_way_is_that_parcel(rasa, customer_with_orders, redis_server,
                                                                      request):
    # several demo order sets: a kind whose word is in another item's title (平板电脑 beside a 笔记本电脑) failed
    # in CI on a set the local run had not drawn
    others = [asyncio.run(seed_demo_customer(redis_server.url, f"{request.node.nodeid}-{n}")) for n in range(4)]
    for customer, orders in [customer_with_orders, *others]:
        under_way = [order for order in orders if order.state in ("待发货", "已发货")]
        kinds = [item.category for order in under_way for item in order.items]
        for kind in [kind for kind in kinds if kinds.count(kind) == 1]:
            parcel = next(order for order in under_way if any(item.category == kind for item in order.items))
            window = f"window-{uuid.uuid4().hex[:6]}"
            said = joined_json(say_as(rasa, window, f"{kind}几天能到啊", token_for(customer)).json())
            assert parcel.id in said, said  # that parcel's status, not the shop's delivery times
    customer, orders = customer_with_orders
    kind = next(item.category for order in orders for item in order.items)
    guest = " ".join(texts(say(rasa, new_sender(), f"{kind}几天能到啊")))
    assert "DD" not in guest and "天" in guest, guest  # a guest: how long delivery takes


def test_an_unshipped_item_not_wanted_any_more_is_cancelled_not_refused_as_a_kind(rasa, customer_with_orders):
    customer, orders = customer_with_orders
    open_order = next(order for order in orders if order.state in ("待付款", "待发货") and len(order.items) == 1)
    window = f"window-{uuid.uuid4().hex[:6]}"
    replies = say_as(rasa, window, f"{_named(open_order.items[0])}那个不想要了 帮我关了吧", token_for(customer)).json()
    said = joined_json(replies)
    assert not cards(replies) and "取消" in said, said
    assert "哪一类商品" not in said


def test_about_the_same_price_after_an_order_is_the_price_of_its_item(rasa, customer_with_orders):
    customer, orders = customer_with_orders
    item = next(order.items[0] for order in orders if len(order.items) == 1
                and sum(_named(other) == _named(order.items[0]) for o in orders for other in o.items) == 1)
    window = f"window-{uuid.uuid4().hex[:6]}"
    say_as(rasa, window, f"{_named(item)}那单到哪了", token_for(customer))
    replies = say_as(rasa, window, f"再看看别的{item.category} 差不多价位的", token_for(customer)).json()
    shown = cards(replies)
    # 差不多价位: about the item's price (±20 %, rounded out to whole yuan as the budget grammar does: 49 → 39–59),
    # or, when none is that close, the closest ones said so
    assert shown and all(card["category"] == item.category for card in shown), joined_json(replies)
    assert all(math.floor(0.8 * item.price) <= card["price"] <= math.ceil(1.2 * item.price) for card in shown) \
        or "放宽" in joined_json(replies), joined_json(replies)


def test_two_kinds_offered_as_alternatives_are_searched_together_and_kept(rasa):
    sender = new_sender()
    shown = cards(say(rasa, sender, "跑鞋篮球鞋都行 四百以内"))
    assert shown and all(c["category"] in ("跑步鞋", "篮球鞋") and c["price"] <= 400 for c in shown)
    assert tracker(rasa, sender)["slots"]["product_category"] == "跑鞋、篮球鞋"
    sized = cards(say(rasa, sender, "42码"))
    assert sized and all(c["category"] in ("跑步鞋", "篮球鞋") and c["price"] <= 400 for c in sized)
    # every card of either kind within the budget may be shown; none is of a third kind
    assert {c["category"] for c in shown + sized} <= {"跑步鞋", "篮球鞋"}


def test_one_end_of_a_budget_moved_keeps_the_other(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "耳机 一两百的就够了"))
    raised = cards(say(rasa, sender, "上限放到三百吧"))
    assert raised and all(100 <= c["price"] <= 300 for c in raised)
    assert tracker(rasa, sender)["slots"]["budget"] == "100到300"


def test_a_floor_refused_and_a_ceiling_in_one_message_are_one_range(rasa):
    sender = new_sender()
    floor = cards(say(rasa, sender, "跑鞋起码得五百的吧 便宜的怕伤膝盖"))
    assert floor and all(c["category"] == "跑步鞋" and c["price"] >= 500 for c in floor)
    ranged = cards(say(rasa, sender, "一千以内就行 低于五百的还是不要"))
    assert ranged and all(500 <= c["price"] <= 1000 for c in ranged)


def test_a_mishap_at_home_with_another_to_buy_is_a_search_not_a_complaint(rasa):
    replies = say(rasa, new_sender(), "上次买那双kt9被家里狗啃烂了😭 再买双篮球鞋吧 这回别太贵")
    assert "工单" not in joined(replies)
    shown = cards(replies)
    assert shown and all(c["category"] == "篮球鞋" for c in shown)


def test_a_price_seen_elsewhere_is_answered_with_the_shops_price_rules(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "三百以内的跑鞋"))
    replies = say(rasa, sender, "直播间才卖199 你们这怎么要259")
    assert not cards(replies) and "统一定价" in joined(replies) and "优惠券" in joined(replies), joined(replies)


def test_shoes_wanted_by_where_they_are_worn(rasa):
    sender = new_sender()
    replies = say(rasa, sender, "晚上下班绕着小区跑 脚上穿啥好")
    shown = cards(replies)
    assert shown and all(c["category"] == "跑步鞋" for c in shown), joined(replies)
    sized = cards(say(rasa, sender, "41码 三百多"))
    assert sized and all(c["category"] == "跑步鞋" and 300 <= c["price"] <= 400 for c in sized)


def test_a_computer_no_laptop_of_the_budget_fits_shows_tablets_and_says_so(rasa):
    replies = say(rasa, new_sender(), "两三千的电脑 学生用")
    shown = cards(replies)
    assert shown and all(c["category"] == "平板电脑" and 2000 <= c["price"] <= 3000 for c in shown), joined(replies)
    assert "平板电脑" in joined(replies) and "放宽" not in joined(replies)


def test_a_follow_up_on_the_return_rules_is_never_answered_from_another_topic(rasa):
    sender = new_sender()
    say(rasa, sender, "护肤品拆了封还能退么")
    say(rasa, sender, "塑封没撕的呢")
    replies = joined(say(rasa, sender, "要是用了过敏也不行？"))
    assert "发票" not in replies and "开票" not in replies, replies
    assert "过敏" in replies and "售后审核" in replies, replies  # the knowledge base's entry on allergies answers it
    # a question naming its own topic is answered from it
    assert "花呗" in joined(say(rasa, sender, "能用花呗吗"))


def test_a_colour_said_alone_refines_the_cards(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "T恤推荐下"))
    white = cards(say(rasa, sender, "白"))
    assert white and all(any("白" in color for color in card["colors"]) for card in white)


def test_the_size_searched_judged_too_small_is_swapped_not_an_exchange(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "男士T恤 L码 100以内"))
    replies = say(rasa, sender, "L好像小了 改成XL吧")
    assert cards(replies) and "登录" not in joined(replies), joined(replies)
    assert tracker(rasa, sender)["slots"]["size"] == "XL"


def test_a_kind_corrected_keeps_the_budget_said_for_it(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "想买个手表 1500左右"))
    shown = cards(say(rasa, sender, "打错字了 我说的是耳机不是手表"))
    assert shown and all(card["category"] == "蓝牙耳机" and 1200 <= card["price"] <= 1800 for card in shown)


def test_a_phone_the_earphones_go_with_is_no_second_kind(rasa):
    shown = cards(say(rasa, new_sender(), "推荐个耳机 配苹果手机用的"))
    assert shown and all(card["category"] == "蓝牙耳机" for card in shown)


def test_a_watch_called_by_its_nickname_is_that_line(rasa):
    shown = cards(say(rasa, new_sender(), "想买个AW送男朋友"))
    assert shown and all(card["brand"] == "苹果" and card["category"] == "智能手表" for card in shown)


def test_the_same_again_after_an_order_shows_its_product(rasa, customer_with_orders):
    customer, orders = customer_with_orders
    item = next(order.items[0] for order in orders if len(order.items) == 1
                and sum(_named(other) == _named(order.items[0]) for o in orders for other in o.items) == 1)
    window = f"window-{uuid.uuid4().hex[:6]}"
    say_as(rasa, window, f"{_named(item)}那单到哪了", token_for(customer))
    replies = say_as(rasa, window, "同款再来一个", token_for(customer)).json()
    assert item.product_id in {card["id"] for card in cards(replies)}, joined_json(replies)


def test_something_like_a_purchase_is_a_search_of_its_kind_not_a_complaint(rasa, customer_with_orders):
    customer, orders = customer_with_orders
    item = next(item for order in orders if order.state == "已签收" for item in order.items
                if sum(_named(other) == _named(item) for o in orders for other in o.items) == 1)
    window = f"window-{uuid.uuid4().hex[:6]}"
    replies = say_as(rasa, window, f"跟上次买的{_named(item)}差不多的 价格也差不多", token_for(customer)).json()
    shown, said = cards(replies), joined_json(replies)
    assert "工单" not in said and shown and all(card["category"] == item.category for card in shown), said


def test_more_words_on_an_exchange_filed_are_passed_on_not_filed_twice(rasa, customer_with_orders):
    customer, orders = customer_with_orders
    signed = next(order for order in orders if order.state == "已签收" and len(order.items) == 1
                  and time.time() - order.signed_at < 10 * 86400)
    window = f"window-{uuid.uuid4().hex[:6]}"
    first = joined_json(say_as(rasa, window, f"{_named(signed.items[0])}能换个颜色吗 {signed.id}",
                               token_for(customer)).json())
    assert "售后单号" in first, first
    again = joined_json(say_as(rasa, window, "换黑色的 有吗", token_for(customer)).json())
    # passed to the person who handles the exchange, with a ticket; no second after-sales request
    assert "不用重复申请" in again and "工单" in again and "售后单号" not in again, again


def test_products_priced_like_one_named_are_about_its_price_of_any_brand(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "推荐个蓝牙耳机"))
    shown = cards(say(rasa, sender, "跟AirPods Pro差不多价位的"))
    airpods = next(p for p in CATALOG if "AirPods Pro" in p.title)
    assert shown and all(card["category"] == "蓝牙耳机" and abs(card["price"] - airpods.price) <= 0.2 * airpods.price
                         for card in shown)
    assert {card["brand"] for card in shown} != {"苹果"}


def test_a_stock_question_after_an_order_of_two_items_is_about_the_item_meant(rasa, redis_server, order_system):
    for _ in range(30):  # the demo orders differ by customer: one whose two items a size tells apart
        customer, orders = asyncio.run(seed_demo_customer(redis_server.url))
        order = next(order for order in orders if order.state == "已签收" and len(order.items) == 2)
        named, other = [next(p for p in CATALOG if p.id == item.product_id) for item in order.items]
        only_other = next((size for size in other.sizes if size not in named.sizes), None)
        if only_other:
            break
    else:
        pytest.fail("no demo customer's order holds two items of different sizes")
    window = f"window-{uuid.uuid4().hex[:6]}"
    say_as(rasa, window, f"{_named(order.items[0])}想换个码 {order.id}", token_for(customer))
    say_as(rasa, window, "换货运费谁出", token_for(customer))  # the item is named two messages back
    answer = joined_json(say_as(rasa, window, f"{named.sizes[0]}的还有吗", token_for(customer)).json())
    assert named.title[:6] in answer and ("有货" in answer or "缺货" in answer or "没有" in answer), answer
    # a size only the other item is made in: that item, whichever was named
    answer = joined_json(say_as(rasa, window, f"{only_other}码有吗", token_for(customer)).json())
    assert other.title[:6] in answer, answer


def test_a_guests_own_coupons_ask_for_a_login_and_nobody_is_told_a_count(rasa, customer_with_orders):
    guest = joined_json(say(rasa, new_sender(), "我的优惠券还剩几张"))
    assert "登录" in guest, guest
    customer, _ = customer_with_orders
    logged_in = joined_json(say_as(rasa, f"window-{uuid.uuid4().hex[:6]}", "我的积分有多少",
                                   token_for(customer)).json())
    assert "查不到" in logged_in and "我的" in logged_in, logged_in


def test_a_size_asked_while_the_bot_waits_for_the_order_is_of_the_item_named_before(rasa, customer_with_orders):
    customer, orders = customer_with_orders
    item = next(item for order in orders if order.state == "已签收" for item in order.items
                if sum(_named(other) == _named(item) for o in orders for other in o.items) == 1)
    product = next(p for p in CATALOG if p.id == item.product_id)
    window = f"window-{uuid.uuid4().hex[:6]}"
    asked = joined_json(say_as(rasa, window, f"{_named(item)}有点小 能换大一码不", token_for(customer)).json())
    assert "订单" in asked, asked  # which order: the bot waits to hear it
    size = product.sizes[-1]
    stock = joined_json(say_as(rasa, window, f"{size}的还有货吗", token_for(customer)).json())
    # (KT9 42码有点挤脚 能换43不 → 43的白色还有货吗): the item named before, not "nothing shown yet"
    assert "还没给您推荐" not in stock and product.title[:6] in stock, stock
    # the colour and size asked of the order's item are not the next search's
    assert not tracker(rasa, window)["slots"]["size"], tracker(rasa, window)["slots"]


def test_a_guest_angry_after_asking_after_their_order_is_asked_to_log_in_again(rasa):
    sender = new_sender()
    assert "登录" in joined(say(rasa, sender, "你们家快递慢死了 我买的东西到底发没发"))
    again = joined(say(rasa, sender, "快点给我查啊 等了一个多礼拜了 太过分了"))
    assert "抱歉" in again and "登录" in again, again


def test_a_search_typed_with_english_words_honours_kind_colour_and_budget(rasa):
    sender = new_sender()
    shown = cards(say(rasa, sender, "想买双running shoes，budget 500以内"))
    assert shown and all(card["category"] == "跑步鞋" and card["price"] <= 500 for card in shown), shown
    black = cards(say(rasa, sender, "要black的"))
    assert black and all(card["category"] == "跑步鞋" and card["price"] <= 500 for card in black), black
    assert tracker(rasa, sender)["slots"]["color"] in ("black", "黑色"), tracker(rasa, sender)["slots"]


def test_a_size_asked_after_an_exchange_is_advice_on_the_item_exchanged(rasa, customer_with_orders):
    customer, orders = customer_with_orders
    product, item = next(
        (product, order.items[0]) for order in orders if order.state == "已签收" and len(order.items) == 1
        for product in CATALOG if product.id == order.items[0].product_id and len(product.sizes) > 2
        and item_of_a_kind_named_once(order.items[0], orders))
    smaller = [size for size in product.sizes if size != item.size][:2]
    window = f"window-{uuid.uuid4().hex[:6]}"
    asked = joined_json(say_as(rasa, window, f"{_named(item)}{item.size}穿着不合适 想换个码", token_for(customer)).json())
    assert "换货" in asked, asked
    replies = say_as(rasa, window, f"我身高175 体重70公斤 换{smaller[0]}还是{smaller[1]}啊", token_for(customer)).json()
    said = joined_json(replies)
    # which size to take of the item being exchanged, never a search of its kind
    assert not cards(replies) and product.title[:6] in said and "码" in said, said


def item_of_a_kind_named_once(item, orders) -> bool:
    return sum(_named(other) == _named(item) for order in orders for other in order.items) == 1


def test_thanks_alone_is_thanks_whatever_the_nlu_hears(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "推荐个500以内的蓝牙耳机"))
    for thanks in ("唔该晒", "好啦 唔该"):
        replies = say(rasa, sender, thanks)
        assert not cards(replies) and ("不客气" in joined(replies) or "应该的" in joined(replies)), joined(replies)
