"""What a waiting customer's words mean for the handoff: 算了 / 不用了 take them back to the bot."""

from __future__ import annotations

import re

# Said while waiting for a person: the customer no longer wants one.  Checked on
# the start of the message, so "算了我自己看看，推荐个耳机" cancels and is then
# answered by the bot, while "不用了吗？还要等多久" is a question (it does not
# start with a cancel phrase followed by a pause or more words… see the tests).
_CANCEL = re.compile(
    r"^\s*(?:(?:好吧|哦|噢|额|呃|嗯)[，,。\s]*)?(?:算了|不用了|(?:不用|不要|别)转(?!账|款)|不用人工|不要人工|不需要人工|不需要了|不要了|不等了|取消(?:转)?人工|"
    r"取消排队|不转人工|没事了|我自己(?:看看|来|找))"
)
_QUESTION = re.compile(r"[吗嘛？?]\s*$")


def wants_bot_again(text: str) -> bool:
    """True when a customer waiting for an agent says they no longer want one."""
    if not isinstance(text, str):
        return False
    stripped = text.strip()
    if not _CANCEL.match(stripped):
        return False
    # "不用了吗？" asks; "算了，推荐个耳机吗" still cancels (the question is for the bot).
    return not (_QUESTION.search(stripped) and len(stripped) <= 6)


# 我要投诉: a formal complaint, which a person takes at once (said in passing it is none:
# 差点要投诉 · 上回投诉的事处理好了 · 我不是要投诉).
_FILES_COMPLAINT = re.compile(r"(?:我|我们)(?:要|想|必须|得|就要|一定要)(?:去)?(?:[0-9]{5}|消协|工商|平台|客服)?投诉|投诉你们|我投诉"
                              r"|(?:^|[\s，,。!！])投诉[!！。\s]*$")  # 拖拖拉拉的 就是不想退钱吧 投诉！
_NO_COMPLAINT = re.compile(r"不是要投诉|不想投诉|不投诉|差点|上回|上次|之前|处理好|处理完|解决了|搞定了|不用投诉|不用管")


def files_complaint(text: str) -> bool:
    return bool(_FILES_COMPLAINT.search(text)) and not _NO_COMPLAINT.search(text)


# A complaint that asks for someone to act (到底管不管 · 给我个说法), not only anger: with one
# complaint before it, a person takes over.
_DEMANDS_ACTION = re.compile(r"管不管|有没有人管|没人管|谁来管|给(?:我)?(?:个|一个)?说法|谁(?:来)?负责|负不负责|怎么处理|怎么解决|"
                             r"处理一下|解决一下|问(?:了)?第[二三2-3]遍|说了(?:好)?几遍|说了[二三两2-3]遍"
                             r"|(?:必须|马上)?给(?:我)?(?:个|一个)(?:处理)?(?:结果|答复|交代)|正式投诉"
                             r"|能不能解决|解决不了|到底(?:想)?怎(?:么|样)|想怎样|屁用|有什么用|有啥用"
                             r"|第[二三四2-4](?:次|遍)(?:问|说)|(?:问|说)(?:了)?第?[二三四2-4](?:次|遍)"
                             # 你们就不管吗 · 到底能不能处理 · 到底行不行
                             r"|你们(?:就)?不管|到底(?:能不能|行不行)(?:处理|解决|给个|管)|到底行不行[啊?？!！]*$")


def demands_action(text: str) -> bool:
    return bool(_DEMANDS_ACTION.search(text))


# 什么垃圾店 · 浪费老子时间 · 废物一个 · 你们真恶心 · 活该被宰: insults, which no search or question carries
# (垃圾袋 · 晕车恶心 · 我真蠢 看错了 · 不想浪费时间 · 怕被宰 are none)
INSULT = re.compile(r"垃圾(?:店|客服|机器人|玩意|东西|平台|系统)|什么垃圾(?![袋桶])|破店|浪费(?:老子|我)的?时间|废物"
                    r"|(?:真|太|好)恶心|恶心人|(?<![我不])(?<!我真)(?<!我好)蠢(?![萌蠢欲])|智障|弱智|(?<!怕)被宰|烂透")
