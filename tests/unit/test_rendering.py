"""The shared rendering layer: bot messages → blocks → WeChat plain text / Telegram keyboards."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from bot.channels import rendering
from bot.channels.rendering import (CardsBlock, Choice, ChoicesBlock, TextBlock, choice_for_reply, plain_text,
                                    public_base_url, split_utf8, telegram_messages, to_blocks)

SHOES = {"id": "SKU10001", "title": "耐克 Air Zoom Pegasus 40 男子缓震跑步鞋", "category": "跑步鞋",
         "brand": "耐克", "price": 629.0, "image": "/shop/images/running.svg", "colors": ["黑色", "白色"],
         "sizes": ["41", "42"], "stock": 86, "reason": "缓震好，适合日常慢跑"}
PHONE = {"id": "SKU20002", "title": "小米 14 手机", "category": "手机", "brand": "小米", "price": 3999.5,
         "image": "https://cdn.example.com/mi14.png", "colors": [], "sizes": [], "stock": 0, "reason": "性价比高"}
CARDS = {"custom": {"type": "product_cards", "products": [SHOES, PHONE], "relaxed": ["budget"]}}


def test_messages_become_blocks_in_order():
    blocks = to_blocks([{"text": "为您找到两款："}, CARDS,
                        {"text": "还需要什么？", "buttons": [{"title": "再看看", "payload": "/request_recommendation"}]}])
    assert [type(b) for b in blocks] == [TextBlock, CardsBlock, TextBlock, ChoicesBlock]
    cards = blocks[1]
    assert [c.id for c in cards.cards] == ["SKU10001", "SKU20002"] and cards.relaxed == ("budget",)
    assert cards.cards[0].image is None  # server path, no PUBLIC_BASE_URL: not shown
    assert cards.cards[1].image == "https://cdn.example.com/mi14.png"


def test_public_base_url_makes_server_images_absolute():
    base = public_base_url({"PUBLIC_BASE_URL": "https://shop.example.com/"})
    assert base == "https://shop.example.com"
    assert to_blocks([CARDS], base)[0].cards[0].image == "https://shop.example.com/shop/images/running.svg"
    assert public_base_url({"PUBLIC_BASE_URL": "shop.example.com"}) is None


def test_malformed_cards_and_buttons_are_skipped_not_crashing():
    blocks = to_blocks([{"custom": {"type": "product_cards", "products": [None, {"id": "x"}, "junk", {"title": "t"}]}},
                        {"buttons": [None, {"payload": "/x"}, {"title": 5}]}, "junk", {"custom": "x"}, {}])
    assert blocks == []


def test_plain_text_numbers_every_choice_across_the_reply():
    reply = plain_text(to_blocks([{"text": "为您找到："}, CARDS,
                                  {"text": "满意吗？", "buttons": [{"title": "换一批", "payload": "/deny"}]}]))
    lines = reply.text.splitlines()
    assert lines[0] == "为您找到："
    assert "没有完全符合条件的商品，以下放宽了预算：" in lines
    assert "1. 耐克 Air Zoom Pegasus 40 男子缓震跑步鞋  ¥629" in lines
    assert "2. 小米 14 手机  ¥3999.50" in lines
    assert any("推荐理由：缓震好" in line for line in lines)
    assert any("暂时缺货" in line for line in lines)
    assert "3. 换一批" in lines
    assert reply.text.endswith("回复数字即可选择，例如回复“1”。")
    assert [c.payload for c in reply.choices] == [
        "我想了解这款：耐克 Air Zoom Pegasus 40 男子缓震跑步鞋（SKU10001）", "我想了解这款：小米 14 手机（SKU20002）", "/deny"]


def test_a_number_reply_picks_the_choice():
    choices = [Choice("a", "/a"), Choice("b", "/b")]
    assert choice_for_reply("2", choices).payload == "/b"
    assert choice_for_reply(" 第1个 ", choices).payload == "/a"
    assert choice_for_reply("２", choices).payload == "/b"
    assert choice_for_reply("3", choices) is None
    assert choice_for_reply("0", choices) is None
    assert choice_for_reply("买2双", choices) is None
    assert choice_for_reply("1", []) is None


def test_text_only_reply_without_choices_has_no_hint():
    reply = plain_text(to_blocks([{"text": "您好"}, {"text": "请问想买什么？"}]))
    assert reply.text == "您好\n\n请问想买什么？" and reply.choices == []


def test_telegram_cards_are_messages_with_a_choose_button():
    messages = telegram_messages(to_blocks([{"text": "为您找到："}, CARDS,
                                            {"text": "还要别的吗？", "buttons": [
                                                {"title": "是", "payload": "/affirm"},
                                                {"title": "否", "payload": "/deny"},
                                                {"title": "转人工", "payload": "/request_human"}]}]))
    assert messages[0].text.startswith("为您找到：") and "放宽了预算" in messages[0].text
    assert messages[0].keyboard == ()
    shoe = messages[1]
    assert shoe.text.startswith("耐克 Air Zoom Pegasus 40") and "¥629" in shoe.text
    assert len(shoe.keyboard) == 1 and shoe.keyboard[0][0].payload.endswith("（SKU10001）")
    assert messages[2].keyboard[0][0].payload.endswith("（SKU20002）")
    last = messages[3]
    assert last.text == "还要别的吗？"
    assert [[c.payload for c in row] for row in last.keyboard] == [["/affirm", "/deny"], ["/request_human"]]


def test_telegram_buttons_without_text_get_a_prompt():
    messages = telegram_messages(to_blocks([{"buttons": [{"title": "好", "payload": "/affirm"}]}]))
    assert messages[0].text == "请选择：" and messages[0].keyboard[0][0].title == "好"


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=3000), st.integers(min_value=8, max_value=2048))
def test_split_utf8_keeps_every_piece_under_the_limit(text, limit):
    pieces = split_utf8(text, limit)
    assert all(len(piece.encode("utf-8")) <= limit for piece in pieces)
    assert "".join("".join(p.split()) for p in pieces) == "".join(text.split())


def test_render_plain_reads_public_base_url_from_the_environment():
    reply = rendering.render_plain([CARDS], {"PUBLIC_BASE_URL": "https://shop.example.com"})
    assert "图片：https://shop.example.com/shop/images/running.svg" in reply.text
    assert "图片" not in rendering.render_plain([{"custom": {"type": "product_cards", "products": [SHOES]}}], {}).text
