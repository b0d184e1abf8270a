"""Multi-turn conversations through the REST channel: real rasa server, action server, recommender, Redis."""

from __future__ import annotations

from bot.catalog.model import load_demo_catalog
from tests.integration.conftest import KEY_PREFIX
from tests.integration.test_conversation import cards, new_sender, say, texts, tracker

CATALOG = load_demo_catalog()


def joined(replies: list) -> str:
    return "\n".join(texts(replies))


def test_the_bot_asks_for_the_category_then_shows_cards_that_meet_every_condition(rasa):
    sender = new_sender()
    first = say(rasa, sender, "预算三百以内")
    assert not cards(first) and "哪一类" in joined(first)
    shown = cards(say(rasa, sender, "跑步鞋吧"))
    assert shown and all(card["category"] == "跑步鞋" and card["price"] <= 300 for card in shown)
    assert all(card["reason"] and card["image"] for card in shown)


def test_natural_request_accumulates_and_replaces_conditions(rasa):
    sender = new_sender()
    first = cards(say(rasa, sender, "有没有五百以内的蓝牙耳机"))
    assert first and all(c["category"] == "蓝牙耳机" and c["price"] <= 500 for c in first)
    raised = cards(say(rasa, sender, "预算提高到一千以内"))
    assert raised and all(c["category"] == "蓝牙耳机" and c["price"] <= 1000 for c in raised)
    assert "一千以内" in tracker(rasa, sender)["slots"]["budget"]


def test_an_interruption_keeps_the_conditions(rasa):
    sender = new_sender()
    say(rasa, sender, "想买双耐克的跑步鞋")
    faq = say(rasa, sender, "你们一般几天发货啊")
    assert joined(faq) and not cards(faq)
    say(rasa, sender, "你是机器人吗")
    after = cards(say(rasa, sender, "要42码的"))
    assert after and all(c["brand"] == "耐克" and c["category"] == "跑步鞋" and "42" in c["sizes"] for c in after)


def test_questions_about_shown_products_are_answered_from_the_catalog(rasa):
    sender = new_sender()
    shown = cards(say(rasa, sender, "推荐几款智能手表"))
    assert len(shown) >= 2
    second = CATALOG.by_id(shown[1]["id"])
    info = joined(say(rasa, sender, "第一款续航多久"))
    assert shown[0]["title"][:10] in info
    compared = joined(say(rasa, sender, "前两款有什么区别"))
    assert shown[0]["title"][:10] in compared and shown[1]["title"][:10] in compared
    assert tracker(rasa, sender)["slots"]["focus_product"] is None  # both in view: neither alone is meant next
    stock = joined(say(rasa, sender, "第二个还有货吗"))
    assert second.title[:10] in stock and ("有货" in stock or "缺货" in stock)
    chosen = joined(say(rasa, sender, "那就要第二个吧"))
    assert "就选" in chosen and second.title[:10] in chosen
    assert tracker(rasa, sender)["slots"]["focus_product"] == second.id


def test_a_comparison_with_one_product_on_the_screen_compares_it_with_the_one_meant(rasa):
    sender = new_sender()
    say(rasa, sender, "迪奥999有吗")
    assert [card["brand"] for card in cards(say(rasa, sender, "ysl小金条呢 也要红的"))] == ["圣罗兰"]
    both = joined(say(rasa, sender, "俩哪个更显白"))  # the one before and the one on the screen
    assert "帮您对比" in both and "迪奥" in both and "圣罗兰" in both
    sender = new_sender()
    assert len(cards(say(rasa, sender, "有没有华为watch gt4"))) == 1
    other = joined(say(rasa, sender, "跟别的比怎么样"))  # nothing named: the nearest in price, said so
    assert "拿同类里价位最接近的这款" in other and "帮您对比" in other and "WATCH GT 4" in other


def test_a_condition_the_cards_loosened_stays_loosened_when_the_customer_goes_on(rasa):
    sender = new_sender()
    say(rasa, sender, "华为手表")
    cheaper = say(rasa, sender, "预算五百以内的话呢")  # no Huawei watch costs 500 or less
    assert next(r["custom"] for r in cheaper if r.get("custom")).get("relaxed") == ["brand"]
    black = cards(say(rasa, sender, "要黑色"))  # other brands were accepted: the budget holds
    assert black and all(card["price"] <= 500 and card["category"] == "智能手表" and "黑色" in card["colors"]
                         for card in black)


