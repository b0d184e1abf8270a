"""A stock question about one product in a colour or size shows its card only where that variant is in stock."""

from rasa_sdk.executor import CollectingDispatcher

from actions.shopping import _show_available_cards

_SHOE = {"id": "SKU1", "title": "跑步鞋 A", "category": "跑步鞋", "brand": "耐克", "price": 629.0, "image": "",
         "colors": ["黑色", "白色"], "sizes": ["40", "42"], "stock": 9,
         "variant_stock": {"黑色/40": 0, "黑色/42": 9, "白色/40": 0, "白色/42": 0}}


def _cards(color, size):
    dispatcher = CollectingDispatcher()
    _show_available_cards(dispatcher, [_SHOE], color, size)
    return [m["custom"] for m in dispatcher.messages if m.get("custom")]


def test_the_card_shows_in_the_variant_asked_when_it_is_in_stock():
    [message] = _cards("黑色", "42")
    assert message["type"] == "product_cards" and message["products"][0]["id"] == "SKU1"
    assert message["products"][0]["reason"] == "黑色42码有货"


def test_no_card_for_a_variant_out_of_stock_or_not_made():
    assert _cards("白色", "42") == []
    assert _cards("黑色", "40") == []
    assert _cards("红色", None) == []


def test_a_card_shown_against_the_search_says_which_condition_it_breaks():
    dispatcher = CollectingDispatcher()
    _show_available_cards(dispatcher, [_SHOE], None, None, relaxed=("budget",))
    [message] = [m["custom"] for m in dispatcher.messages if m.get("custom")]
    assert message["relaxed"] == ["budget"] and message["products"][0]["reason"] == "您问的这款有货"
    assert "relaxed" not in _cards("黑色", "42")[0]
