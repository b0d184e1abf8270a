import pytest

from bot.language.normalize import normalize
from bot.language.segmenter import Segmenter, kept_ends


@pytest.fixture(scope="module")
def segmenter():
    return Segmenter(["跑步鞋", "蓝牙耳机", "T恤", "华为", "有货", "李维斯", "Levi's"])


def words(segmenter, text):
    return [piece.text for piece in segmenter.segment(text)]


@pytest.mark.parametrize("text, expected", [
    ("ＸＬ码３００块", "xl码300块"),
    ("iPhone", "iphone"),
    ("請問訂單到哪了", "请问订单到哪了"),
    ("a\x00b\u3000c", "a b c"),
    ("", ""),
    ("T桖 纯棉的", "t恤 纯棉的"), ("满多少包油啊", "满多少包邮啊"), ("连衣群有200左右的吗", "连衣裙有200左右的吗"), ("藍芽耳機", "蓝牙耳机"),
    ("有木有好点的跑布鞋", "有没有好点的跑步鞋"), ("肿么退货", "怎么退货"), ("平版 躺床上追剧用", "平板 躺床上追剧用"),
    # homophones a pinyin keyboard offers for kinds and brands; 花为 only before a kind (这花为什么)
    ("羽容服 男 加厚", "羽绒服 男 加厚"), ("蓝牙耳鸡 打游戏", "蓝牙耳机 打游戏"), ("安塔跑步鞋", "安踏跑步鞋"),
    ("花为手机 给我妈", "华为手机 给我妈"), ("这花为什么蔫了", "这花为什么蔫了"), ("纯棉T需", "纯棉t恤"),
    ("查下物留", "查下物流"), ("啥时候发获", "啥时候发货"), ("那还是42吧 甭改了", "那还是42吧 别改了"),
    ("大概啥辰光到上海", "大概啥时候到上海"),
    ("耳机要降躁的", "耳机要降噪的"), ("显廋的牛仔裤", "显瘦的牛仔裤"), ("亚光口红", "哑光口红"),
    # pinyin initials of shop words, as whole Latin words only
    ("YF多少", "运费多少"), ("jd配送还是别的kd", "京东配送还是别的快递"), ("xyk能付吗", "信用卡能付吗"),
    ("iphone15 hb分期", "iphone15 花呗分期"), ("shopping", "shopping"), ("mjd", "mjd"),
])
def test_normalize(text, expected):
    assert normalize(text) == expected


def test_normalize_keeps_length_for_any_text():
    text = "ǅİ𝔘😊👍🏻👨‍👩‍👧 乾隆 頭髮 ﹏ ＡＢＣ"
    assert len(normalize(text)) == len(text)


@pytest.mark.parametrize("text, expected", [
    ("iPhone15和华为Mate60怎么选", ["iphone", "15", "和", "华为", "mate", "60", "怎么", "选"]),
    ("42码有货吗", ["42", "码", "有货", "吗"]),
    ("有没有300块的蓝牙耳机", ["有没有", "300", "块", "的", "蓝牙耳机"]),
    ("买件T恤", ["买件", "t恤"]),
    ("1.5k左右", ["1.5", "k", "左右"]),
    ("三百以内的跑步鞋😊😊", ["三百", "以内", "的", "跑步鞋", "😊", "😊"]),
])
def test_mixed_text_is_split_at_sensible_places(segmenter, text, expected):
    assert words(segmenter, text) == expected


def test_whitespace_is_never_a_token(segmenter):
    assert words(segmenter, "  跑步鞋 \t\n 42码  ") == ["跑步鞋", "42", "码"]
    assert words(segmenter, " \u3000 ") == []


def test_offsets_point_into_the_original_text(segmenter):
    text = "請問ＸＬ的T恤還有貨嗎？ Nike"
    for piece in segmenter.segment(text):
        assert normalize(text[piece.start:piece.end]) == piece.text


def test_traditional_characters_segment_like_simplified(segmenter):
    assert words(segmenter, "這款藍牙耳機還有貨嗎") == words(segmenter, "这款蓝牙耳机还有货吗")


def test_segmenters_do_not_share_dictionaries():
    plain = Segmenter([])
    with_word = Segmenter(["大码女装"])
    assert "大码女装" in words(with_word, "有大码女装吗")
    assert "大码女装" not in words(plain, "有大码女装吗")


def test_long_and_hostile_input_does_not_raise(segmenter):
    text = ("买鞋" * 2500) + "\x00\x1b[31m" + "🙂" * 100
    pieces = segmenter.segment(text)
    assert pieces and all(0 <= p.start < p.end <= len(text) for p in pieces)


@pytest.mark.parametrize("text, expected", [
    ("买手机能送货上门吗", ["买", "手机"]),
    ("这鞋透气吗", ["这", "鞋"]),
    ("M码小了能换L码吗", ["m", "码", "小"]),
    ("42码会不会大", ["42", "码", "会"]),
])
def test_catalog_words_are_never_glued_to_a_neighbour(text, expected):
    segmenter = Segmenter(["手机", "鞋", "表"])
    assert words(segmenter, text)[:len(expected)] == expected


def test_a_one_character_word_inside_a_common_word_stays_there():
    assert "表" not in words(Segmenter(["表"]), "这表示同意")


def test_a_lone_surrogate_is_read_as_a_replacement_character():
    text = "想买耳机\ud83d吗"  # half of an emoji, cut by a client
    assert normalize(text) == "想买耳机\ufffd吗"


@pytest.mark.parametrize("count, most, expected", [
    (5, 10, [0, 1, 2, 3, 4]),
    (10, 4, [0, 1, 8, 9]),
    (10, 5, [0, 1, 2, 8, 9]),
    (3, 0, [0, 1, 2]),
])
def test_an_overlong_message_keeps_its_beginning_and_its_end(count, most, expected):
    assert kept_ends(list(range(count)), most) == expected


def test_a_brand_is_never_cut_out_of_another_latin_word():
    segmenter = Segmenter(["asus", "华硕", "airpods"])
    assert words(segmenter, "pegasus40还有吗") == ["pegasus", "40", "还有", "吗"]
    assert words(segmenter, "asus笔记本") == ["asus", "笔记本"]
    assert words(segmenter, "airpodspro2") == ["airpods", "pro", "2"]