# 凭啥我出运费 太过分了 · 当我好欺负: indignation, fury when it says whom it blames (太过分了 alone, after a guest's
# order question, is asked to log in again rather than handed over)
_BLAMING = r"(?:凭啥|凭什么)[^，。,.!！?？]{0,8}(?:[?？]{2,}|[!！]|过分|欺负)|欺负人|当我好欺负"
INDIGNATION = re.compile(r"太过分|过分了|" + _BLAMING)
# 什么破系统 烦不烦 · 无语 越问越气 · 而且扣了两次！！！: fury, not only displeasure; said right after another
# grievance, a person should take over now rather than at a third.
# (无语 alone, the shopper's sigh, is displeasure: 你们效率也太低了吧 无语 after 怎么还没到 is a first complaint)
_FURIOUS = re.compile(r"什么破|破(?:系统|玩意|服务|东西|客服|机器人?)|无语(?:死|至极|到家|透)|烦不烦|烦死|越(?:问|说|想)越气|气死|"
                      r"听不懂人话|[!！]{3,}|有病吧|(?:很|好|太|真的|非常|特别)生气|火大|气炸|受不了了|忍不了"
                      r"|告你们|12315|骗子(?![的门])|[😡🤬💢👿]|一肚子火(?!锅)|垃圾死了"
                      # 你们这系统太垃圾了 · 客服真垃圾: the shop called rubbish (东西质量也太垃圾了 is displeasure with a thing)
                      r"|(?:系统|服务|客服|平台|店|你们)[^，。,.!！?？]{0,3}(?:太|真|好|很)垃圾"
                      # 你们这什么服务 催了也没用 太气人了 (有什么服务保障吗 · 太垃圾的不要 ask or choose)
                      r"|(?<!不)气人|什么态度(?![的好])|催了也没用(?![吗么])"
                      r"|" + INSULT.pattern + "|" + _BLAMING)


def furious(text: str) -> bool:
    return bool(_FURIOUS.search(text))


# 就这？选择也太少了吧 · 你这推的拍照都一般啊 敷衍 · 就一个？不是吧: displeasure short of a complaint, which the NLU
# often hears as shopping; fury right after it is anger said a second time.
# (衣服了 · 舒服了 · 差评多吗 · 有坑吗 · 内存太少了 are none)
_DISPLEASED = re.compile(r"就这[？?]|(?:选择|款式)?(?:也)?太少了吧|敷衍|不是吧|都一般|一般啊|土款|差评(?![多率吗么])"
                         r"|坑(?:人|爹|死)|被坑|(?<![衣舒])服了|太麻烦|这么麻烦|太慢|慢死|太差|质量差|什么做工|不靠谱|效率也太"
                         r"|没一个|无语|什么质量"
                         # 下单三天了还是待发货 搞什么啊 · 最讨厌中通了 每次都慢 (搞什么活动 asks the promotions)
                         r"|最讨厌(?:你们|客服|快递|[中圆申]通|韵达|顺丰|这种服务)|(?:每次|老是|总是)都?(?:这么|那么)?慢(?![慢吞])"
                         # 能不能看懂啊 · 答非所问 · 说了等于没说: the bot found wanting
                         r"|能不能(?:看|听)懂|(?:看|听)不懂(?:人话|我(?:说|的)|吗|啊|是吧)|答非所问|扯别的|等于没说|什么效率"
                         # 这都什么玩意儿 一个看得上的都没有
                         r"|什么玩意|一个(?:都|也)?(?:看得上|看的上|像样|能用)的?(?:都|也)?没有")


# 搞什么啊 · 搞什么？ (你们店最近搞什么？有活动吗 · 双11准备搞什么呀 ask the promotions)
_WHAT_ARE_YOU_DOING = re.compile(r"搞什么(?:啊|呀|嘛|鬼|飞机|名堂)|搞什么[?？!！]|搞什么\s*$")
_PROMOTION_TALK = re.compile(r"618|双1[12]|双十[一二]|活动|满减|优惠|促销|最近|准备")


def displeased(text: str) -> bool:
    return bool(_DISPLEASED.search(text)) or furious(text) \
        or bool(_WHAT_ARE_YOU_DOING.search(text) and not _PROMOTION_TALK.search(text))


# Problems the bot cannot settle itself, whatever it answers: a payment taken twice, damage with photos ready to
# show.  (A wrong item or a parcel marked delivered that never came asks which order first: reviewers of most
# sets expect it, and the ticket then names it.)
_ONLY_A_PERSON = re.compile(
    r"扣了(?:我)?(?:两|2)(?:次|笔|遍)(?:钱|款)?|重复扣(?:款|费|钱)了|多扣了(?:我)?(?:钱|款)"
    r"|(?:图|照片|视频)(?:我)?(?:拍好了|都拍了|拍了|已经拍了)[^，。,.!！?？]{0,4}(?:发哪|发给谁|怎么发|发你|发给你|给谁)")


def needs_a_person(text: str) -> bool:
    return _ONLY_A_PERSON.search(text) is not None
