"""How shoppers ask for an alert in their own words (bot/dialogue/alert_requests.py)."""

import pytest

from bot.dialogue.alert_requests import ASKS_ALERT, alert_kind_in, product_said_for_alert


@pytest.mark.parametrize("text", ["等它便宜点再买 降了喊我", "跑鞋出新款了推给我", "小米平板6也帮我盯着",
                                  "降到1500提醒我", "有货了告诉我一声", "上架了通知我", "羽绒服要是上新款了 跟我说一声",
                                  "到货了给我说下", "拯救者来货了跟我说一声", "19那个降到50以下叫我",
                                  "优衣库那个印花雪纺的没货了? 到货说一声 要黑色L", "那藏青的要是到了叫我一声"])
def test_an_alert_asked_for_in_everyday_words(text):
    assert ASKS_ALERT.search(text)


@pytest.mark.parametrize("text", ["能便宜点吗", "有货吗", "这个打折吗", "降价了吗", "你直接告诉我几天发货", "有货吗 跟我说说这款",
                                  "快递到了叫我一声", "等到了再说", "快递要是到了叫我一声", "退款要是到了跟我说一声",
                                  "如果到了通知我下 我去取"])
def test_a_question_about_price_or_stock_asks_for_no_alert(text):
    assert not ASKS_ALERT.search(text)


@pytest.mark.parametrize("text, kind", [("降到五千以下提醒我", "price_drop"), ("出新款了告诉我", "new_arrival"),
                                        ("补货了通知我", "restock"), ("帮我盯着", None), ("降了喊我", "price_drop"),
                                        ("那藏青的要是到了叫我一声", "restock")])
def test_the_kind_of_alert_is_read_from_its_words(text, kind):
    assert alert_kind_in(text) == kind


@pytest.mark.parametrize("text, product", [("加拿大鹅那件女款降到五千以下提醒我", "加拿大鹅那件女款"),
                                           ("雅诗兰黛面霜有货了告诉我", "雅诗兰黛面霜"),
                                           ("还有小米平板6也帮我盯着", "还有小米平板6"),
                                           ("再帮我订个星冰乐的", "星冰乐的"), ("再加一个 鸭鸭那个面包服 M码", "鸭鸭那个面包服 M码")])
def test_the_product_named_ends_where_the_alert_is_asked(text, product):
    assert product_said_for_alert(text) == product


@pytest.mark.parametrize("text", ["有没有那种一降价就自动通知的功能啊", "你们有到货提醒吗"])
def test_alerts_asked_about_as_a_service_are_alert_requests(text):
    assert ASKS_ALERT.search(text)