def test_a_model_asked_for_while_other_cards_are_shown_is_answered_about_that_model(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "红米有啥手机"))
    missing = say(rasa, sender, "k70有吗")  # no Redmi K70 in the shop: said so, no other phone passed off for it
    assert "没有卖“k70”" in joined(missing) and not cards(missing)
    sender = new_sender()
    assert cards(say(rasa, sender, "推荐双篮球鞋"))
    kt9 = joined(say(rasa, sender, "KT9还有货吗"))
    assert "KT9" in kt9.upper() and ("有货" in kt9 or "缺货" in kt9)
    sender = new_sender()
    assert "iPhone 15" in joined(say(rasa, sender, "苹果手机有哪些"))
    on_screen = joined(say(rasa, sender, "iphone15有货吗"))  # the card on the screen, by its model
    assert "iPhone 15" in on_screen and "没有卖" not in on_screen


def test_a_model_the_shop_lacks_or_sold_out_is_said_so_before_the_brands_other_products(rasa):
    sender = new_sender()
    replies = say(rasa, sender, "阿迪的Gazelle还有货吗")
    assert "没有“Gazelle”" in joined(replies)
    assert all(card["brand"] == "阿迪达斯" for card in cards(replies))
    sold_out = say(rasa, new_sender(), "阿迪的Duramo还有货吗")  # in the catalog, none in stock
    assert "Duramo" in joined(sold_out) and "缺货" in joined(sold_out) and "阿迪达斯家有货" in joined(sold_out)
    assert all(card["brand"] == "阿迪达斯" and "Duramo" not in card["title"] for card in cards(sold_out))
    sold = say(rasa, new_sender(), "耐克的Pegasus还有货吗")  # sold here: no such note
    assert "没有“" not in joined(sold)


def test_a_better_property_a_size_or_a_babys_need_keep_what_was_said(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "手机 不超过两千"))
    better = cards(say(rasa, sender, "续航好点的 给我爸用"))  # a property, not a dearer phone
    assert better and all(card["category"] == "手机" and card["price"] <= 2000 for card in better)
    sender = new_sender()
    assert cards(say(rasa, sender, "跑鞋 五百以内"))
    sized = cards(say(rasa, sender, "白色41"))  # the size, not an Apple Watch 41mm
    assert sized and all(card["category"] == "跑步鞋" and card["price"] <= 500 for card in sized)
    sender = new_sender()
    assert cards(say(rasa, sender, "耳机跟手表都想看看 一千以内"))
    earphones = cards(say(rasa, sender, "耳机呢 要降噪"))  # the budget was said for both kinds
    assert earphones and all(card["category"] == "蓝牙耳机" and card["price"] <= 1000 for card in earphones)
    sender = new_sender()
    assert cards(say(rasa, sender, "最近想入个sony的"))  # earphones only
    cheaper = cards(say(rasa, sender, "有没有便宜点的 一千五以内"))  # no Sony that cheap: the brand goes, the kind stays
    assert cheaper and all(card["category"] == "蓝牙耳机" and card["price"] <= 1500 for card in cheaper)
    sender = new_sender()
    asked = say(rasa, sender, "女朋友下周生日 送啥礼物好啊")
    assert "预算" in joined(asked)  # shows what people give, and asks what she likes and the budget
    gifts = cards(say(rasa, sender, "三百左右"))  # only a budget: the bot picks, as it offered
    assert gifts and all(240 <= card["price"] <= 360 for card in gifts)
    sender = new_sender()
    say(rasa, sender, "想给宝宝买点东西")
    baby = cards(say(rasa, sender, "两百以内的"))
    assert baby and all(card["category"] in ("婴儿奶粉", "儿童玩具") and card["price"] <= 200 for card in baby)


def test_a_delivery_question_while_browsing_is_answered_and_keeps_the_budget(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "推荐个洗面奶 一百以内"))
    shipping = say(rasa, sender, "俩一起买包邮吗")  # the NLU marks 一起 as a budget (1 yuan)
    assert not cards(shipping) and "包邮" in joined(shipping)
    assert tracker(rasa, sender)["slots"]["budget"] == "一百以内"


