"""Needs in the customer's own words (需求词) and the catalog tags that meet them.

Shoppers rarely say a tag: 给我爸用 字要大 means 长辈 · 大屏, 游泳戴 means 防水,
头皮屑多 means 去屑.  The recommender ranks products carrying such a tag up (less
than a tag said outright) and the reasons name it; neither makes it a condition.
A tag here matches a product when it is part of one of its tags or its title
(防水 matches IP68防水 and 5ATM防水).  The understanding reads a need said
while shopping as a condition of the search, like a tag said outright.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Iterable

from bot.catalog.model import fold
from bot.language.negation import said_not_done

# customer's word → tags it points to (checked on folded text, so latin words are lower-case)
NEED_WORDS: dict[str, tuple[str, ...]] = {
    # 护肤
    "油皮": ("控油", "清洁", "氨基酸"), "出油": ("控油",), "油性": ("控油",), "混油": ("控油",),
    "干皮": ("保湿", "滋润"), "干性": ("保湿", "滋润"), "皮肤干": ("保湿", "滋润"), "拔干": ("保湿", "滋润"),
    "起皮": ("保湿", "滋润"), "补水": ("保湿",), "敏感": ("敏感肌", "温和", "舒缓"), "过敏": ("敏感肌", "温和"),
    "泛红": ("舒缓", "敏感肌"), "痘痘": ("控油", "温和", "痘痘肌"), "长痘": ("控油", "温和", "痘痘肌"), "爆痘": ("控油", "温和", "痘痘肌"),
    "闭口": ("控油", "清洁"), "冒痘": ("控油", "温和", "痘痘肌"), "满脸油": ("控油",), "油的一批": ("控油",),
    # 脸一到下午就油得反光: oil seen, not named as a skin type
    "油得": ("控油",), "油光": ("控油",), "反光": ("控油",), "泛油": ("控油",), "油腻": ("控油",),
    "洗脸": ("清洁", "氨基酸"), "紧绷": ("保湿", "温和"), "绷得": ("保湿", "温和"), "刺刺": ("敏感肌", "舒缓"),
    "刺痛": ("敏感肌", "舒缓"), "气色": ("显白",),
    "抗老": ("抗老", "紧致"), "抗衰": ("抗老", "紧致"), "抗皱": ("抗皱", "抗老"), "紧致": ("紧致",), "细纹": ("抗皱", "抗老"), "皱纹": ("抗皱", "抗老"),
    "暗沉": ("提亮",), "提亮": ("提亮",), "黄皮": ("显白",), "显白": ("显白",), "不掉色": ("持久",),
    "不沾杯": ("持久",), "持久": ("持久",), "嘴干": ("滋润",), "嘴巴干": ("滋润",), "嘴唇干": ("滋润",),
    "润一点": ("滋润",), "滋润": ("滋润",), "哑光": ("哑光",), "雾面": ("雾面", "哑光"),
    # 洗护
    "头皮屑": ("去屑",), "头屑": ("去屑",), "头痒": ("止痒",), "头皮痒": ("止痒", "敏感头皮"),
    "白屑": ("去屑",), "掉屑": ("去屑",), "头皮老是痒": ("止痒", "敏感头皮"), "止痒": ("止痒",),
    "毛躁": ("柔顺", "干枯发"), "稻草": ("干枯发", "柔顺"), "梳不": ("柔顺", "干枯发"), "烫的头发": ("烫染修护",),
    "干枯": ("干枯发", "柔顺"), "分叉": ("干枯发",), "烫染": ("烫染修护",),
    "染过": ("烫染修护",), "烫过": ("烫染修护",),
    # 鞋服
    "跑步": ("缓震", "轻便"), "慢跑": ("缓震",), "晨跑": ("缓震", "轻便"), "夜跑": ("缓震", "轻便"),
    "跑两圈": ("缓震", "轻便"), "跑几圈": ("缓震", "轻便"), "小区跑": ("缓震", "轻便"), "公园跑": ("缓震", "轻便"),
    "操场跑": ("缓震", "轻便"), "海边": ("度假", "夏季"), "三亚": ("度假", "夏季"), "度假": ("度假",),
    "马拉松": ("缓震", "长距离", "竞速"), "跑马": ("长距离", "竞速"),
    "打球": ("实战", "外场"), "水泥地": ("外场", "耐磨"), "扁平足": ("扁平足", "稳定支撑"),
    "挡风": ("防风",), "防风": ("防风",), "风大": ("防风",), "风老大": ("防风",), "山顶": ("防风", "保暖"),
    "保暖": ("保暖",), "怕冷": ("保暖",), "零下": ("保暖", "极寒"), "冬天": ("保暖",), "过冬": ("保暖",),
    "冬季": ("保暖",), "腿冷": ("中长款", "保暖"),
    "怕冻": ("保暖",), "冻成": ("保暖",), "冻死": ("保暖",), "冻得": ("保暖",), "挨冻": ("保暖",),
    "扛冻": ("保暖",), "抗冻": ("保暖",), "御寒": ("保暖",), "半马": ("长距离",), "全马": ("长距离",),
    "东北": ("保暖",), "哈尔滨": ("保暖", "极寒"), "不暖和": ("保暖",),
    "篮球场": ("实战", "外场"), "球场": ("实战", "外场"), "鞋底磨": ("耐磨",), "膝盖": ("缓震",),
    "公里": ("长距离", "日常慢跑"), "暴走": ("缓震", "日常慢跑"), "健步走": ("缓震", "日常慢跑"),
    "显瘦": ("显瘦",), "穿漂亮": ("约会", "显瘦"), "穿好看": ("约会", "显瘦"), "典礼": ("高级感", "法式"),
    "婚礼": ("高级感", "法式"), "遮肉": ("显瘦",), "腿细": ("显瘦",), "显腿": ("显瘦",), "显高": ("增高",),
    "增高": ("增高",), "舒服": ("舒适",), "舒适": ("舒适",), "脚疼": ("缓震", "舒适"), "脚痛": ("缓震", "舒适"),
    "站一天": ("缓震", "舒适"), "久站": ("缓震", "舒适"), "走一天": ("缓震", "舒适"), "一站就是": ("缓震", "舒适"),
    "站一整天": ("缓震", "舒适"), "脚底": ("缓震", "舒适"), "走不动": ("缓震", "舒适"), "崴脚": ("包裹", "实战"), "好搭": ("百搭",), "百搭": ("百搭",),
    "逛街": ("百搭",), "日常穿": ("百搭",), "平常穿": ("百搭",),
    "暖和": ("保暖",), "贼冷": ("保暖",), "宽松": ("宽松",), "修身": ("修身",), "夏天": ("夏季", "透气"), "透气": ("透气",), "出汗": ("透气", "速干"),
    "速干": ("速干",), "凉快": ("凉感", "透气"), "天热": ("夏季", "透气", "凉感"), "太热": ("夏季", "透气", "凉感"),
    "热死": ("夏季", "透气", "凉感"), "好热": ("夏季", "透气", "凉感"),
    # 数码
    "上班": ("通勤", "商务", "办公"), "通勤": ("通勤",), "办公": ("办公",), "学生": ("学生", "性价比"),
    "上课": ("学生", "网课"), "网课": ("网课",), "游戏": ("游戏", "高性能", "高刷屏"),
    "吃鸡": ("游戏", "高性能"), "王者": ("游戏", "高刷屏"), "剪视频": ("剪辑", "高性能"), "剪辑": ("剪辑",),
    "拍照": ("影像", "拍照"), "自拍": ("自拍", "拍照"), "画画": ("绘画",), "绘画": ("绘画",),
    "护眼": ("护眼",), "看书": ("护眼",), "伤眼": ("护眼",), "坏眼睛": ("护眼",), "屏太小": ("大屏",),
    "屏幕太小": ("大屏",), "屏幕小": ("大屏",), "屏小": ("大屏",), "老花": ("大屏", "护眼"), "眯着眼": ("大屏", "护眼"),
    "看不清": ("大屏",), "久坐": ("健康监测",), "一坐就是": ("健康监测",), "坐一天": ("健康监测",),
    "提醒我起来": ("健康监测",), "配速": ("运动", "跑步"), "起来动": ("健康监测",), "动起来": ("健康监测", "运动"),
    "步数": ("健康监测", "运动"), "计步": ("健康监测", "运动"), "追剧": ("追剧",), "刷视频": ("追剧",), "看视频": ("追剧",),
    "字大": ("大屏",), "屏幕大": ("大屏",), "屏大": ("大屏",), "厚底": ("增高",),
    "大屏": ("大屏",), "老人": ("长辈", "大屏"), "长辈": ("长辈",), "爸妈": ("长辈",), "老年": ("长辈",),
    "爷爷": ("长辈",), "我爸": ("长辈",), "我妈": ("长辈",), "父母": ("长辈",), "奶奶": ("长辈",), "外婆": ("长辈",), "姥姥": ("长辈",),
    "降噪": ("降噪",), "地铁": ("降噪",), "太吵": ("降噪",), "好吵": ("降噪",), "很吵": ("降噪",), "吵闹": ("降噪",), "吵死": ("降噪",),
    "杂音": ("降噪",), "噪音": ("降噪",), "隔音": ("降噪",),
    "安静": ("降噪",), "续航": ("续航长",), "待机": ("续航长",), "电池": ("续航长",), "天天充": ("续航长",),
    "充电": ("续航长",), "一周一充": ("续航长",),
    "塞耳朵": ("半入耳",), "塞进耳朵": ("半入耳",), "耳朵疼": ("半入耳",), "半入耳": ("半入耳",), "头戴": ("头戴式",),
    "刷新": ("高刷屏",), "不卡": ("高性能", "高刷屏"), "流畅": ("高性能",), "卡顿": ("高性能", "高刷屏"),
    "音质": ("高清音质",), "听戏": ("高清音质",), "充电快": ("快充",), "快充": ("快充",), "防水": ("防水",), "游泳": ("防水",),
    "洗澡": ("防水",), "下雨": ("防水", "防泼水"), "心率": ("健康监测",), "血氧": ("健康监测",), "血压": ("健康监测",),
    "睡眠": ("健康监测",), "健康": ("健康监测",), "独立通话": ("esim",), "打电话": ("esim",), "不带手机": ("esim",),
    "电话手表": ("esim",), "儿童手表": ("esim",), "联系上": ("esim",), "联系到": ("esim",), "找得到他": ("esim",), "找得到她": ("esim",),
    "打呼": ("降噪",), "呼噜": ("降噪",), "睡不好": ("降噪",), "睡不着": ("降噪",),
    "写论文": ("办公", "轻薄"), "做ppt": ("办公", "轻薄"), "写代码": ("高性能", "办公"), "打字": ("键盘手感",),
    "轻便": ("轻便", "轻薄"), "薄一点": ("轻薄",), "不用太厚": ("轻薄",),
    "不要太厚": ("轻薄",), "别太厚": ("轻薄",), "出差": ("轻薄", "便携"), "便携": ("便携", "轻薄"),
    # 食品 · 母婴 · 送礼
    "减肥": ("无糖", "低脂"), "减脂": ("无糖", "低脂"), "控糖": ("无糖",), "健身": ("高蛋白", "无糖"),
    "饿": ("独立包装",), "嘴馋": ("独立包装",), "解馋": ("独立包装",), "垫肚子": ("独立包装",),
    "囤点吃": ("独立包装",), "抽屉": ("办公室",), "工位": ("办公室",),
    "提神": ("提神",), "熬夜": ("提神",), "加班": ("提神",), "犯困": ("提神",), "困得": ("提神",),
    "好困": ("提神",), "太困": ("提神",), "困死": ("提神",), "困成狗": ("提神",), "哈欠": ("提神",), "没精神": ("提神",),
    # 女儿三岁 天天在家拆家: a child to keep busy
    "拆家": ("益智",), "消停": ("益智",), "闹腾": ("益智",), "坐不住": ("益智",), "三岁": ("3岁以上",),
    "3岁": ("3岁以上",), "生了娃": ("0岁以上", "安抚"), "生宝宝": ("0岁以上", "安抚"),
    "生娃": ("0岁以上", "安抚"), "生孩子": ("0岁以上", "安抚"), "生了个": ("0岁以上", "安抚"), "添丁": ("0岁以上", "安抚"),
    "满月": ("0岁以上", "安抚"), "二胎": ("0岁以上", "安抚"), "坐月子": ("0岁以上", "安抚"), "新生儿": ("0岁以上", "安抚"),
    "母乳": ("易吸收",), "奶水": ("易吸收",), "过年": ("年货",), "年货": ("年货",), "宝宝": ("温和", "安全"), "早教": ("早教", "益智"),
    "益智": ("益智",), "汽车": ("小汽车",), "小车": ("小汽车",), "车子": ("小汽车",), "喜欢车": ("小汽车",), "动脑": ("益智",), "哄睡": ("哄睡", "安抚"),
    "哄娃": ("哄睡", "安抚"), "老哭": ("安抚", "哄睡"), "闹觉": ("哄睡", "安抚"), "不睡": ("哄睡", "安抚"),
    "误吞": ("大颗粒",), "吞下": ("大颗粒",), "吞进": ("大颗粒",), "会吞": ("大颗粒",), "吞咽": ("大颗粒",), "大颗粒": ("大颗粒",), "大块": ("大颗粒",),
    "小包": ("独立包装",), "好分": ("独立包装",),
    "分着吃": ("独立包装",), "好吸收": ("易吸收",), "易吸收": ("易吸收",), "好消化": ("易吸收",), "独立包装": ("独立包装",), "不加糖": ("无糖",),
    "无糖": ("无糖",), "不要糖": ("无糖",), "不吃糖": ("无糖",), "不能吃糖": ("无糖",), "吃不了糖": ("无糖",),
    "不能吃甜": ("无糖",), "不喝甜": ("无糖",), "不吃甜": ("无糖",), "戒糖": ("无糖",),
    "不要甜": ("无糖",), "不甜": ("无糖",), "别太甜": ("无糖",), "太甜": ("无糖",),
    "送礼": ("送礼",), "礼物": ("送礼",), "送人": ("送礼",),
    "女朋友": ("送礼",), "男朋友": ("送礼",), "便宜": ("性价比",), "性价比": ("性价比",), "实惠": ("性价比",),
}


def needs_in(text: str) -> tuple[tuple[str, ...], ...]:
    """The folded tags of each need ``text`` names, the main one first (过敏泛红 → (敏感肌, 温和) and
    (舒缓, 敏感肌)); a need named in two ways (吵 · 噪音) counts once."""
    folded = fold(text or "")
    groups: list[tuple[str, ...]] = []
    for word, tags in NEED_WORDS.items():
        group = tuple(fold(tag) for tag in tags)
        if word in folded and group not in groups and not said_not_done(folded, word):
            groups.append(group)
    return tuple(groups)


def needed_tags(text: str) -> frozenset[str]:
    """The tags the needs named in ``text`` point to (老人用 → 长辈 · 大屏), folded."""
    return frozenset().union(*needs_in(text))


# Needs that say who it is for or what it may cost, not what the product does: every kind can meet them.
AUDIENCE_TAGS = frozenset({"送礼", "性价比", "长辈", "学生", "温和", "安全", "舒适", "通勤", "商务", "办公"})
# Where a need is felt (脸油 · 头发毛躁 · 戴手腕上): the kinds for that part of the body, counted as two needs
# met, so 脸又干又起皮 wants a face cream although 熬夜 also asks for coffee.
BODY_PART_KINDS: dict[str, tuple[str, ...]] = {
    "脸": ("洗面奶", "面霜"), "皮肤": ("洗面奶", "面霜"), "头发": ("洗发水",), "头皮": ("洗发水",),
    "嘴唇": ("口红",), "嘴巴": ("口红",), "手腕": ("智能手表",),
}
_BODY_PART_WEIGHT = 2
# What to wear asked (脚上穿啥 · 海边拍照穿的 · 女生穿啥不冻): the kinds worn there, if one of them meets the needs as
# well as any other kind does; on the feet the shoes are the kind even with no need said, as 鞋 is (脚上穿啥好).
FOOT_KINDS = ("跑步鞋", "篮球鞋", "休闲鞋")
WORN_KINDS = FOOT_KINDS + ("连衣裙", "T恤", "牛仔裤", "羽绒服")
_ON_THE_FEET = re.compile(r"脚上(?:要|想|该|得)?(?:穿|蹬)|穿(?:在)?脚上|脚上的(?!泡|茧)")
_WEAR_ASKED = re.compile(r"穿(?:的|啥|什么|哪种|哪个|着|去)")
# 绕着小区跑 脚上穿啥: running shoes among the shoes (不跑步 逛街穿: not)
_RUNS = re.compile(r"(?<!不)跑(?!腿|路|题|偏|车|调|码)")
# More kinds than this tied for a need are a guess, not a reading.
KINDS_A_NEED_MAY_NAME = 2


def kinds_meeting_needs(text: str, categories_with_tags: Callable[[Iterable[str]], tuple[str, ...]],
                        kinds: Iterable[str], limit: int = KINDS_A_NEED_MAY_NAME,
                        told_tags: Iterable[str] = ()) -> tuple[str, ...]:
    """The kinds of product (of ``kinds``, the catalog's, in its order) that meet the most of the needs in
    ``text`` (下周去哈尔滨出差 零下二十几度 怕冻 → 羽绒服: 零下 and 怕冻 are met by down jackets only, 出差
    by several kinds), when at most ``limit`` kinds tie; () when no need is said or it would be a guess, except
    that what to wear on the feet is the shoes (all of them when no need picks one).
    ``categories_with_tags`` gives the kinds whose products carry any of some tags (the catalog's);
    ``told_tags``: tags said outright, each a need of its own."""
    folded = fold(text)
    kinds = tuple(kinds)
    shoes = tuple(kind for kind in kinds if kind in FOOT_KINDS) if _ON_THE_FEET.search(folded) else ()
    votes: Counter = Counter()
    told = {fold(tag) for tag in told_tags}
    for tag in told:
        votes.update(categories_with_tags([tag]))
    for need in needs_in(text):
        if told & set(need):  # 拍照 said: the tag counted once, not again as the need it also names
            continue
        tags = [tag for tag in need if tag not in AUDIENCE_TAGS]
        votes.update(categories_with_tags(tags) if tags else ())
    if shoes:
        if _RUNS.search(folded) and "跑步鞋" in shoes:
            return ("跑步鞋",)
        most = max(votes.get(kind, 0) for kind in shoes)
        return tuple(kind for kind in shoes if votes.get(kind, 0) == most)
    if not votes:
        return ()
    for word, parts_kinds in BODY_PART_KINDS.items():
        if word in folded:
            votes.update({kind: _BODY_PART_WEIGHT for kind in parts_kinds})
    most = max(votes.get(kind, 0) for kind in kinds) if kinds else 0
    worn = tuple(kind for kind in kinds if kind in WORN_KINDS) if _WEAR_ASKED.search(folded) else ()
    if worn and most and max(votes.get(kind, 0) for kind in worn) > 0:
        # 海边拍照穿的: 拍照 is a phone's need, but what is worn is asked; among the worn kinds the best
        # (头皮屑多到不敢穿黑衣服: nothing worn meets a need, so the other kinds stay)
        kinds, most = worn, max(votes.get(kind, 0) for kind in worn)
    best = tuple(kind for kind in kinds if most and votes.get(kind) == most)
    return best if len(best) <= limit else ()


# A kind named as what the customer already has, uses or will not buy (现有之物), not what is wanted:
# 一直用我手机上 · 穿着板鞋跑 · 每天对着电脑 · 他那手机 · 现在那台电脑 · 不想这么早给他买手机 (the words before)
_OWNED_BEFORE = re.compile(
    r"(?:用|拿|对|穿|抱|戴|揣|背)着$|(?:用|拿)(?:我|他|她|自己)的?$|(?<![想要能来])(?:用|拿)$|一直(?:用|穿|拿|戴)的?$"
    r"|(?<![想要买])穿(?:深色|浅色|.色|[黑白红蓝灰])的?$"
    r"|(?:我|他|她|自己|家里)(?:的|那|这)(?:台|部|双|个|件|条)?$|(?:我|他|她)(?:那|这)?(?:台|部|双)$"
    r"|现在(?:的|那|这)(?:台|部|双|个|件|条)?$|不(?:想|打算|准备)[^，。,.!！?？]{0,6}买$")
# … and after: 手机外放开到最大都听不清 · 手机揣兜里 · 手机肯定搞不定 · 跑步的时候
_OWNED_AFTER = re.compile(
    r"[^，。,.!！?？\s]{0,8}?(?:太小|太旧|太卡|太重|太沉|不够用|搞不定|不行了|坏了|用不了|看不清|听不清|揣|放兜|装兜"
    r"|一颠)|的?时候|[搓用拿玩看戴穿]着")


# A brand or model the customer already uses (我自己用的iphone13 · 宝宝一直喝爱他美 · 家里有台ipad了 · 刚买了个apple
# watch), said as the setting of what is wanted next: the words before it.
_OWNED_BRAND_BEFORE = re.compile(
    r"(?:我|他|她|自己|一直|平时|现在|目前|宝宝|孩子|家里|都|老|常年)[^，。,.!！?？\s]{0,2}(?:用|喝|吃|穿|擦|抹|戴|涂|玩)(?:的|着|了)?(?:是)?$"
    r"|(?:家里|我|他|她|已经)(?:已经)?有(?:台|部|个|双|件|一台|一部|一个|一双)?$|刚买了?(?:个|台|部|双|件|一台|一部|一个|一双)?$"
    r"|(?:我|他|她)(?:那|这)(?:个|台|部|双|件|瓶)?$")


# … or the words after it: 用海飞丝好几年了 · 科颜氏快用完了
_OWNED_BRAND_AFTER = re.compile(r"[^，。,.!！?？\s]{0,8}?(?:(?:好几|几|[0-9一二两三四五六七八九十]+)(?:年|个月)了|快用完|用完了|喝完了)")


# … or lost with something else asked for this time (airpods又丢了一只 这回买个便宜的凑合用; 再买一副一样的 is the same
# again), or disliked, with more asked for (李宁那件羽绒服薄得跟纸一样 想再买件厚实的)
_LOST_AFTER = re.compile(r"[^，。,.!！?？\s]{0,8}?又?(?:丢|弄丢|搞丢)了")
_ANOTHER_THIS_TIME = re.compile(r"这回|这次|换个|别的")
_DISLIKED_AFTER = re.compile(r"[^，。,.!！?？\s]{0,8}?(?:薄得|太薄|不保暖|不暖和|不耐穿|质量(?:不行|太差|一般))")
_MORE_WANTED = re.compile(r"这回|这次|换个|别的|再买|重新买|想买|要")


def owned_brand_at(text: str, start: int, end: int) -> bool:
    """Whether the brand or model at ``text[start:end]`` is one the customer has (我自己用的iphone13 想给我妈换个手机)."""
    return bool(_OWNED_BRAND_BEFORE.search(fold(text[max(0, start - 8):start]))
                or _OWNED_BRAND_AFTER.match(text, end)
                or (_LOST_AFTER.match(text, end) and _ANOTHER_THIS_TIME.search(text, end))
                or (_DISLIKED_AFTER.match(text, end) and _MORE_WANTED.search(text, end)))


def owned_at(text: str, start: int, end: int) -> bool:
    """Whether the kind word at ``text[start:end]`` names what the customer has or uses (他那手机已经算大屏了)."""
    return bool(_OWNED_BEFORE.search(text[max(0, start - 10):start]) or _OWNED_AFTER.match(text, end))


def kinds_instead_of_owned(text: str, kinds_of_word: Callable[[str], tuple[str, ...]], words: Iterable[str],
                           needed: Callable[[], tuple[str, ...]]) -> tuple[str, ...]:
    """The kinds wanted where a kind named is only what the customer has (孩子网课 一直用我手机上 屏幕太小了
    → 平板电脑, which ``needed`` gives, asked only then; 打球老崴脚 我一直穿的帆布鞋 → 篮球鞋, the other kind
    named); () when no kind is named as owned, the owned kind is wanted too (我的手机屏碎了 想换个新手机), or
    what is wanted is what is owned (一到冬天脸干 化妆的时候卡粉 → a face cream is still 化妆品).
    ``words``: the category words; ``kinds_of_word``: the kinds each names."""
    folded = fold(text or "")
    by_length = sorted(set(words), key=len, reverse=True)
    owned: set = set()
    said: list = []
    position = 0
    while position < len(folded):
        word = next((word for word in by_length if folded.startswith(word, position)), None)
        if word is None:
            position += 1
            continue
        end = position + len(word)
        kinds = kinds_of_word(word)
        if owned_at(folded, position, end):
            owned.update(kinds)
        else:
            said += kinds
        position = end
    if not owned:
        return ()
    if said:  # 拿手机刷视频 (手机 · 平板): what else the word may mean; 想换个新手机: the owned kind itself
        return tuple(dict.fromkeys(kind for kind in said if kind not in owned))
    kinds = needed()
    return kinds if not set(kinds) & owned else ()
