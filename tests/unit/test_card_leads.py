"""The words above the cards answer what was asked: whether there is such a product, or what is in stock."""

import pytest

from bot.dialogue.card_leads import cards_lead

CARDS = [{"id": "SKU1"}]


@pytest.mark.parametrize("text, lead", [
    ("有M码吗", "有的，这几款有货："), ("有没有现货啊", "有的，这几款有货："), ("灰色的有货吗", "有的，这几款有货："),
    ("万斯那双是不是没货了", "这几款现在有货："), ("小米平板啥时候补货", "这几款现在有货："),
    ("vans old skool什么时候有货", "这几款现在有货："), ("百草味芒果干还会上吗", "这几款现在有货："),
    ("黑色31还剩几条", "这几款现在有货："), ("那黄色还剩哪些码", "这几款现在有货："), ("还是杨树林吧 送人的 有货吧", "有的，这几款有货："),
    ("跑鞋有推荐吗", "为你挑了这几款："), ("五百以内的跑鞋", "为你挑了这几款："),
    # another size or colour of the products shown, asked in few words
    ("那黑色41呢", "有的，这几款有货："), ("41呢", "有的，这几款有货："), ("米色L呢 没有就算了", "有的，这几款有货："),
    ("李宁的白色41有木有", "有的，这几款有货："), ("那黑的呢", "有的，这几款有货："),
    ("三百以内的", "为你挑了这几款："), ("便宜点的", "为你挑了这几款："),
    # stock asked with more said after it
    ("主播说的那款还有货吗 要黑的", "这几款现在有货："), ("有现货的话 要42码", "这几款现在有货："),
    ("熊猫鞋38码还有咩", "有的，这几款有货："),
])
def test_the_lead_answers_a_stock_question(text, lead):
    assert cards_lead({}, CARDS, False, text) == lead


def test_more_of_the_same_is_no_stock_answer():
    assert cards_lead({}, CARDS, True, "还有吗") == "为你挑了这几款："


def test_cards_of_a_wider_kind_keep_the_recommenders_words():
    body = {"widened": ["平板电脑"], "message": "没有符合条件的笔记本电脑，这几款平板电脑符合您的条件："}
    assert cards_lead(body, CARDS, False, "有货吗") == body["message"]


def test_every_match_shown_names_the_wish_the_closest_ones_miss():
    body = {"relaxed": ["budget"], "wanted_tags_missing": ["游戏低延迟"], "message": "放宽了预算，这几款最接近："}
    assert cards_lead(body, CARDS, True, "还有别的吗") == "符合您全部条件（游戏低延迟）的就是刚才那几款了。放宽了预算，这几款最接近："
    assert cards_lead({**body, "wanted_tags_missing": []}, CARDS, True, "还有别的吗").startswith("符合您全部条件的就是")
    assert cards_lead(body, CARDS, False, "三百以内的") == body["message"]