def test_product_questions_before_anything_was_shown_get_a_polite_nudge(rasa):
    reply = joined(say(rasa, new_sender(), "这款防水吗"))
    assert "还没给您推荐" in reply


def waiting_for_an_agent(redis_client, sender: str) -> bool:
    return (redis_client.hget(f"{KEY_PREFIX}:conv:{sender}", "status") == "waiting"
            and redis_client.zscore(f"{KEY_PREFIX}:convs:status:waiting", sender) is not None)


def test_asking_for_a_human_queues_the_customer_and_the_bot_serves_meanwhile(rasa, redis_client):
    sender = new_sender()
    reply = joined(say(rasa, sender, "我要找人工客服"))
    assert "转接人工客服" in reply and ("您是下一位" in reply or "前面还有" in reply)
    assert waiting_for_an_agent(redis_client, sender)
    assert "正在排队" in joined(say(rasa, sender, "还要多久"))  # the wait itself: the queue answers
    meanwhile = say(rasa, sender, "推荐一款跑步鞋")  # a question the bot can answer: answered, the place kept
    assert cards(meanwhile) and "正在排队" in joined(meanwhile)
    assert waiting_for_an_agent(redis_client, sender)
    # a complaint while queued is recorded for the person awaited, never a second offer of one
    complained = joined(say(rasa, sender, "你们的东西质量不怎么样"))
    assert "工单" in complained and "人工客服接入后会一并处理" in complained and "需要我帮您转人工" not in complained
    assert not tracker(rasa, sender)["paused"]  # the conversation gate decides, not Rasa's pause


def test_fury_right_after_a_grievance_hands_over_at_once(rasa, redis_client):
    sender = new_sender()
    say(rasa, sender, "你们服务太差了，等了半天没人理")
    second = joined(say(rasa, sender, "无语 越问越气 什么破玩意儿 浪费我半小时"))
    assert "人工" in second and waiting_for_an_agent(redis_client, sender)


def test_anger_repeated_over_three_turns_hands_over(rasa, redis_client):
    sender = new_sender()
    first = say(rasa, sender, "你们服务太差了，等了半天没人理")
    assert "抱歉" in joined(first) and any(reply.get("buttons") for reply in first)
    assert not waiting_for_an_agent(redis_client, sender)
    second = say(rasa, sender, "东西质量也太垃圾了，很失望")  # displeasure, not yet fury
    assert "抱歉" in joined(second) and any(reply.get("buttons") for reply in second)  # the offer again
    assert not waiting_for_an_agent(redis_client, sender)
    # one complaint, one ticket: the second outburst is added to the first's
    tickets = redis_client.zrange(f"{KEY_PREFIX}:tickets:conversation:{sender}", 0, -1)
    assert len(tickets) == 1 and tickets[0] in joined(second)
    assert "很失望" in redis_client.hget(f"{KEY_PREFIX}:ticket:{tickets[0]}", "detail")
    third = joined(say(rasa, sender, "气死我了，真的太失望了"))
    assert "人工" in third
    assert waiting_for_an_agent(redis_client, sender)
    assert redis_client.hget(f"{KEY_PREFIX}:conv:{sender}", "flag_complaint") == "1"


def test_a_second_complaint_that_demands_someone_act_hands_over(rasa, redis_client):
    sender = new_sender()
    say(rasa, sender, "快递一周了还没到 什么破服务")
    second = joined(say(rasa, sender, "你们到底管不管啊 问第二遍了 气死我了"))
    assert "人工" in second
    assert waiting_for_an_agent(redis_client, sender)


def test_a_formal_complaint_is_recorded_and_handed_to_a_person_at_once(rasa, redis_client):
    sender = new_sender()
    reply = joined(say(rasa, sender, "我要投诉 你们卖的是假货"))
    assert "工单 TK" in reply and "人工" in reply, reply
    assert waiting_for_an_agent(redis_client, sender)


def test_a_product_shown_earlier_is_pointed_at_by_its_kind(rasa):
    sender = new_sender()
    tablets = cards(say(rasa, sender, "孩子上网课 想买个平板 一千左右"))
    assert tablets and all(card["category"] == "平板电脑" for card in tablets)
    earphones = cards(say(rasa, sender, "再配个耳机 一百以内"))
    assert earphones and all(card["category"] == "蓝牙耳机" for card in earphones)
    answer = joined(say(rasa, sender, "平板那个有绿色的吗"))
    assert tablets[0]["title"][:8] in answer and earphones[0]["title"][:8] not in answer
    assert "绿色" in answer  # its colours, whichever action heard the question
    assert tracker(rasa, sender)["slots"]["product_category"] != "平板"  # the search under way keeps its kind


