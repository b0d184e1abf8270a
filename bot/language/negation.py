"""Said no to (否定): whether a condition in a message is one the customer rejects.

``还是要黑色吧，蓝色不要了`` wants black and rejects blue; ``不要耐克的`` rejects a brand;
``除了华为还有吗`` asks for other brands.  A condition is rejected when a refusal stands
right before it (不要 · 不想要 · 别 · 除了 · 不喜欢 · 不考虑 · 排除 · 不是) or right after it
(不要了 · 不要 · 就算了 · 算了 · 不喜欢 · pass · 他有了 · 一堆了 · 刚换), or a reason against it follows
(白的不耐脏 · 红色太艳了 · 黄的显黑), allowing 的 / 色 / 了 / 这个 in between.
A refusal in the clause before counts for nothing: in ``灰的不要 紫色有吗`` the 不要 is 灰's.
"""

from __future__ import annotations

import re
from typing import Optional

# The key a refused condition's entity carries (``{"entity": "color", "value": "蓝色", "rejected": true}``).
# Not a Rasa role: an evaluation with `rasa test nlu` still sees a plain ``color`` entity.
REJECTED = "rejected"

_BEFORE = re.compile(r"(?:(?<!要)(?<!一定)不要|不想要|不用|别|除了|不喜欢|不考虑|排除|不是|不太喜欢|讨厌|不看|不一定(?:要|是|非得|非要)?|不非得|不非要|不必是|不必"
                     r"|(?:从来)?不(?:爱|怎么)?(?:戴|穿|喝|吃)"  # 他不戴表 · 她不喝咖啡
                     r"|不(?:让|给|许|准)(?:他|她|孩子|宝宝)?(?:吃|喝|玩|用|戴))"  # 他妈不让吃零食
                     r"(?:带|买|选|看|考虑|用|推|给我推|推荐)?(?:这个|那个|那种|这种)?$")  # 不用带手机 · 不要买耐克 · 别推旁氏
_CLAUSE_END = re.compile(r"[\s，,。.！!？?；;~～]")
_AFTER = re.compile(r"^(?:的|色|款|那款|这个|了)?(?:就)?(?:不要了?|不想要了?|算了|不喜欢|不考虑了?|不行|pass|排除|除外|不看了?"
                    r"|(?:先|暂时|就)?不买了"  # 手环先不买了: put off
                    r"|(?:不用|不需要|不必)(?:买|看|送|考虑)?了"  # 奶粉就不用了 (耳机不用太贵 still wants one)
                    r"|(?:他|她|我|家里)?(?:已经)?有了(?![吗嘛么没不呢])"  # 电脑他有了: he has one
                    r"|家里(?:已经)?有(?![吗嘛么没不呢])"  # 奶粉家里有: one at home already
                    # 耳机他一堆了 · 口红好几支了 · 手机刚换: plenty of them already, or a new one just bought
                    r"|(?:他|她|我|家里)?(?:已经)?有?(?:一堆了?|好几[个副双支台件瓶条套]了?|多的是|(?:够|太|好)多了)"
                    r"(?![吗嘛么没不呢?？])"
                    r"|(?:他|她|我)?刚(?:换|买)(?:了|过)?(?![吗嘛么没不呢?？的])"
                    # a reason against it (白的不耐脏 · 红色太艳了 · 黄的显黑), unless asked (白的不耐脏吗)
                    r"|(?:太|有点|比较)?(?:不耐脏|容易脏|显脏|不好看|显黑|显胖|显老|扎眼|不好搭)了?(?![吗嘛么不没呢?？])"
                    r"|(?:太|有点|有些)(?:丑|土|艳|花|暗)了?(?![吗嘛么不没呢?？一点些]))")  # but 红色艳一点: more of it

# 潘婷洗发水不要了 裙子留着 · 羽绒服不要了 鞋照常发 · 其他的还要 · 裙子要: the rest kept (保留) while part is let go.
# 物流一直不动 · 还要等多久 keep nothing: 不动 and 还要 alone are no part kept.
KEEPS_PART = re.compile(r"留着|照常|照发|照样发|(?:正常|继续|接着)(?:发|寄)|不用动|别动|只要|只取消|只退|保留"
                        r"|其(?:他|它|余)的?(?:还要|照常|照发|正常|继续|留着|不变|发)"
                        r"|(?<=[\u4e00-\u9fff])(?<![不想需也])要(?:的|吧|啊|呀)?(?=$|[\s，,。.!！])")  # 洗发水不要了 裙子要


# 咖啡 不要糖的 · 洗发水不要太香的 · 耳机别要太贵的: the refusal is of what follows it, not of the word before.
_REFUSES_WHAT_FOLLOWS = re.compile(r"^\s*(?:的|色)?\s*(?:不要|不想要|别要)(?=[\u4e00-\u9fff])(?![了啦吧呀啊哦])")
# 能买你们的笔记本不 要轻薄的: 不 closing a question, not 不要 split by a space.
_ASKED_WITH_BU = re.compile(r"^(?:的|吗)?不[\s，,?？。]")


# 要笔记本 不要平板 · 要黑的不要白的: a refusal standing before the next condition is that one's.
_REFUSAL_AHEAD = re.compile(r"^的?[\s，,、]+(?:不要|不想要|别|不看|不考虑)$")
_WANTED_BEFORE = re.compile(r"(?:要|想要|就要|只要|还是要)$")


