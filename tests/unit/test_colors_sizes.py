from pathlib import Path

import pytest
import yaml

from bot.language.colors import COLOR_FAMILIES, color_family, colour_spans, names_a_colour
from bot.language.sizes import canonical_size


@pytest.mark.parametrize("text, family", [
    ("白的", "白色"), ("纯白", "白色"), ("White", "白色"), ("ＢＬＡＣＫ", "黑色"), ("黑", "黑色"),
    ("藏青", "藏青"), ("海军蓝", "藏青"), ("深蓝色", "蓝色"), ("米白", "米色"), ("玫红", "红色"),
    ("酒红色的", "红色"), ("咖啡色", "棕色"), ("银灰", "银色"), ("卡其色", "卡其"), ("粉红色", "粉色"),
])
def test_colour_words_are_read_as_their_family(text, family):
    assert color_family(text) == family


@pytest.mark.parametrize("text", ["", "  ", "彩色", "好看的", "42码"])
def test_words_that_name_no_colour_give_none(text):
    assert color_family(text) is None


@pytest.mark.parametrize("text, names", [
    ("红色不要了 白色的还要", True), ("红的不要了 白的还要", True), ("偏棕一点", True), ("卡其色那条留着", True),
    ("潘婷洗发水不要了 裙子留着", False), ("明白的 那整单取消吧", False), ("1米8的床", False),
])
def test_a_colour_named_in_a_message_is_found(text, names):
    assert names_a_colour(text) is names


@pytest.mark.parametrize("text, said", [
    ("哦搞错了 她刚发消息说要正红 棕的不要", ["正红", "棕"]), ("我要藏青", ["藏青"]), ("红的吧", ["红"]),
    ("玉兰油大红瓶", []), ("焦糖味的咖啡", []), ("明白的吧", []), ("白天穿", []), ("美白的有吗", []), ("烟灰缸有吗", []),
    # a colour the whole message says, the answer to the cards shown
    ("白", ["白"]), ("黑的吧", ["黑"]), ("要粉的", ["粉"]), ("白。", ["白"]), ("金额", []), ("白天", []), ("明白", []),
    # English colour words typed among Chinese, whole words only
    ("要black的，42 size", ["black"]), ("white或者grey都OK", ["white", "grey"]), ("有Purple吗", ["Purple"]),
    ("Redmi手机", []), ("goldman", []), ("black friday有活动吗", []), ("Bobbi Brown的粉底液", []),
])
def test_colours_said_without_a_colour_word(text, said):
    assert [text[start:end] for start, end in colour_spans(text)] == said


def test_every_family_is_its_own_family():
    assert all(color_family(family) == family for family in COLOR_FAMILIES)


@pytest.mark.parametrize("text, size", [
    ("42码", "42"), ("42号", "42"), ("四十二码", "42"), ("42.5", "42.5"), ("size 40", "40"),
    ("m码", "M"), ("M号", "M"), ("中号", "M"), ("xl", "XL"), ("2XL", "XXL"), ("xxl码", "XXL"),
    ("加大", "XL"), ("一段", "1段"), ("3段", "3段"), ("28腰", "28"), ("均码", "均码"),
])
def test_size_words_are_read_as_catalog_labels(text, size):
    assert canonical_size(text) == size


@pytest.mark.parametrize("text", ["", "大", "好看", "码", "abc"])
def test_words_that_name_no_size_give_none(text):
    assert canonical_size(text) is None


def test_the_nlu_synonyms_of_a_colour_agree_with_its_family():
    """38码米白色 must reach the slot as 米色, as the recommender reads 米白: one reading of a colour word."""
    synonyms = Path(__file__).resolve().parents[2] / "nlu_data" / "nlu" / "synonyms.yml"
    data = yaml.safe_load(synonyms.read_text("utf-8"))
    disagreeing = [(item["synonym"], example) for item in data["nlu"] if item.get("synonym") in COLOR_FAMILIES
                   for example in (line.strip()[2:] for line in item["examples"].splitlines() if line.strip())
                   if color_family(example) not in (None, item["synonym"])]
    assert disagreeing == []