def test_a_size_said_again_as_a_bare_number_moves_the_size_and_another_brand_drops_a_line(rasa):
    sender = new_sender()
    say(rasa, sender, "高腰牛仔裤 显腿长的")
    say(rasa, sender, "腰围27")
    say(rasa, sender, "28也行")  # the NLU reads 28 as a price
    slots = tracker(rasa, sender)["slots"]
    assert slots["size"] == "28" and not slots["budget"]
    other = new_sender()
    say(rasa, other, "nike有啥篮球鞋")
    say(rasa, other, "詹姆斯那双太贵了，500以内的有吗")  # a line of 耐克, named in the words searched
    shown = cards(say(rasa, other, "这个价位别的牌子也给我看看"))
    assert shown and all(card["brand"] != "耐克" and card["category"] == "篮球鞋" and card["price"] <= 500
                         for card in shown)


def test_a_shop_rule_asked_of_the_cards_is_answered_not_searched(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "macbook air有吗"))
    student = say(rasa, sender, "有学生价吗 我大一")  # 学生 is also a wanted attribute of laptops
    assert not cards(student) and "学生价" in joined(student)
    chosen = say(rasa, sender, "那就第一个吧 谢了哈")
    assert not cards(chosen) and "不客气" in joined(chosen) and "就选" in joined(chosen)


def test_a_present_for_a_baby_is_a_toy_the_child_is_old_enough_for(rasa):
    sender = new_sender()
    replies = say(rasa, sender, "一岁的宝宝 送什么合适")
    toys, said = cards(replies), joined(replies)
    assert toys and all(card["category"] == "儿童玩具" for card in toys)
    assert not any("3岁以上" in card["title"] + " ".join(card.get("tags") or []) for card in toys)
    assert "赠品" not in said  # 送什么 asks what to give, not the shop's free gifts
    other = new_sender()
    say(rasa, other, "朋友家宝宝过周岁 想送个礼物")
    kept = cards(say(rasa, other, "奶粉就不用了 他妈妈都买好了"))
    assert kept and all(card["category"] == "儿童玩具" for card in kept)
    younger = cards(say(rasa, other, "十个月大"))  # heard alone as nothing, or an order's wait
    assert younger and all(card["category"] == "儿童玩具" for card in younger)
    for text in ("给一岁宝宝买个礼物 两百以内", "送两岁小朋友 两百左右", "侄子满月 送点啥"):
        presents = cards(say(rasa, new_sender(), text))  # 宝宝 alone may be the baby's milk; a present is not
        assert presents and all(card["category"] == "儿童玩具" for card in presents), text
    free_gift = say(rasa, new_sender(), "买两罐奶粉送点啥")  # the shop's free gift, asked
    assert not cards(free_gift) and "赠品" in joined(free_gift)


def test_the_same_price_for_another_kind_and_a_price_let_go_entirely(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "推荐面霜 保湿的 三百以内"))
    lipsticks = cards(say(rasa, sender, "口红也看看 还是那个价"))  # 那个价 points at the budget, not a card
    assert lipsticks and all(card["category"] == "口红" and card["price"] <= 300 for card in lipsticks)
    other = new_sender()
    say(rasa, other, "速溶咖啡 五十以内")
    say(rasa, other, "再来点零食凑个包邮 也五十以内")
    coffee = cards(say(rasa, other, "咖啡再加一个 雀巢的 价格不限"))  # 再加一个 is one more item, not ¥1 more
    assert coffee and all(card["category"] == "咖啡" and card["brand"] == "雀巢" for card in coffee)
    assert not tracker(rasa, other)["slots"]["budget"]


def test_more_products_within_a_budget_raised_in_the_same_breath(rasa):
    sender = new_sender()
    assert cards(say(rasa, sender, "三百多的连衣裙有吗"))
    more = cards(say(rasa, sender, "预算再加一百 看看还有没有别的"))  # the upper end moves; 一百 is no budget
    assert more and all(card["category"] == "连衣裙" and 300 <= card["price"] <= 500 for card in more)