# 咖啡豆 家里有手冲壶: something else at home, what it goes with (奶粉家里有 · 家里有很多 · 家里有两瓶: that kind is had)
_SOMETHING_ELSE_AT_HOME = re.compile(r"\s*家里(?:已经)?有(?!很多|好多|不少|一大|囤|存货|备用|现成|[一二两三几半0-9]"
                                     r"|[了的吗嘛么没不呢啊呀啦哦\s，,。.！!？?；;~～]|$)")


def is_rejected(text: str, start: int, end: int, next_start: Optional[int] = None) -> bool:
    """Whether the words at ``text[start:end]`` are refused by the words around them;
    ``next_start``: where the next condition of the message begins, if one does."""
    before = _CLAUSE_END.split(text[max(0, start - 6):start])[-1]
    if _BEFORE.search(before):
        return True
    following = text[end:end + 8]
    if not _AFTER.match(following.replace(" ", "").lower()) or _ASKED_WITH_BU.match(following) \
            or _REFUSES_WHAT_FOLLOWS.match(following) or _SOMETHING_ELSE_AT_HOME.match(following):
        return False
    if next_start is None:
        return True
    between = text[end:next_start]
    refusal_ahead = _REFUSAL_AHEAD.match(between) or (
        _WANTED_BEFORE.search(before) and _BEFORE.search(between.replace(" ", "")))
    return not refusal_ahead


# 玩具亲戚送了一屋子了 · 手机他上个月刚换 · 口红面霜啥的都别推 · 耳机手表平板一个不缺 · 黑衣服都不敢穿: a kind of product the person
# has enough of, or the customer wants none of, said a few words on (who gave it, when, the other kinds listed);
# not across a clause, nor past a wish (耳机也行 他刚换了手机).
_KIND_HAD_ENOUGH = re.compile(
    r"^[^，。,.!?！？；;\s要想行吧来吗嘛呢么]{0,8}?"
    r"(?:(?:都|也|就|可)?(?:别|不用|不要|甭|不必)再?(?:推|推荐|弄|整|考虑|买|送)|一个不缺|不缺|啥都有|都有了"
    r"|(?:刚|已经|早就)[^，。,.!?！？；;\s]{0,4}?(?:换|买|有|送)(?:了|过)?(?![的吗么嘛没不呢?？])"
    r"|(?:都|早|已经)?(?:买|备|准备)好了(?![吗么嘛没不呢?？])"  # 奶粉他妈妈都买好了
    # 奶粉怕人家宝宝喝不惯 · 奶粉不好送: a present feared not to suit the one who gets it, nothing asked instead
    # (跑鞋怕磨脚 · 奶粉怕宝宝不爱喝 有没有好喝点的 · 手机怕我爸用不惯 要操作简单的 want one that does)
    r"|(?:怕|担心|万一)(?:人家|对方|别人|收礼的)[^，。,.!?！？；;\s]{0,4}?"
    r"(?:[喝吃用穿玩]不惯|不(?:爱|喜欢)?(?:喝|吃|用|穿|玩)(?![吗么嘛呢?？])|有固定|认牌子)"
    r"(?![^。.!！?？]*(?:有没有|有什么|有啥|推荐|要|点的|一点))"
    r"|不(?:太)?好送|不(?:适合|合适|方便)送|送不出手"
    r"|一屋子|多得|一大堆|一堆|好几[个副双支台件瓶条套]|太多了|够多了|用不上|用不着|(?:都)?不敢(?:穿|用|戴)"
    # 我自己是想要个手表的但先不管我的了 · 耳机以后再说: set aside for now
    # (手表不急着用 · 手机先不管预算 still want one)
    r"|先不(?:管|看)(?!预算|价格|价钱|价位|钱|颜色|牌子|品牌|型号)|先放(?:一放|放)|(?:以后|下次|改天|回头|晚点)再(?:说|看|买)"
    r"|不着急(?![吗么嘛没不呢?？用着的])|不急(?![吗么嘛没不呢?？用着的]))")


# 我又不跑步 · 平时也不怎么运动: something the person does not do, so no need of it (这双也不透气 · 都不保暖 are
# qualities wished for, and 不要降噪 a refusal, both read elsewhere)
NOT_DONE_BEFORE = re.compile(r"(?:又|也|并|都|从来|平时|几乎|根本)不(?:怎么|太|常|经常)?$|不怎么$|很少$")
_ACTIVITY = re.compile(r"跑|运动|健身|打球|篮球|游泳|骑|爬山|徒步|滑雪|露营|户外|熬夜|加班|出差|旅游|旅行|化妆")


def said_not_done(folded: str, word: str) -> bool:
    """Whether every place ``word``, an activity, stands in ``folded`` says it is not done (我又不跑步)."""
    places = [found.start() for found in re.finditer(re.escape(word), folded)]
    return bool(places) and bool(_ACTIVITY.search(word)) \
        and all(NOT_DONE_BEFORE.search(folded[:place]) for place in places)


def is_rejected_kind(text: str, start: int, end: int, next_start: Optional[int] = None) -> bool:
    """Whether the kind of product named at ``text[start:end]`` is refused: as any condition is (耳机不要了), or
    as one the person has enough of or the customer wants none of (手机他上个月刚换 · 护肤的别推)."""
    return is_rejected(text, start, end, next_start) or _KIND_HAD_ENOUGH.match(text[end:]) is not None \
        or said_not_done(text, text[start:end])  # 我又不跑步 就日常休闲穿的
