"""Understanding a message in its conversation (结合上下文理解): the NLU's intent, corrected by state.

The NLU reads one message alone.  Some messages only make sense with what is on the
customer's screen, and the NLU, trained on messages alone, reads them the wrong way:

| message (with this state)                          | NLU alone             | understood as                |
| -------------------------------------------------- | --------------------- | ---------------------------- |
| 改成蓝色的吧 · 换个便宜点的 (cards shown, no order) | change / exchange     | ``inform_preference``        |
| 还有别的吗 · 换几款 · 再来几个 (cards shown)         | anything              | ``request_more`` (new cards) |
| 有耐克的吗 (cards shown, no product referred to)     | check_stock / info    | ``inform_preference``        |
| 蓝色有吗 (cards shown, none asked about yet)          | check_stock           | ``inform_preference``        |
| 她喜欢护肤 · 要降噪的 (a condition or product word)  | fallback / chit-chat  | a shopping request           |

Everything else keeps the NLU's intent.  ``understand`` is a plain function of the
message and :class:`DialogueState`; the Rasa side is :mod:`bot.policies.understanding_policy`,
which reads the state from the tracker, records the result in the ``understood_intent``
slot (actions read that, not the raw NLU intent) and picks the action for a changed intent.
docs/understanding.md explains the whole path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any, Iterable, Mapping, Optional

from bot.dialogue.alert_requests import ANOTHER_ALERT, ASKS_ALERT
from bot.dialogue.commands import is_command
from bot.dialogue.conditions import (GIFT_WORDS, SHOPPING_PLACES, asks_other_brand, dropped_conditions,
                                     goes_back_to_earlier_budget, kept_conditions, priced_like)
from bot.handoff.wishes import INDIGNATION, INSULT, demands_action, displeased, files_complaint, furious, needs_a_person
from bot.dialogue.named_products import names_a_model, names_a_model_to_buy, names_a_product
from bot.dialogue.order_references import (
    ANOTHER_ORDER, BUYS_ANEW, COURIERS, NAMES_AN_ORDER, ORDER_REFERENCE, RESUMES_SHOPPING, STATUS_QUESTION, WITHDRAWS,
    leaves_order_request, names_only_an_item,
)
from bot.dialogue.product_answers import asks_about_size, asks_formula_stage
from bot.catalog.model import fold
from bot.catalog.vocabulary import (is_accessory, kinds_mentioned, names_a_line, same_kind,
                                    shipped_brands, unsold_brand_in, unsold_kind_at, unsold_kind_in)
from bot.dialogue.references import POINTING
from bot.orders.order_ids import find_order_ids
from bot.language.ages import child_age_in_months, child_ages_removed
from bot.language.colors import names_a_colour
from bot.language.negation import KEEPS_PART, REJECTED
from bot.language.normalize import respelled, to_simplified
from bot.service.after_sales import CANCELS_WHOLE, new_contact

# Not a taxonomy intent: a shopping request for other products under the same conditions.
REQUEST_MORE = "request_more"
# Not a taxonomy intent: 我的工单怎么样了 · 退订提醒 · 忘掉我的偏好 (bot/dialogue/commands.py).
CUSTOMER_COMMAND = "customer_command"
# Not a taxonomy intent (the taxonomy files these under return requests): a question about the
# shop's after-sales rules, answered from the knowledge base without asking for an order.
ASK_AFTER_SALES_POLICY = "ask_after_sales_policy"
# Not a taxonomy intent: a question about the shop itself (人工客服几点上班), answered from the
# whole knowledge base; the NLU reads the person named in it as a request for one.
ASK_SHOP_INFO = "ask_shop_info"

# Intents the NLU gives a refinement (改成蓝色的 · 那三百以内呢) when it thinks of an order instead of the cards;
# understood, they are about one's own order, and what they name is no shopping condition.
ORDER_INTENTS = frozenset({"request_exchange", "change_order_info", "cancel_order", "query_order_status",
                           "request_return_refund"})
# Intents the NLU gives 有耐克的吗 or 要防水的 when it thinks of the shown products' stock or properties.
_SHOWN_PRODUCT_INTENTS = frozenset({"check_stock", "ask_product_info"})
# Questions that need shown products; with none shown and products named, they are a request
# (a comparison or a stock question names models, which the actions look up instead).
_NEEDS_CARDS_INTENTS = frozenset({"ask_product_info", "ask_size_advice", "check_stock"})
# Intents that carry no request of their own: a condition in them is the request.
_WEAK_INTENTS = frozenset({"nlu_fallback", "out_of_scope", "affirm", "deny", "greet", "thank", "goodbye",
                           "bot_challenge"})
CONDITION_ENTITIES = frozenset({"product_category", "brand", "color", "size", "budget"})

# One's own order named outright (an order question the NLU could not place is still about it).
_MY_ORDER = re.compile(r"订单|单子|下的单|我(?:上次|刚|之前)?买的|我的(?:快递|包裹)")
# Words that are about an order or a parcel, never about cards on the screen.
_ORDER_WORDS = re.compile(
    r"订单|单号|单子|[那这]单(?![品价])|下单|下的单|买的|买过|收到|到货了|快递|物流|包裹|寄|退(?!而求其次|到|一步|休)|发票|地址|(?<!打)电话(?!手表)|手机号|收货|签收|质量|坏|破|漏"
    r"|刚(?:刚)?(?:下|拍)的|[买拍]错了?|待付款|待发货|没付款的|未付款|还没付|没(?:有)?发货|还没发|付(?:完|了)(?:款|钱)?了?|取件码"
    r"|[^一]小了|[^一风雨雪老太]大了|不合适|不合身|换货|退换"
    r"|(?i:(?<![a-z])(?:order|refund|tracking|package|parcel)(?![a-z]))")
# What is done to an order (取消 · 改地址 · 换货 · 不要了), said of one
_ORDER_ACTS = re.compile(r"取消|撤(?:销|单)|改|换|退|不要了|不想要了|别发|不发了|关(?:了|掉)|催"
                         r"|(?i:(?<![a-z])(?:cancel|refund|return|exchange)(?![a-z]))")  # 我想cancel掉那个篮球鞋的order
# Words of someone shopping, not of someone with an order (零食推荐下 · 想买个 · 有没有).
# 黑色的 · 藏青色: a colour word by its first characters, as the swaps of a variant below say it.
_COLOUR_WORD = r"[黑白红蓝灰粉绿黄紫棕米卡藏青]{1,2}"
# 大一码 · 小半号: the size next to one's own.
_NEXT_SIZE = r"[大小][一半]?[码号]"
_SHOPPING_WORDS = re.compile(r"^(?:那|就)?买(?!的|了|过|[一两二三四五六七八九十0-9]+[个件双瓶盒套份])"  # 买两个有优惠不: a question
                             r"|买[\u4e00-\u9fff]{1,4}吧|推荐|推存|想买|买个|买双|买件|买台|买点|看看|有没有|来个|来点|挑"
                             r"|(?<![寄发送])来(?:一)?(?:件|双|条|台|瓶|支|盒|副|套|部|罐)"
                             r"|想换(?:个|台|部|双|件|一)(?!颜色|色|尺码|码|号|大|小|" + _COLOUR_WORD + r"[色的])|囤|能买|买得到"
                             r"|买到|康康|瞅瞅"
                             r"|(?:另|再|帮我|重新)找(?:个|双|件|台|部|款|一)"
                             r"|给(?:他|她|我爸|我妈|老人|孩子|宝宝|爸|妈|老公|老婆)换(?:个|台|部|双|件|一)|入手"
                             r"|换(?:个|台|部|双|件|一[个台部双件])新|" + BUYS_ANEW.pattern)
_MORE = re.compile(
    r"还有(?:别的|其他|其它|什么|没有|没|吗|嘛|么|莫|咩|冇)|还有不[～~!！。.，,?？\s]*$|别的(?:款|呢|吗|看看)|其他(?:的|款)|其它(?:的|款)|"
    r"换(?:几|一批|一波|一拨|一轮|一些|些|点|别的)(?:款|个|样)?|再来(?:几|一些|点|一批|一波|一拨|一轮)|再(?:推荐|看看|给我看|给(?:我)?几)|多(?:推荐|看)几|"
    r"^(?:那|再)?换一换[吧呗呀～~!！。.，,?？\s]*$|(?:有没有|有木有|还有没有)别的(?:了|的)?[吗嘛呢啊呀～~!！。.，,?？\s]*$|"
    r"有木有别的|还有木有|不喜欢(?:这|那)(?:几|些)|(?:这|那)(?:几|些)(?:款|个|样)?都不(?:喜欢|太喜欢|行|太行|要|合适|满意)|下一批|更多|(?:看|瞅|瞧)(?:看|下|一下)?别的|换换"
    r"|(?:别的|其他|其它|不同的?)(?:款式|样式|式样|造型)"
    # more options? · any others: asked in English among Chinese
    r"|(?i:(?<![a-z])(?:more options|more choices|any others|anything else|other options)(?![a-z]))"
    # 换一个 · 再换一款吧, said alone: other products, not the same search again
    r"|^(?:那|要不)?(?:再)?换(?:一)?[个款双件台部条](?:吧|呗|呢|看看|试试|瞧瞧)?[～~!！。.，,?？\s]*$")
# 还有别的玩具吗: more of the kind being searched, said with its name.
_MORE_OF_KIND = re.compile(r"(?:还有|有没有|再来|看看)(?:别的|其他|其它)[\u4e00-\u9fffA-Za-z]{1,5}(?:吗|嘛|么|呢|没|\s|$)")
# 还有别的颜色吗 asks about a shown product's variants, not for other products.
_VARIANTS = re.compile(r"颜色|色|尺码|码|号|配色")
# A refinement of shown products: a new value for a condition, in words.
_REFINE = re.compile(
    r"改成|换成|换个|换一个|换(?!货)[\u4e00-\u9fff]{1,4}的|换一[条双件款台]|换[条双件款台](?!货)|要个|要一个|来个|便宜|实惠|贵一?点|高端|预算|以内|以下|左右|大一码|小一码|"
    r"大一号|小一号|颜色|色的|码的|号的")
# Pointing at one of the shown products (这款 · 第二个 · 它), so the question is about that product.
# Said as a wish (要防水的 · 护眼的有没 · 续航要好 · 还是银色吧), not as a question about a product.
_WISH = re.compile(
    r"^(?:要|想要|最好|希望|需要|还是|还要|还得|得|主要|必须|只要)|^[\u4e00-\u9fffA-Za-z0-9]{1,6}就(?:行|好|可以)(?:了|啦)?(?:\s|$|[，,])|(?:^|\s|[，,])要[\u4e00-\u9fff]{1,6}的|的吧|^[\u4e00-\u9fff]{1,4}的(?=\s|$|[，,。])|[\u4e00-\u9fff]{1,4}(?:一)?点(?:的)?(?:\s|$|[，,。!！])|不想太|不要太|别太|要(?:能|有|带|好|大|长|轻|薄)|有没有|"
    r"的有(?:吗|没|嘛|么)|有[^，。,.]{0,8}(?:的|款|那种)(?:吗|没|嘛|么)|有没[～~!！。.，,?？\s]*$|"
    r"(?:我|她|他|宝宝|孩子|家里|我妈|我爸|老人)(?:是|平时|比较|有点|特别|容易|经常|老|肠胃|皮肤|脚|嘴唇)|"
    r"(?:好|大|长|轻|薄|多|高|强|软)(?:一)?(?:点|些)?的|[\u4e00-\u9fff]{1,3}(?:一)?(?:点|些)(?:的|吧)?[～~!！。.]*$|"
    r"(?:的|点的|一点的|些的|那种|那款|款的|吧)(?:吗|呢|嘛|么|没|不|没有)?[～~!！。.，,?？\s]*$")
_PROPERTY_QUESTION = re.compile(r"^(?:是不是|是|会不会|会|能不能|可不可以|适不适合|支不支持|有多|多)")
# Anger: a complaint, even when it names a product.
_ANGER = re.compile(INSULT.pattern + r"|(?<![出相偏])差(?!不多|价|距)|烂|垃圾|(?<![消客天运香脾暖空力名勇福人口喜底])气(?![质味温色垫场泡])"
                    r"|投诉|坑|骗|失望|破|太慢|不满|生气|无语|怎么回事|搞什么|什么鬼|[!！]{2,}|退钱")

# 能退吗 · 能不能换 · 拒收行不行: whether something can be sent back
_CAN_SEND_BACK = re.compile(r"(?:能|可以|能不能|可不可以)(?:退|换)|(?:退|换)(?:得了|不了)|拒收"
                            r"|(?:能|可以)(?:寄|退)回(?:去|来)?(?:吗|么|嘛|不)|寄(?:得|的)回去")
# 好 都要了 下单去 · 我去拍了: done choosing
_GOES_TO_BUY = re.compile(r"(?:下单|付款|拍|买)去|去(?:下单|付款|拍|买)了?|(?:都|就|全)要了")
# 没付款的单会自己取消吗 · 不付款会自动关闭吗
_AUTO_CANCEL = re.compile(r"(?:会|能)(?:不会)?(?:自己|自动)(?:取消|关闭|关掉|没了)"
                          r"|(?:不付|没付|未付)[^，。,.]{0,6}(?:会|就)(?:被)?(?:自动)?(?:取消|关闭)")
# 华硕的还能便宜点不 · 能少点吗: the price bargained over, a promotion question (with a budget said as a range or a
# bound, cheaper products to show: 能再便宜点吗 一百多的)
_BARGAINS = re.compile(r"便宜(?:点|些|一点|一些)|少(?:点|些)|砍价|议价|讲价|优惠点")
# 熬夜加班提神的 放办公室 · 写论文偶尔打打游戏 四五千的: a product described by its use (or its price)
_BY_ITS_USE = re.compile(r"[\u4e00-\u9fff]{2}的(?:$|[\s，,。])")
# 附近有啥好吃的馆子: places and services the shop does not sell, whatever words of products they hold
_NOT_A_PRODUCT = re.compile(r"附近|馆子|饭店|餐厅|饭馆|外卖|电影|天气|景点")
# 同事天天加班，想送点吃的给他们: something to give, the bad day is why
_GIVES = re.compile(r"想送|送(?:点|个|些|几)")
# 真的会谢 · 一点用没有 · 问了等于没问: thanks or agreement in words, annoyance in meaning
_SARCASTIC = re.compile(r"(?:真的|真|我)会谢|一点用(?:都|也)?没有|(?:问|说)了(?:跟|和|也)?(?:等于)?白(?:问|说)"
                        r"|(?:问|说)了(?:跟|和)?等于没(?:问|说)|跟没(?:回|说|问)一样")
# 算了 我还是想跟人工聊聊 · 叫你们经理出来 · 有没有活人: a person wanted, whatever else was said.
_WANTS_PERSON = re.compile(
    r"(?:转|找|要|叫|联系|接|换|想跟|跟|让|请|喊)[^，。！？,.!?]{0,6}(?:人工|真人|活人|客服|经理|主管|负责人|小姐姐)"
    r"|(?:给我|帮我)?找个(?:人|管事的|能做主的)(?:来|吧|过来)?(?:[!！?？。]|$)"
    # 不想跟机器说了 · 跟机器人说不清: done with the bot, a person is what is left
    r"|不想(?:再)?(?:跟|和)(?:机器人?|ai|AI|你|智能客服)(?:说|聊|讲)|(?:跟|和)?(?:机器人?|ai|AI)(?:说|聊|讲)不(?:清|明白|通)"
    r"|(?:找|叫|派)(?:个|一个)人(?:来|过来)(?=[吧啊呀!！。.?？\s]|$)"  # 你没用 找个人来
    r"|有没有(?:活人|真人|人工)|有没有(?:懂行|懂|专业|内行)[^，。！？,.!?]{0,4}的人"
    r"|(?<!是)(?:活人|真人|人工)(?:客服)?(?:在|呢)(?![回答聊说打])"  # (是真人在回吗 asks who answers)
    r"|(?:找|叫|换)(?:个|一个)?[^，。！？,.!?]{0,6}的人"  # 找个懂电脑的人来
    r"|(?:叫|找|来|换|派)(?:个|一个)?人(?:来|过来)?(?:处理|解决|跟我说|和我说|管|看看)"  # 叫个人来处理 · 快帮我找人处理
    r"|(?:让|找|叫|换)(?:个|一个)?(?:能|会)(?:处理|做主|管事|解决)[^，。！？,.!?]{0,2}的人"  # 处理不了就让能处理的人来
    r"|转(?:人公|仁工|人gong)|人公客服"  # 转人公: 人工 mistyped
    # 人呢 · 有人吗: is anyone there (坑人呢 · 气死人呢 are grievances, no person asked for)
    r"|(?<![坑骗害气吓笑烦宰死])人呢[?？!！。.~～\s]*$|有人(?:在)?吗|有没有人(?:在|理|回|管)|(?:客服){2,}|客服[?？!！]{2,}"
    r"|(?i:real (?:person|human)|talk to (?:a |an )?(?:human|person|agent)|human agent|customer service"
    r"|zhuan\s*ren\s*gong|ren\s*gong\s*ke\s*fu)")
_PERSON_INTENTS = _WEAK_INTENTS | {"complain"}
# 想问问真人客服 · 转人工 · 要人工 · 打个电话给我: a person asked for in so many words.
_PERSON_OUTRIGHT = re.compile(r"(?:想|要|找|转|请|让|有没有)(?:个|一个)?(?:问问|问一下|问下|咨询(?:一下)?|跟|和)?"
                              r"(?:真人|人工|人公|仁工)(?!智能|皮|革|合成|材质|费|实测|测评|评测|试|作)"
                              # 找客服 有个发票的事要问: the shop's staff asked for (客服上次说 reports one)
                              r"|(?:^|[\s，,])(?:我要|我想|帮我|给我)?(?:找|转|联系|接)(?:一下|下)?(?:你们的?)?客服(?!说|讲|回|告诉)"
                              r"(?![^，。,.?？]{0,6}(?:怎么|吗|么|要不要|也没用|没用|有用))"
                              # 打个电话给我 · 电话里说清楚: a call, which only a person makes
                              # (到了会打电话给我吗 asks whether the courier calls)
                              r"|(?:(?<=一会)|(?<=待会)|(?<!会))(?:打|回)(?:个|一个)?电话(?:给我|过来)"
                              r"|(?:(?<=一会)|(?<=待会)|(?<!会))给我(?:打|回)(?:个|一个)?电话"
                              r"|电话(?:里|上)?(?:说|沟通|联系|聊)"
                              # 有人工没 · 有活人吗: whether a person is there to talk to
                              r"|^(?:请问|你好|喂|在吗)?[\s，,]*有(?:没有)?(?:真人|人工|活人)(?:客服)?(?:没|吗|么|嘛|不|没有)?"
                              r"(?=[\s，,。?？!！]|$)")
# 不用转人工 · 上次找人工等了半小时 这次先问问你: a person mentioned, not wanted now.
_DECLINES_PERSON = re.compile(r"(?:不用|不要|别|不必|先不|无需|不需要|没必要)(?:给我|帮我|帮忙)?(?:转|找|叫|接)?(?:人工|真人|客服)"
                              r"|(?:不用|不要|别)转(?!账|款)"
                              r"|上次(?:找|转|叫)(?:了)?(?:人工|客服)|(?:这次)?先问(?:问)?你|机器人也行"
                              r"|(?:现在|暂时|目前)?先不用(?:了)?[\s。.!！]*$")  # 答不上来会有真人接吗？现在先不用
# 行吧 88 · 好的 拜拜: a goodbye and at most a word of assent.
_ONLY_GOODBYE = re.compile(r"(?:好的|好吧|好|行吧|行|嗯嗯|嗯|ok|okk|那)?[\s,，]*(?:88|886|拜拜|拜|再见)[\s!！～~。.]*$",
                           re.IGNORECASE)
# 行 都买了 拜拜 · 行 先看看 拜拜: a few words to close, then goodbye (the NLU may hear a request in 看看).
_CLOSES_WITH_GOODBYE = re.compile(r"^(?!.*(?:快递|包裹|物流))"
                                  r"[^，。,.？?]{0,8}?[\s,，]*(?:88|886|拜拜|拜|再见|bye|溜了|(?:(?<=[\s,，])|^|先|我)走了)"
                                  r"(?:了|啦)?[\s!！～~。.]*$",
                                  re.IGNORECASE)
# Small talk the NLU gives another small-talk label (好的 886 read as affirm, 好的谢谢 as affirm).
_SMALL_TALK_INTENTS = frozenset({"affirm", "deny", "greet", "thank", "goodbye", "nlu_fallback", "out_of_scope"})
_THANKS = re.compile(r"谢|thx|thanks|thank|感恩|xiexie|3q|3Q|(?<![太好真])麻烦(?:你|您)?(?:了|啦)|辛苦(?:了|啦|你|您)|比心"
                     r"|唔该[晒哂嗮]")  # 唔该晒: thanks in Cantonese (唔该 before a request is "please")
# 唔该晒 · 好啦 唔该 · 谢啦🙏🌹 · 好的多谢: a message that is only thanks, whatever the NLU heard in it (a bare 唔该
# ending the message thanks; before a request it asks politely).
_ONLY_THANKS = re.compile(r"^(?:好的?|好滴|好嘞|好啦|好吧|嗯嗯?|行|ok|okk|收到)?[\s,，]*(?:非常|十分|太)?"
                          r"(?:谢谢|谢啦|谢了|多谢|感谢|唔该|thx|thanks|3q)(?:你|您|你们|晒|哂|嗮|啦|哈|了|呀|啊|咯)*"
                          r"[\s!！～~。.\U0001F300-\U0001FAFF\u2600-\u27BF]*$", re.IGNORECASE)
# Leaving to think it over (我再看看 · 我考虑下), said with thanks: no request.
_JUST_LOOKING = re.compile(r"我(?:再|先|自己)(?:看看|想想|考虑|逛逛|琢磨)|考虑(?:一)?下|再说吧|回头再"
                           r"|(?:晚点|等会|待会|过会|明天)(?:儿)?(?:再)?(?:下单|拍|买|付)")
# 好的我再看看 · 行吧我考虑下 · 好的我再去别家对比下: all the message says is leaving to think it over.
_LEAVES_TO_THINK = re.compile(r"^(?:好的|好滴|好吧|好嘞|好|行吧|行|嗯嗯|嗯|ok|okk|哦|噢|那|emm+)?[\s,，～~。.]*(?:那)?(?:我)?(?:先|再|自己)?"
                              r"(?:看看|想想|考虑(?:一)?下|考虑考虑|逛逛|琢磨(?:一)?下|(?:去)?(?:别家|别的店|其他家)(?:对比|比比|比较|看看)(?:一)?下?"
                              # 行 我问问她 · 我跟老公商量下: the one it is for decides
                              r"|(?:跟|和)?(?:她|他|我妈|我爸|老公|老婆|对象|家里人?)(?:问问|问下|问一下|商量(?:一)?下|商量商量)"
                              r"|(?:问问|问下|问一下)(?:她|他|我妈|我爸|老公|老婆|对象|家里人?)|商量(?:一)?下|商量商量)"
                              r"(?:吧|哈|先|再说|啦)?[\s!！～~。.]*$", re.IGNORECASE)
# 杭州西湖区文三路那边 · 世纪大道100号: a place to deliver to (改成… is then the address, not a colour)
_NAMES_A_PLACE = re.compile(r"[\u4e00-\u9fff]{1,6}(?:省|市|区|县)[\u4e00-\u9fff]{0,8}(?:路|街|大道|小区|村|镇|花园|公寓)"
                            r"|[\u4e00-\u9fff]{2,8}(?:路|街|大道)[0-9一二三四五六七八九十]+号")
# 搞定没 · 改好了吗 · 退好了没, after asking for something done to an order: where it stands
_DONE_YET = re.compile(r"^(?:那|所以|现在)?(?:搞定|弄好|改好|办好|处理好|退好|换好|取消好|好)了?(?:没|吗|么|嘛|没有|不)[?？。～~!！\s]*$")
# An after-sales request's kind (pending_offer order:<kind>, bot.service.policy) and its intent.
INTENT_OF_KIND = {"return_refund": "request_return_refund", "exchange": "request_exchange", "cancel": "cancel_order",
                   "change_info": "change_order_info"}
# 快点！！！ · 赶紧的: impatience, a grievance (the NLU has no intent for it and may read nothing)
_HURRIES = re.compile(r"^(?:你们)?(?:快点|快一点|快点儿|赶紧|赶快|麻利点|能不能快点|快快快|速度)(?:的|吧|啊|呀|行不行|好吗|处理)?[!！。.～~\s]*$")
# 晚上好 还没下班啊😂: a greeting and a few friendly words (an order or a product said is more than that)
_GREETING_CHAT = re.compile(r"^(?:你好|您好|哈喽|嗨|hi|hello|早上好|上午好|中午好|下午好|晚上好|早安|早啊|在吗|在不在)"
                            r"[\s,，!！~～。.]*(?:(?!订单|单子|快递|退|换|买|推荐)[^，,。？?]){0,8}[？?!！~～。.]*$",
                            re.IGNORECASE)
_SMALL_TALK = (
    ("goodbye", re.compile(r"886|(?<![0-9])88(?![0-9])|拜拜|再见|回头见|下次(?:再)?(?:来|聊|见|买)|先这样|先走了|溜了"
                           r"|先加(?:了)?(?:购物车|购)|加(?:了)?购物车|先收藏|baibai|bye")),
    ("thank", _THANKS),
    # 好吧 那我再等两天: the customer will wait; an acknowledgement, not a request
    ("thank", re.compile(r"(?:再|先)等(?:等|一下|一等|两天|几天|一两天|看看)|那我(?:就)?等")),
    ("bot_challenge", re.compile(r"(?:你|您)(?:叫|是)(?:啥|什么|谁)(?:名字)?|(?:你|您)的名字")),
    # 好麻烦 算了 · 那算了吧: the customer lets it be; no misunderstanding
    ("deny", re.compile(r"^[^，,。]{0,6}[\s，,]*(?:那|那就)?算了(?:吧|啦|叭)?[。.!！～~]*$")),
    ("greet", _GREETING_CHAT),
    # 哦哦 没事 随便问问: nothing more wanted
    ("deny", re.compile(r"^[^，,。]{0,4}[\s，,]*(?:(?:没事|没事了|随便问问|就随便问问|只是问问|就问问)[\s，,]*)+[吧啦哈的呀～~。.!！]*$")),
)
# 推荐双跑鞋 我穿多大的都行: products asked for, the size aside.
_SHOULD_BUY = re.compile(r"推荐|有没有|来(?:一|个|双|件)|想买|想要")
# 要不要买大半码 · 该不该选小一码: whether to, asked.
_SHOULD_I = re.compile(r"要不要|该不该|需不需要|需要不需要|用不用|是不是(?:得|要|该)"
                       r"|要(?:买|拿|选|穿)?[大小][一半]码(?:不|吗|么|嘛)")  # 我脚宽 匡威要买大一码不
# 质量靠谱吗 · 耐不耐用 · 是正品吗: a doubt about a product, asked.
_DOUBTS = re.compile(r"质量|靠谱|耐用|耐不耐|正品|真的假的|值不值|会不会坏|容易坏")
# 想入手mate60 pro: buying the model named, not asking about it.
_WANTS_TO_BUY = re.compile(r"(?:想|准备|打算|要)(?:入手|买)|想要(?!问|知道|了解)")
# 牛仔裤到了 腰勒得慌 · 收到了 · 到手了: something bought has come (到了吗 asks whether it has).
_ARRIVED = re.compile(r"(?:到了|收到了|签收了|到手了)(?![吗嘛么没不呢?？])")
# 退完再拍件XL的 · 重新买一件: another bought after this one goes back.
_BUYS_AGAIN = re.compile(r"(?:退完|退了|退掉)[^，。,.]{0,3}(?:再|重新)(?:拍|买|下单)")  # 取消了重新拍: a cancellation
# 电子的就行 · 发我邮箱 · 抬头写公司: the invoice asked for.
_INVOICE_DETAILS = re.compile(r"电子(?:的|版|发票)|纸质|邮箱|抬头|税号|专票|普票")
# 那咋办 · 那怎么办啊 · 那我咋整: what now.
# 不管 我就要退 · 凭什么不能退 · 必须给我退: the request again, whatever the rule said.
_INSISTS = re.compile(r"不管|我就要|就要(?:退|换|取消)|非要|必须|凭(?:什么|啥)不")
_STUCK = re.compile(r"(?:那|那我|那你说)?(?:咋办|怎么办|咋整|怎么弄|咋弄)")
# 让快递员转寄行吗 · 能改派吗 · 拒收行不行: a way through the courier asked, which the rules answer (快递员电话打不通
# asks nothing of the rules)
_THROUGH_THE_COURIER = re.compile(r"(?:转寄|改派|转送|拒收)[^，。,.]{0,4}(?:行|能|可以|吗|么|嘛|不)"
                                  r"|(?:能|可以|能不能|可不可以)[^，。,.]{0,6}(?:转寄|改派|转送|拒收)")
# 他穿多大码我也不知道 · 尺码不清楚: a size the customer cannot say, no question.
_SIZE_UNKNOWN = re.compile(r"(?:多大|什么|啥|几)码[^，。,.?？]{0,3}(?:也|都)?(?:不知道|不清楚|不晓得|没数)"
                           r"|尺码[^，。,.?？]{0,3}(?:不知道|不清楚|不晓得)")
# 下回要换3段了 · 下次换个牌子: what to buy next time.
_NEXT_TIME_SWITCH = re.compile(r"(?:下回|下次|以后|过段时间|过阵子)[^，。,.]{0,3}换")
# 那换30的 · 换成M吧 · 换个黑色的: another size or colour, said alone.
_RETURN_REFUSED = re.compile(r"退不了|不能退|没法退|退不掉")
_SWAP_IN_THE_ORDER = re.compile(r"(?:^|[\s，,吧啊了退])(?:那|那就|或者|要不)?换(?:成|个|一个|双|件|条)?\s*(?:[0-9]{2}(?:\.5)?"
                                r"|[SMLX]{1,3}|[^\s，。,.]{1,3}色|[\u4e00-\u9fff]{1,2}(?=的)|[大小](?:一|半)码)(?:码|号)?的?"
                                r"(?:吧|呢|行不|行吗|可以吗|可以不|总行吧|总可以吧|也行|也可以)?$", re.IGNORECASE)
# 吵着要 · 喜欢 · 想: a wish, told of a product named.
_WISHED_FOR = re.compile(r"要|想|喜欢|爱")
# 退掉那个蓝的要黑的 · 不要那个白的 换灰色: one shown product swapped for another colour or size.
_SWAPS_SHOWN = re.compile(r"(?:退掉|不要|换掉)(?:那个|这个|那款|这款|那双|这双|那件|这件|那条|这条)?[\u4e00-\u9fff0-9a-z]{0,3}的?"
                          r"[\s，,]*(?:要|换成?|来)|不要了?[^，。,.]{0,8}换(?:个|成|一个)")  # 黑的不要了退了退了 换个藏青的
# 红米手机哪款性价比高 · 哪个牌子的好: which one to buy, asked before anything is shown.
_WHICH_IS_BEST = re.compile(r"哪(?:款|个|种|一款)[^，,。]{0,8}(?:好|高|强|值|划算|推荐|适合)|推荐哪")
# 算了不取消了 改个地址就行 · 不退了 换个大一码 · 不换了 直接退吧: a request withdrawn, another in its place
_INSTEAD = re.compile(r"(不(?:退|换|取消|改)了?|别(?:退|换|取消)了?|不是(?:要)?(?:退|换|取消))[^，。！？,.!?]{0,8}?"
                      r"(?:(改(?:个|下|一下)?(?:地址|收货|手机|电话|号码|颜色|尺码))|(换(?:个|成|一下|货)?)|(退(?:货|款|了)?)"
                      r"|(取消))")
# L好像小了 改成XL吧 · 42怕小 还是要43的, with the cards of that size shown: the size searched, judged and swapped
_SIZE_ASKED_SWAPPED = re.compile(r"(?:[0-9]{2}|[xX]{0,3}[lLsSmM])(?:码|号)?[^，。,.]{0,4}(?:小|大)了?[^，。,.]{0,3}[\s，,]*"
                                 r"(?:改成?|换成?|要|来)(?:个|件|双|条)?(?:[0-9]{2}|[xX]{0,3}[lLsSmM])(?![0-9a-zA-Z])")


def _acts_on_an_order(text: str) -> bool:
    """取消 · 退了吧 · 还没发货 · 订单: something done to an order (白的还是不要了 alone refuses a colour of the cards)."""
    return bool(_ORDER_ACTS.search(re.sub(r"不(?:想)?要了", "", text)) or _NOT_SHIPPED.search(text)
                or _NOT_PAID.search(text) or re.search(r"订单|单子", text))


def _refuses_a_variant(entities: Iterable[Mapping[str, Any]]) -> bool:
    """白的还是不要了 (上次买的KT9白的太容易脏): a colour or size refused, of the products looked at."""
    return any(entity.get(REJECTED) and entity.get("entity") in ("color", "size") for entity in entities)


def _swaps_the_size_searched(text: str) -> bool:
    """L好像小了 改成XL吧: a size judged and swapped, with nothing bought or delivered named (我老公那条…31腰小了 ·
    前两天到的李宁羽绒服XXL太大了 能换成XL不 are purchases; the caller also rules out a kind or brand named)."""
    return bool(_SIZE_ASKED_SWAPPED.search(text)) and not (
        _OWN_PURCHASE.search(text) or _THAT_ONE.search(text) or _RECEIVED.search(text) or _BOUGHT_BEFORE.search(text)
        or _ARRIVED.search(text) or _arrived_home(text)
        or re.search(r"到的|买的|拍的|签收|上身|穿了|穿着|洗了|试了|这件|这双|这条", text))


_INSTEAD_KINDS = ("change_order_info", "request_exchange", "request_return_refund", "cancel_order")
# 你好 有人吗 · 在吗: the chat opened (a greeting), no person asked for yet
_HELLO_ANYONE = re.compile(r"\s*(?:你好|您好|哈喽|hello|hi|嗨|喂|亲)?[，,。!！~～\s]*(?:有人(?:在)?吗|在吗|在不在)"
                           r"[?？!！。~～\s]*", re.IGNORECASE)
# 人工客服几点上班 · 晚上有人吗: when people answer.
_ASKS_SERVICE_HOURS = re.compile(r"几点(?:上班|下班|有人|开始|在线|能)|什么时候(?:上班|下班|有人|在线)|(?:上班|工作|服务|在线)时间"
                                 r"|(?:晚上|周末|节假日|半夜)(?:有|还有)(?:人|客服)"
                                 # 晚上十点以后还有人在吗 · 过年期间有客服吗: people at a time asked after
                                 r"|(?:点|以后|之后|期间)(?:还|也)?有(?:人|客服)(?:在|值班)?(?:吗|么|嘛|不|没)")
# 朋友家宝宝刚满一岁 送点啥好: a present to choose, not the shop's free gifts (赠品).
_GIFT_QUESTION = re.compile(r"送(?![货到达])[\u4e00-\u9fff]{0,4}?(?:啥|什么)(?:好|合适|礼物|礼品)|(?:礼物|礼品)(?:送|买|选)?(?:啥|什么)")
# 兄弟生日 送点啥 三百以内: the short question is a present's when someone or an occasion is named (买两盒送点啥
# asks for the shop's free gift).
_SHORT_GIFT_QUESTION = re.compile(r"送(?:点|个|些)?(?:啥|什么)(?=$|[\s，。,.!！?？呢啊呀吧好])")
_PRESENT_FOR = re.compile(r"生日|纪念日|过节|节日|满月|周岁|百天|兄弟|朋友|闺蜜|老公|老婆|对象|[爸妈]|孩子|儿子|女儿|小朋友|小孩"
                          r"|侄子|侄女|外甥|同事|领导|老师|长辈"
                          r"|[表堂]?(?:哥哥|姐姐|弟弟|妹妹)|表[哥姐弟妹]|堂[哥姐弟妹]")  # (帅哥 calls the shop assistant)
_FREE_GIFT_WORDS = re.compile(r"赠品|买赠|满赠|送的|送赠|有送|送不送|会送|包邮")
# 我老公没事就爱打游戏 · 儿子8岁 超迷变形金刚: someone described by what they like, for a present.
_DESCRIBES_SOMEONE = re.compile(r"(?:老公|老婆|男朋友|女朋友|男友|女友|儿子|女儿|我爸|我妈|爸爸|妈妈|闺蜜|同事|领导|孩子|他|她"
                                r"|侄子|侄女|外甥女?|孙子|孙女|外孙女?|弟弟|妹妹|哥哥|姐姐|婆婆|公公)"
                                r"[^，。,.]{0,6}(?:爱|喜欢|平时|经常|天天|每天|迷)")
# 熬夜赶论文 想要点提神喝的: a wish for something of a kind.
_WANTS_SOME = re.compile(r"想要(?:个|点|些|一[个双件台瓶支盒])|想整(?:个|点)")
# 有什么吃的 · 有啥好玩的: what the shop has of a kind.
_WHAT_IS_THERE = re.compile(r"有(?:什么|啥|哪些)")
# Said to the bot about the bot (你是机器人吗): never a product, whatever words it shares with the catalog.
_TALKS_TO_BOT = re.compile(r"你是|您是|你叫|你们是")
_BROWSING = re.compile(r"随便看看|随便逛逛|先看看|逛逛|看看有什么|有啥好东西|有什么推荐|推荐点啥|备点东西|买点东西|买些东西|置办|备些")
# Asking which size, not giving one.
_SIZE_QUESTION = re.compile(r"多大|什么码|啥码|哪个码|几码|几段|合适|偏大|偏小|偏码|正码|标码|码(?:偏|正|准)|怎么选|咋选|怎么挑|选哪|穿哪"
                            r"|会不会|够不够|[大小][一半]码(?:不|吗|么|嘛)"
                            r"|能不能穿|要不要|需不需要"
                            r"|该不该|吗|呢|？|\?|[0-9a-z]\s*还是\s*[0-9a-z]"
                            # 29码腰围大概多少 · M码胸围是多少: the measures of a size
                            r"|(?:腰围|胸围|臀围|肩宽|衣长|裤长|脚长|长度|尺寸)[^，。,.]{0,4}多少", re.IGNORECASE)
# 有卡其色的吗 · 有没有黑色款: products of a colour asked for; 偏大吗 · 选几码 ask which size to take
_HAS_THAT_COLOUR = re.compile(r"有(?:没有)?[^，。,.？?\s]{0,6}?色(?:的|款)?")
_WHICH_SIZE_ASKED = re.compile(r"多大|什么码|啥码|哪个码|几码|合适|偏大|偏小|偏码|正码|标码|怎么选|咋选|选哪|穿哪|会不会|够不够")
# Requests about one's order that the bot answers after asking which order.
_SERVICE_INTENTS = frozenset({"query_order_status", "request_return_refund", "request_exchange", "cancel_order",
                              "change_order_info"})
# A new request, not an answer to which order.
_NEW_REQUEST_INTENTS = frozenset({"request_recommendation", "request_human", "complain"})

# 续航呢？ · 拍照呢 after a comparison or a product question: the same question, another aspect.
_FOLLOW_UP_INTENTS = frozenset({"compare_products", "ask_product_info"})
# What a shipping, payment or promotion question speaks of; without any, a product and a wish are a request
# (羽绒服 要特别保暖的 元旦去哈尔滨 is no question about delivery).
_FAQ_WORDS = re.compile(r"发货|快递|运费|包邮|邮费|送到|寄到|寄|物流|配送|到货|几天到|多久到|能到|支付|付款|分期|花呗|白条|发票"
                        r"|优惠|券|满减|活动|折扣|降价|赠品|会员|积分|价保")
# 这几件哪件最透气 · 哪个更轻 · 哪个厚实不透: which of the products shown is most something, a comparison.
_WHICH_OF_SHOWN = re.compile(r"哪(?:件|个|款|双|台|部|支|瓶|条)(?:[\u4e00-\u9fff]{1,4})?(?:最|更|比较"
                             r"|[\u4e00-\u9fff]{1,2}(?:一点|些)?(?:不|吗|呢|啊|[？?]|$)|[\u4e00-\u9fff]{3,4}[吗呢啊？?]*$)")
# 你反应有点慢啊 · 你这机器人好笨: the bot itself found wanting (not the shop, an order or a product).
_FAULTS_THE_BOT = re.compile(r"(?:你|机器人|客服)[^，。！？,.!?]{0,6}(?:慢|笨|傻|不行|不好用|听不懂|看不懂|答非所问|不聪明|没用)")
# Requests for products the NLU gives a service question asked while browsing (俩一起买包邮吗).
_SHOPPING_INTENTS = frozenset({"request_recommendation", "inform_preference", "compare_products"})
# 我胯宽 · 脚背高 · 160 100斤 · 平时M: the body a size is asked for; 能穿吗 · 会不会勒 · 磨脚吗: whether it fits.
_BODY_SAID = re.compile(r"胯(?:宽|大)|脚(?:宽|肥|背高|大)|腿粗|腰粗|肩宽|胸大|屁股大|(?:有点|偏|微)胖"
                        r"|[0-9]{2,3}\s*(?:斤|kg|公斤)|平时(?:穿)?\s*(?:[SMLX]{1,3}|[0-9]{2})(?![0-9])"
                        # 一百六十斤 · 我178 · 有点肚子
                        r"|[一两二三四五六七八九]百[一二三四五六七八九十]{0,3}斤|(?:我|身高)\s*1[4-9][0-9](?![0-9元块])|(?:有|大)(?:点)?肚子",
                        re.IGNORECASE)
_FIT_QUESTION = re.compile(r"能穿|穿得下|穿不下|会不会(?:勒|紧|小|大|磨|挤|卡)|勒不勒|紧不紧|磨(?:不磨)?脚|挤(?:不挤)?脚"
                           r"|合适吗|合不合适|穿(?:啥|什么|多大)码|选(?:啥|什么|多大)")
# 还有别的颜色不 · 有哪些颜色: the colours a product shown comes in.
_OTHER_COLOURS = re.compile(r"(?:别的|其他|其它|还有啥|还有什么|有哪些|有几种|几个|几种)颜色|颜色(?:有哪些|有几种|还有(?:啥|什么|哪些))")
# nova12没了? · 怎么没有 · 下架了吗: a product missing from what is shown or sold.
# 跟戴尔那个灵越比呢 · 水花4跟kt9差在哪: one product set against another.
_SETS_AGAINST = re.compile(r"[跟和与]|比|差")
# 拯救者啥时候到货: stock asked of a product named.
_STOCK_ASKED = re.compile(r"有货|现货|缺货|断货|补货|到货|来货|库存|还有|卖完|售罄|没货")
# 拯救者呢 · 天选有货吗 · 得宝那桶还有吗: whether a product named is there.
_ASKS_OF_A_NAMED_ONE = re.compile(r"(?:呢|咧)[?？。!！～~]*$|有货|现货|缺货|断货|有(?:吗|么|嘛|没)?[?？。!！～~]*$")
# 有KT的吗 · 还有大包装的吗 一公斤那种: products of a line or a sort asked for, a search.
_ASKS_FOR_SOME = re.compile(r"有(?!货)(?:没有|没)?[^，。,.!?？\s]{1,12}?的(?:吗|么|嘛|没)|有没有(?!货)|还有(?!货)[^，。,.!?？\s]{1,10}的")
_GONE = re.compile(r"没了[?？吗么嘛]*\s*$|没看到[?？吗啊呀]*\s*$|怎么没有|咋没有|没有了[?？吗么]*\s*$|下架了|卖完了")
# 那就欧莱雅那个吧 · 就白色那款吧: one of the products shown, taken.
_TAKES_SHOWN = re.compile(r"^(?:那|那就|就|好\s*就|行\s*就|好的\s*就)(?:要|选|拿|买)?(?:[^，。,.]{0,8}[那这]|第[一二三四五1-5])"
                          r"(?:个|款|件|双|条|台|部|瓶|支|盒)吧")
# 那个一百五十九的就挺好 · 159那款就行: the product shown at that price, taken.
_PRICE_POINTED = r"[0-9一二两三四五六七八九十百千.]+\s*(?:块钱|块|元)?的?\s*"
_SHOWN_ONE = r"(?:那个|那款|那双|那件|那台|那盒|那瓶|那支|这个|这款)"
# (300的就行 points at nothing: a budget)
_TAKES_BY_ITS_PRICE = re.compile(rf"(?:{_SHOWN_ONE}\s*{_PRICE_POINTED}{_SHOWN_ONE}?|{_PRICE_POINTED}{_SHOWN_ONE})"
                                 r"\s*(?:就挺好|挺好的|就行|就它|就这个|就要这个|就可以|就选它)")
# 来两包 · 要三瓶 · 那就拍两件吧: so many of the product shown.
_TAKES_A_QUANTITY = re.compile(r"^(?:那|那就|就|好|行)?\s*(?:来|要|拍|买|整)\s*(?:[一两二三四五六七八九十0-9]+)"
                               r"(?:包|个|件|双|瓶|盒|袋|罐|台|支|条|份|箱|桶)(?:吧|呗|哈)?[。.!！~～]*$")
# 有没有送勺子 · 送笔吗 · 送小样不: a gift with the purchase asked about (送女朋友 · 送到 · 送货 are no such gift,
# and 生日送什么好 · 送啥合适 ask what present to give).
_NOT_GIVEN_WITH_IT = r"(?![给女男老妈爸朋同领师人礼货到达过回爷奶姥外孩儿宝闺兄弟姐哥媳对客长上的得至]" \
                     r"|(?:什么|啥|点啥|哪个|哪款)(?:好|合适|比较好|最好|呢))"
# 买奶粉送什么吗 · 买两罐奶粉送点啥: what comes free with so much bought
_FREE_GIFT_OF_A_PURCHASE = re.compile(r"买[^，。,.？?\s]{1,6}(?:送|赠)(?:点|个|些)?(?:什么|啥)(?!好|合适|比较好|最好)")
_GIFT_WITH_PURCHASE = (r"(?:有没有|有木有|会不会|能不能)(?:送|赠)" + _NOT_GIVEN_WITH_IT
                       + r"|(?:送|赠)" + _NOT_GIVEN_WITH_IT + r"(?:个|点|些)?[^，。,.？?\s]{1,4}(?:吗|么|不)"
                       + r"|" + _FREE_GIFT_OF_A_PURCHASE.pattern)
# 人在拉萨 你们寄得过来不 · 发香港吗: places far to send to, named with a verb of sending (台湾产的 is no shipping).
_FAR_PLACES = r"(?:拉萨|乌鲁木齐|海南|香港|澳门|台湾|海外|国外)"
# 分别寄送至不同地址 · 寄到两个地址: one purchase sent to several places.
_SEVERAL_ADDRESSES = re.compile(r"分别(?:寄|发|送)(?:送)?(?:到|至|给)|(?:寄|发|送)(?:送)?(?:到|至)(?:不同|两个|几个|多个)(?:的)?地址")
# The words that name one service topic each; a message naming one and nothing else is a question on it.
_SERVICE_TOPIC_WORDS = (
    ("ask_payment", re.compile(r"发票|开票|补开|抬头|税号|专票|普票|花呗|分期|分[0-9一二三六十]{1,2}期|白条|信用卡|货到付款|付款方式"
                               r"|免息"
                               r"|支付方式|怎么付|咋付(?:款|钱)?|如何(?:付款|付钱|支付|付)|在哪(?:儿|里)?付(?:款|钱)?"
                               r"|钱(?:被)?扣了|扣(?:了)?(?:钱|款)|付款失败|支付失败|付不了款"
                               r"|微信付|微信支付|支付宝|云闪付|(?:能|可以)用[^，。,.]{0,4}(?:付|支付)"
                               r"|(?i:(?<![a-z])(?:invoice|credit card|installments?|instalments?|apple pay|paypal)(?![a-z]))")),
    ("ask_promotion", re.compile(r"优惠|券|满减|折扣|打折|促销|双十[一二]|双1[12]|618|大促|价保|保价|会不会(?:更)?便宜|会降价"
                                 r"|学生价|赠品|小样|试用装|买赠|买[一二两三1-3]送[一二1-2]|福利|新人|新客|第二件|半价|砍价|议价|抹零"
                                 # 这个价格还能再低点不: this price bargained, not cheaper products
                                 r"|还能(?:再)?(?:低|少|便宜)(?:点|一点|些)?(?:不|吗|么|嘛)|" + _GIFT_WITH_PURCHASE
                                 # 能便宜点不 学生党没钱 · 便宜点呗: the price asked down (有便宜点的吗 asks for products)
                                 + r"|(?:能|可以)(?:再)?便宜(?:点|一点|些)?(?:不|吗|么|嘛|呗)|(?:能不能|可不可以)(?:再)?便宜(?:点|一点|些)?(?!的)"
                                 r"|便宜(?:点|一点|些)(?:呗|嘛)"
                                 # 耳机那单我还没付 能再少点不 · 俩一起买有套餐价没: the price bargained
                                 + r"|(?:能|可以)再?少(?:点|一点|些)(?:不|吗|么|嘛|呗)|(?:价格?|价钱|钱)(?:能|可以)?再?(?:低|少)"
                                 r"(?:点|一点|些)|套餐价|组合价"
                                 r"|一起买[^，。,.]{0,4}(?:便宜|优惠|折|价)"
                                 r"|(?i:(?<![a-z])(?:discounts?|coupons?|vouchers?|sale|promos?|promotions?|deals?)(?![a-z]))")),
    ("ask_shipping_policy", re.compile(r"包邮|运费|邮费|顺丰|京东快递|中通|圆通|韵达|几天发货|多久发货|发什么快递|偏远|新疆|西藏"
                                       r"|来得及|赶得上|赶不上|几天(?:能)?到|多久(?:能)?到|(?:送|寄)到|一起发|合并发|一块发|分开发|驿站|快递柜|代收|放门口"
                                       r"|丰巢|(?:几天|多久)(?:能|可以)?收到"
                                       r"|(?:寄|发|送)(?:得|的)?过(?:来|去)(?:吗|么|嘛|不)|(?:寄|发|送)(?:得|的)过(?:来|去)"
                                       rf"|{_FAR_PLACES}[^，。,.]{{0,6}}(?:发|寄|送)(?!的)|(?:发|寄|送)(?:到)?{_FAR_PLACES}"
                                       r"|(?:周末|周六|周日|星期[六天日]|节假日|假期|过年|春节|国庆)[^，。,.]{0,8}"
                                       r"(?:发货|发吗|发不发|能发|有人发)|(?:走|用|发)的?(?:啥|什么|哪家|哪个)快递"
                                       r"|催(?:一下|下|一催)?(?:发货|快递|物流)|当天发|发货(?:也|真|太|这么|好)?慢"
                                       r"|今天(?:能|可以|就)?发(?!票)|几点(?:前|之前)(?:下单|付款|拍)"
                                       r"|(?:之前|以前|前)(?:能|可以)(?:到|送到|收到)"
                                       r"|(?i:(?<![a-z])(?:free shipping|shipping fee|delivery)(?![a-z]))"
                                       # 能否分别寄送至不同地址: one purchase sent to several places
                                       + "|" + _SEVERAL_ADDRESSES.pattern)),
)


# 个人抬头 · 个人信息: "one's own", no person to talk to; _NAMES_A_PERSON is who a handover asks for.
_ONES_OWN = re.compile(r"个人(?:抬头|信息|账户|账号|资料|隐私|数据|发票|中心|名义|名下)")
_NAMES_A_PERSON = re.compile(r"人|客服|经理|店长|领导|老板|主管|专员|售后|电话|转|rg", re.IGNORECASE)
# 刚才客服说可以开发票: what a person said is reported, nobody is asked for.
_REPORTS_PERSON = re.compile(r"(?:人工|客服|小姐姐|店员)(?:刚才|之前|上次)?(?:他|她)?(?:说|讲|告诉|答应|回复|回)")
# 能保价吗 · 可以开发票吗: asks what the shop allows (an angry customer still wants the answer).
# 新疆发不发货 · 包不包邮: asked as "A or not A".
_ASKS_A_RULE = re.compile(r"(?:能|可以|支持|有没有)[^，。！？,.!?]{0,6}(?:吗|么|嘛|不)[?？]?\s*$|(?:能不能|可不可以)|怎么(?:申请|办理|弄)"
                          r"|([\u4e00-\u9fff])不\1")


def _service_topic(text: str) -> Optional[str]:
    found = [intent for intent, words in _SERVICE_TOPIC_WORDS if words.search(text)]
    return found[0] if len(found) == 1 else None


def names_a_service_topic(text: str, but: str = "") -> bool:
    """Whether ``text`` names a shipping, payment or promotion topic of its own (能用花呗吗), other than ``but``'s."""
    return any(words.search(text) for topic, words in _SERVICE_TOPIC_WORDS if topic != but)


def service_topic_words(text: str, intent: str) -> Optional[str]:
    """The words of ``text`` that name the service topic of ``intent``, when they alone name one
    (最便宜那个今天能发吗 → 今天能发); None otherwise."""
    if _service_topic(text) != intent:
        return None
    return next(words.search(text).group(0) for topic, words in _SERVICE_TOPIC_WORDS if topic == intent)


# 大概多久能开出来 after an answer about invoices: a short question on the same topic.
# The intents the knowledge base answers, and the topic of its entries each one searches first.
FAQ_TOPICS = {"ask_shipping_policy": "shipping", "ask_payment": "payment", "ask_promotion": "promotion",
              ASK_AFTER_SALES_POLICY: "after_sales"}
_FAQ_INTENTS = frozenset(FAQ_TOPICS)
_SHORT_FOLLOW_UP_QUESTION = re.compile(r"^.{0,8}(?:多久|几天|多长时间|什么时候|啥时候|要钱|收费|怎么弄|怎么操作|怎么申请|怎么办理"
                                       r"|在哪(?:里|儿)?(?:申请|弄|开|办)|能不能|可以吗|行吗)"
                                       r".{0,6}$|^(?:那|那么)?.{1,8}的?(?:呢|咧)[?？。!！～~]*$")
# 要是已经发出来了呢 · 吊牌剪了还行不 · 取消以后钱原路回来？: a question, or a case put ("what if").
_RULE_QUESTION = re.compile(r"吗|么|嘛|呢|[?？]|哪|怎么|咋|(?<![要还都也并绝])不[?？。～~]*$"
                            r"|(?:能|可以|行|的|是)[\u4e00-\u9fff]{0,2}吧[?？。～~]*$|要是|如果|万一|假如|的话"
                            r"|怎么算|咋算|怎么办|咋办|多久|几天|多少天|多长时间|之内算|以内算|谁出|谁付|还是不行|还不行|也不行"
                            r"|来得及|有救"
                            r"|(?P<verb>[\u4e00-\u9fff])不(?P=verb)")
# 在哪领啊 · 咋弄: a question word, so more than a greeting (在吗) however short.
_WH_QUESTION = re.compile(r"哪里|哪儿|在哪|怎么|咋|多久|几天|多少天|啥时候|什么时候")
# 退货 · 取消 · 改地址: words of an after-sales service, not of payment, shipping or offers.
_NAMES_AFTER_SALES = re.compile(r"退货|退款|退回|换货|取消|改地址|修改|退换|(?:能|可以|可不可以|还能)(?:退|换)(?:吗|嘛|么|不)"
                                r"|(?:不对|不合适|不合身|小了|大了)(?:的话)?(?:能|可以)?(?:退|换)")


def asks_about_the_rules(text: str) -> bool:
    """A question that names no order of the customer's own and asks for nothing to be done (吊牌剪了还行不;
    not 我那单能退吗 · 帮我取消), nor is angry or wants a person."""
    own = _ANY_ORDERS_PART.sub("", _ORDERS_IN_GENERAL.sub("", text))
    return bool(_RULE_QUESTION.search(text) or _EITHER_OR.search(text.strip())) and not (
        NAMES_AN_ORDER.search(own) or _OWN_PURCHASE.search(own) or _MY_ORDER.search(own) or _MY_THAT_ONE.search(own)
        or _WANTS_SERVICE.search(text) or _ANGER.search(text) or _WANTS_PERSON.search(text)
        or _PERSON_OUTRIGHT.search(text))


# 没付款的订单会自动取消吗 · 已发货的订单多久能到: orders of a kind, in general, not one of the customer's own
_ORDERS_IN_GENERAL = re.compile(r"(?:没付款|未付款|没付钱|待付款|已发货|发了货|没发货|已付款|付了款|下完单|超时)的订单"
                                r"(?=[^，。！？,.!?]{0,3}(?:会|能|可以|多久|一般|要|是不是|还))")
# 订单数量可以改吗: what may be changed in an order, any order (a logged-in customer with an order in view means it)
_ANY_ORDERS_PART = re.compile(r"^订单(?=的?(?:数量|信息|地址|颜色|尺码)[^，。！？,.!?]{0,3}(?:能|可以|还能))")
# 颜色不喜欢 · 码数不对 · 小了: what came is not right (something bought, not something to buy)
_DISLIKES_WHAT_CAME = re.compile(r"不(?:太|怎么|是很)?喜欢|显黑|显胖|显老|色差|不对|不合适|不合身|买错|拍错|挤脚|[^一]小了|[^一风雨雪老太]大了|有问题|坏了|破了|开胶")
# 实物有点发黄 跟图片不一样 · 羽绒服XXL太大了 想换: what came judged, by its look or its fit (不掉色的 · 太大了的不要 ask
# for something to buy)
_WHAT_CAME_JUDGED = re.compile(r"实物|(?:跟|和|与)(?:图|图片|照片|描述|详情页)(?:上|里)?的?(?:不一样|不符|差太多|差好多)"
                               r"|(?<!不)(?:发黄|泛黄|褪色|掉色|起球|开线|脱线)了?(?![的吗嘛么不])"
                               r"|(?:太|有点|有些|偏)(?:大|小|紧|肥|短|长)了(?:[\s，,。!！~～啊呀]|$)[^，。,.]{0,4}(?:想|要|能|可以)?换")
# 取消了以后裙子还包邮不: what the shipping costs once part is cancelled (退 · 换 with 运费 ask the after-sales rules)
_SHIPPING_AFTER_AN_ACT = re.compile(r"取消[^，。,.?？]{0,3}(?:以后|之后|后|的话)[^，。,.?？]{0,10}(?:包邮|运费|邮费)"
                                    r"[^，。,.]{0,4}(?:吗|么|嘛|不|没|呢|谁|[?？])")
# 就还没发货那个 · 潘婷那单 · 没到的那件: an order described by what it is, as an answer to which one
_DESCRIBES_AN_ORDER = re.compile(r"(?:(?:还没|没有?)(?:发货|发|到|签收)的?那(?:个|单|件|双|条|笔)|那单)[吧呀啊～~。.!！\s]*$")
# 分12期 · 满300 · 减多少 · 打几折 · 送上门: words of the shop's rules beside a budget
_RULE_WORDS = re.compile(r"分\d+期|分期|满\d+|减|几折|打折|送上门|包邮|运费")
# 帮我看下手表那个订单 · 查查耐克那单: an order to be looked at
_ORDER_LOOKED_UP = re.compile(r"(?:看下|看看|查下|查查|查一下|看一下|瞅瞅|瞅一下)[^，。,.?？]{0,8}"
                              r"(?:订单|那单|的单(?![品车独肩身人价据]))"
                              r"(?![号]|[^，。,.]{0,4}(?:怎么|在哪|哪里))")
# 我还有几个单没到啊 · 哪些单还没发: one's orders counted, each a status
_ORDERS_COUNTED = re.compile(r"(?:几个|几|哪些|哪几个|哪几)(?:订?单)[^，。,.]{0,4}(?:没到|没发|还没|在路上)"
                             r"|我(?:的)?(?:还有)?(?:几个|哪些|哪几个)(?:包裹|快递)[^，。,.]{0,4}(?:没到|没发|还没|在路上)")
# 有这个价的吗 · 这个价位有没有: products at the price of those shown
# (这个价有没有带耳机 · 这个价格有没有手机壳送: what the price includes)
_AT_THIS_PRICE = re.compile(r"有(?:没有)?(?:这个|这|同样|差不多)价(?:位|格|钱)?的?(?:吗|么|嘛|不|没|[?？])"
                            r"|(?:这个|这|同样|差不多)价(?:位|格|钱)?(?:的)?(?:有没有|有吗|有么|有不|能买到?(?:吗|不))"
                            r"(?![^，。,.]{0,6}(?:带|含|配|送|赠))")
# ok等你们消息 · 好的 那我等通知: waiting for word, no grievance
_WAITS_FOR_WORD = re.compile(r"^(?:ok|好|好的|行|嗯+)?[\s，,]*(?:那)?(?:我)?(?:就)?等(?:着)?(?:你们|您)?的?(?:消息|通知|回复|电话)"
                             r"(?:了|哈|啊|吧)?[\s。.!！~～]*$", re.IGNORECASE)
# 行吧 发了跟我说一声 · 到了通知我下: to be told when the parcel moves, which the shop's rules answer (no such notice
# is sent here; 有货了告诉我 is an alert, 退款到了告诉我 no parcel)
# (我那单发了没？发了告诉我单号 asks the status; 发票发了 · 换的新货 · 退货仓库签收了 · 人工客服到了 are no parcel of an
# order; 黑色42码到了 is a restock)
_TELL_ME_OF_THE_PARCEL = re.compile(r"^(?!.*(?:发票|换的|新货|退货|退款|人工|客服|单号|没[？?]|了没|了吗))"
                                    r"(?=.*(?:发(?:货)?了|发出(?:去|来)?了|发货(?:的时候|以后|后)|(?:快递|包裹|东西|货)到了|出库了)"
                                    r"[^，。,.？?]{0,4}(?:(?:跟|和|给)我说|告诉我|通知(?:我|一下)|提醒我|叫我|喊我|说一声|吱一声))")
# 发货了会不会给我发短信通知啊 · 到了会打电话给我吗: whether word comes when the parcel moves, asked
_WORD_OF_THE_PARCEL_ASKED = re.compile(r"(?:发(?:货)?了|发货(?:的时候|以后|后|时)|(?:快递|包裹|东西)?到了|派送(?:的时候|时)?)"
                                       r"[^，。,.？?]{0,4}(?:会|能)[^，。,.？?]{0,6}(?:通知|短信|(?:打|来)(?:个)?电话)")
# 降价了告诉我 · 到货了通知我: a product's price or stock watched (an alert), not a parcel
# (退款到了会通知我吗 · 尾款时间到了 · 双十一到了 · 新品发了: word of other things than a parcel)
_OF_A_PRODUCT_EVENT = re.compile(r"降价|便宜|到货|补货|有货|上新|上架|新款|价格|退款|退货|尾款|定金|新品|开售|开抢|秒杀|券|双十|预售|活动")
# 行 那我让家里人收吧 · 好吧 那我先等等: an ok and what one will do, nothing asked
# (好吧 我还是退了吧 · 行 那我去法院起诉你们 · 好的 那我就等你们电话 今天必须给我解决: a request or a threat)
_WHAT_I_WILL_DO = re.compile(r"(?:行|好|好的|好吧|嗯+|ok|那好|那行)[\s，,。!！~～吧]*(?:那)?我(?:就|再|先|让|自己|去|还是)"
                             r"(?![^？?]*(?:退|换|取消|投诉|起诉|法院|律师|差评|必须|再不|消协|12315|曝光))"
                             r"[^？?吗呢么嘛]{0,14}$", re.IGNORECASE)
# 发货了还能改地址吗 · 会自动取消吗: a case put to the rules
_CASE_PUT = re.compile(r"(?:发货|付款|付钱|签收|下单)了?(?:以后|之后)?(?:还|也)?(?:能|可以|让)|(?:会|能)自动|多久(?:会|能)?自动")
# 电子的还是纸质的 after an invoice answer: a choice between two ways of the service just explained.
_EITHER_OR = re.compile(r"^(?:那|是)?[\u4e00-\u9fff]{1,4}的?还是[\u4e00-\u9fff]{1,4}的?[?？呢吗啊]*$")
# 那利拉德8呢 · mate60的呢: a name and 呢, nothing else (the name is checked to be a model or a line)
_ANOTHER_NAMED_HEAD = r"(?:那|那么)?\s*[\u4e00-\u9fffA-Za-z0-9 .]{2,14}?的?(?:呢|咧)"
_ANOTHER_NAMED = re.compile(_ANOTHER_NAMED_HEAD + r"[?？。!！～~]*")
# 少要一瓶 · 多要两个 · 减一件 · 数量改成三: the quantity of an order's item changed.
_CHANGES_A_QUANTITY = re.compile(r"(?:少|多)(?:要|拿|发)(?:一|两|二|三|[0-9])|(?:减|去掉|少)(?:一|两|[0-9])(?:瓶|件|个|双|罐|盒|条|支|台)"
                                 r"|(?:数量|个数)(?:改|换)")
# 就在你们app上买的啊 · 我明明在你们家买过 · 小程序下的单: where the customer bought it, insisted on.
_BOUGHT_HERE = re.compile(r"(?:在|从)(?:你们|贵店)?(?:app|APP|小程序|店里|官网|网站|网店|家|这|这里|这儿|旗舰店)[^，。,.]{0,4}"
                          r"(?:买的|买过|下的单|下过单|下单的|拍的)|(?:明明|确实|就是)(?:在你们家)?(?:买|下)过")
# 偏码不 · 码偏大吗 · 尺码准不准 · 是标码吗: whether a product's sizes run true.
_FIT_OF_THE_SIZES = re.compile(r"偏码|码(?:数)?(?:偏大|偏小|偏|正|准|标准)|尺码准|正码|标码|偏大还是偏小|大码还是小码")
# 那态极呢 粉色38: the same question of another product, in a colour or size said after it
_ANOTHER_NAMED_IN_A_VARIANT = re.compile(_ANOTHER_NAMED_HEAD + r"[?？，,\s]*([\u4e00-\u9fffA-Za-z0-9]{1,6})[?？。!！～~]*")
_FOLLOW_UP = re.compile(r"(?:那|那么)?(?:[\u4e00-\u9fffA-Za-z]{1,6}|[\u4e00-\u9fff]{1,3}\s?[0-9]{2}(?:\.5)?码?)"
                        r"(?:呢|咋样|怎么样|如何)[?？。!！～~]*")

# What it is for (写论文 做ppt用 · 男士用 · 我主要坐地铁用): a need while shopping.
_PURPOSE = re.compile(r"(?:用|穿|戴|喝|吃|玩)(?:的)?[吧呀啊～~!！。.\s]*$|平时|主要|经常|日常|上班|通勤|出差|旅行|旅游"
                      r"|健身|上学|上课|办公|打游戏")
# 双十二会不会更便宜: a question about sales, not a wish for cheaper products.
_SALE_EVENT = re.compile(r"双十[一二]|双1[12]|1[12][.．]1[12]|618|大促|会不会(?:更)?便宜|会不会降价|会降价|能降多少|降多少"
                         r"|等[^，。,.]{0,4}再买|(?:啥|什么|哪天)时候(?:能|会|才)?(?:降价|打折|便宜|有活动|有优惠)|降不降价")
# 直播间才199 你们这怎么要259 · 同样的鞋 得物才四百 · 朋友上周买才三百: a price seen elsewhere (another shop or
# platform, a livestream, a friend's purchase) set against the shop's, a promotion question.
# (给朋友买 · 帮同事买 are presents and errands, no price seen)
_ELSEWHERE = rf"(?:{SHOPPING_PLACES}|(?<![给帮替送])(?:朋友|同事|闺蜜|室友)[^，。,.]{{0,4}}(?<![给帮替送])买)"
# (直播间199 · 京东上才八十九 · 贵了五十; not a budget: 直播用的 三百以内)
# (评价 · 性价比 · 差一码 · 42码 say no price)
_PRICE_SAID = (r"(?:才(?:卖)?\s*[0-9一二两三四五六七八九十百几]|便宜|贵|价格?(?:才|只要|低|更低)|(?:直播|活动|到手|券后)价|涨"
               r"|差(?:这么多|太多|好多|了)|差[0-9一二两三四五六七八九十几]+(?:十|百)?(?:块|元)"
               r"|[0-9]{2,}\s*(?:块|元|r)(?![^，。,.\s]{0,2}(?:以内|以下|左右|上下)))")
_PRICE_ELSEWHERE = re.compile(rf"{_ELSEWHERE}[^。!?！？]{{0,16}}?{_PRICE_SAID}|{_PRICE_SAID}[^。!?！？]{{0,8}}?{_ELSEWHERE}"
                              rf"|{_ELSEWHERE}(?:上|里|那边|那儿|只要|就)?\s*[0-9]{{2,}}(?![0-9])"
                              r"(?!\s*(?:以内|以下|左右|上下|多|到|-|码|号|款|年|寸|g|ml|岁))"
                              r"|直播间?(?:的|那个)?(?:价|福利)",
                              re.IGNORECASE)
# 主播推荐的那款赤兔 你们有吗 · 京东三百那个耳机这有没有: the product seen elsewhere asked for, not its price
_ASKS_IF_SOLD_HERE = re.compile(r"有(?:吗|么|嘛|没|没有|木有|货)|有没有|还有|卖不卖|在哪|链接|推荐"
                                r"|有[^，。,.!?？\s]{1,8}的(?:吗|么|嘛|没)")
# Asking about offers, not for cheaper products (1299有点贵 最近有活动吗).
_PROMOTION = re.compile(r"活动|优惠|券|满减|折扣|打折|促销|降价吗|便宜点吗|能便宜|买[一二两三1-3]送[一二1-2]|第二件"
                        r"|(?i:(?<![a-z])(?:discounts?|coupons?|vouchers?|sale|promos?|promotions?|deals?)(?![a-z]))"
                        r"|" + _SALE_EVENT.pattern)
# 一个洗面奶卖三百多 抢钱呢 有没有优惠券啊: a coupon asked for, the price only said in passing
_ASKS_FOR_COUPON = re.compile(r"(?:有没有|有啥|有什么|能用|能领|可以用|哪里领|在哪领)(?:优惠券|券|优惠|满减|折扣)"
                              r"|(?:优惠券|券|满减)(?:有吗|有没有|能用吗|可以用吗)")

# Questions about the shop's after-sales rules (七天无理由 · 退货运费谁出 · 退款多久到账), not a request.
_AFTER_SALES_RULES = re.compile(
    r"无理由|(?:退|换)货?(?:的)?(?:运费|邮费|要求|条件|政策|规则|流程)|运费谁|谁(?:出|承担|付)(?:运费|邮费)"
    r"|退款(?:多久|几天|什么时候)|(?:钱|款)(?:多久|几天|什么时候)(?:能)?(?:回来|到账|退回|退)|多久(?:能)?退(?:款|回)"
    r"|保修|质保|三包|退(?:到|回)(?:到)?(?:哪|哪里|哪儿)|原路(?:退|返|(?i:refund))|退(?:回)?(?:到)?(?:余额|银行卡|零钱)"
    r"|(?:退货|退换|运费)险|(?i:(?:return|refund) policy)"
    r"|退货(?:要)?(?:寄|发)(?:到|回)?(?:哪|什么地址|哪个地址)|退货地址"
    # 换货要多久 · 换个尺码麻烦吗 · 还没发货能取消吗: how a service goes, asked before asking for it
    r"|(?:退|换)(?:货|款)(?:要|需要)?(?:多久|几天|多长时间)|(?:退|换)[^，。,.]{0,4}麻烦(?:吗|么|不)"
    r"|(?:还没发货|没发货|付款后|下单后|下了单|下完单|下单了|付了款|发货前|发货后)[^，。,.]{0,4}(?:能|可以|还能)(?:取消|退)"
    # 退货要运费吗 · 要是一直不到能退款吗: what a return costs, what would be allowed if
    r"|(?:退|换)货?[^，。,.]{0,3}(?:运费|邮费)(?:吗|么|嘛)"
    r"|(?:要是|如果|万一|假如)[^，。,.]{0,10}(?:能|可以|能不能|可不可以)(?:退|换)"
    r"|的话[^，。,.]{0,4}(?:能|可以|能不能|可不可以)(?:退|换)"  # 码数不合适的话 可以换码吗
    # 包装拆了还认吗 · 过了七天第八天还行吗: what the seven days and an opened parcel allow
    r"|(?:包装|吊牌|标签|封口|塑封|盒子)[^，。,.]{0,2}(?:拆|剪|撕|扔)(?:了|掉|开)[^，。,.]{0,4}(?:还|能|可以)?(?:认|退|换|行)"
    r"|(?:(?:过了|超过|超了)(?:七|7)天|第(?:八|8)天)[^，。,.]{0,6}(?:退|换|还行|还能|可以|行不|行吗)"
    # 奶粉没拆封可以退吗 · 吊牌剪了还能换吗: what the rules allow, not a request about an order
    r"|(?:拆封|拆开|拆过|拆了|开封|开过|用过|穿过|戴过|洗过|吃过|喝过|吊牌|试穿|试用)[^，。,.]{0,6}(?:能|可以|可|给)(?:不能)?(?:退|换)"
    r"|(?:下单|下完单|下了单|付款|付完款|拍下)(?:后|之后|以后)?(?:还)?(?:能|可以)(?:改|修改|换)(?:地址|收货|电话)"
    r"|(?:下完单|下了单|下单后|付完款|付款后)(?:收货)?(?:地址|电话|手机号)(?:还)?(?:能|可以)(?:改|修改|换)"
    # 要是下完单发现地址写错了 还能改不 · 那已经发货了呢 还来得及改吗: a case put, not an order of one's own
    r"|(?:要是|如果|万一|假如)[^，。,.]{0,12}(?:写错|填错|弄错|错了)[^，。,.]{0,6}(?:还)?(?:能|可以|来得及)?(?:改|修改)"
    r"|(?<![没未])(?:发货|发出)了[^，。,.]{0,6}(?:还)?(?:来得及|能|可以)(?:改|修改)"
    # 一般发货前都能改吗: what the rules allow before shipping
    r"|发货前[^，。,.]{0,4}(?:都|还)?(?:能|可以)(?:改|修改|取消)")
# 换货一般要多久 · 退款通常几天到: how long a service usually takes.
_USUAL_SERVICE_TIME = re.compile(r"(?:退|换)(?:货|款)?[^，。,.]{0,4}(?:一般|通常|正常|大概|大约)[^，。,.]{0,3}(?:多久|几天|多长时间)"
                                 r"|(?:几天|多久|多长时间|什么时候)(?:能|才能|会|可以)?到账|到账(?:要|需要)?(?:几天|多久|多长时间)")
# 换鞋要怎么弄 · 怎么申请退货: how a return or exchange is done.
_HOW_TO_SERVICE = re.compile(r"(?:换|退)[\u4e00-\u9fff]{0,3}(?:要|该|得)?怎么(?:弄|办|操作|搞|换|退|申请)|怎么(?:申请)?(?:换货|退货|退换|退款)"
                             # 那我怎么寄回去 · 寄回哪里: how what is sent back travels (怎么寄过去给她 sends a present)
                             r"|(?:怎么|咋|如何)(?:把[^，。,.]{0,6})?寄回|寄回(?:到)?(?:哪|哪里|哪儿)")
# 怎么还没到账, asked again while the bot waits for the order: how long refunds take is what can be told.
_REFUND_NOT_ARRIVED = re.compile(r"(?:怎么|咋)还(?:是)?没(?:有)?到账")
# Asking for the service itself (我要退货 七天无理由), not about its rules.
_WANTS_SERVICE = re.compile(r"(?:我要|我想|想|帮我|申请|给我|麻烦)(?:退|换|取消)|[0-9]{6,}|DD[0-9]")
# 快递一个礼拜了还没到 · 等了5天还没发货: a wait only one's own parcel has.
_LATE_PARCEL = re.compile(r"[一二两三四五六七八九十几半0-9]+个?(?:天|周|星期|礼拜|月)了?[^，。,.]{0,4}?(?:都|还|也)?没(?:有)?(?:到|发|动|收到|更新)")
# 再不发我就投诉 · 给差评 · 打12315: more than feeling, the complaint flow takes it.
# 你们是不是骗子 · 再不退我就报警了: the shop accused or threatened, a grievance whatever was asked beside it.
_ACCUSES = re.compile(r"报警|骗子|骗钱|骗人|坑人|黑店|消协|曝光|12315")
# 再不发我全部退掉 · 不退款的话我就投诉: what the customer will do if nothing happens, not a request to do it now
_CONDITIONAL_THREAT = re.compile(r"(?:再|还|要是|如果|要再|要是再)不(?:发|退|处理|解决|给|回|到|理|管)[^，。,.!！?？]{0,6}(?:就|我)"
                                 r"|不(?:发|退|处理|解决|给)(?:货|钱|款)?的话")
_THREATENS = re.compile(r"投诉|差评|退钱|" + _ACCUSES.pattern + "|" + _CONDITIONAL_THREAT.pattern)
# 快递好慢啊 · 一直不动 · 都半个月了！！: a parcel or a refund that keeps one waiting (the time alone only
# while the bot waits to hear which order): finding the order helps more than a ticket.
_KEPT_WAITING = re.compile(r"(?:快递|物流|发货|退款)(?:也|咋|怎么)?(?:好|太|真|这么|那么)慢|一直(?:都)?(?:不动|没动|没更新|不更新|没到|没发|没退)"
                           r"|物流(?:都)?(?:不动|没动)")
# (买了快两个礼拜了 · 穿了快一个月了: how long ago it was bought or worn, no wait; 买了都一个星期了 is impatience)
_WAITED_SO_LONG = re.compile(r"(?:都|已经|(?<!买了)(?<!穿了)(?<!用了)(?<!收到)(?<!签收)快)[一二两三四五六七八九十几半0-9]+个?"
                             r"(?:天|周|星期|礼拜|月)多?了")
# Two degrees of waiting: _STILL_WAITING is any sign that something bought is awaited (还没 · 已经 · 到哪),
# which makes 几天能到 a question about a parcel, not about delivery times; _STILL_NOT is its impatient
# form (怎么还没), a grievance counted towards handing over.
# 今天下单几号能到 · 现在拍明天能到吗: a purchase not made yet, asked how long it takes.
_BUYING_NOW = re.compile(r"(?:今天|现在|马上|这会儿?|今晚|明天)(?:就)?(?:下单|拍下?|买|付款|付)(?![了的过下个款])|下单的话|拍(?:下)?的话")
# 下了单还没付钱 · 拍了还没付款: an order of one's own placed and not paid.
_ORDERED_NOT_PAID = re.compile(r"(?:下了|下的|下过|拍了|拍下|拍的)[^，。,.]{0,8}(?:还)?没(?:有)?(?:付|支付|给钱)")
_STILL_WAITING = re.compile(r"还没|怎么还|都.{0,4}天了|已经|到哪|到底|等(?:了)?(?:好久|半天|这么久|好几天)|催")
# (下单三天了还不发货 · 一周了都不动 too; 三天不到就收到了 is no wait)
_STILL_NOT = re.compile(r"(?:怎么|咋)还(?:是)?没|(?:天|周|星期|礼拜|月)了?[^，。,.]{0,4}?(?:都|还)不(?:发|到|动|退)")
# 手机到哪了 等好久了烦死: a parcel waited for a while
_WAITED_A_WHILE = re.compile(r"等(?:了)?(?:好久|半天|这么久|那么久|很久)")
# 啥快递啊 · 多少钱来着 · 今天能发出去吗 · 羽绒服跟手表是一起发吗 · 一般要几天啊, just after an order's status:
# more about that order, which its status tells
_ORDER_FOLLOW_UP = re.compile(r"(?:啥|什么|哪家|哪个)快递|快递(?:公司)?是(?:哪家|什么|啥)|多少钱来着|付了多少"
                              r"|(?:今天|明天)能(?:发|到|送)|能(?:派送|送到)|一[起块](?:发|到|寄|送)|分开发|一单吗|(?:是|在)同一单"
                              r"|几号(?:能|才能)?(?:到|送到|发)"
                              r"|还没付|没付(?:款|钱)?(?:吗|？|\?)|付(?:款|钱)?了(?:吗|没)"
                              r"|签收(?:是|在)?(?:哪天|几号|什么时候)|(?:哪天|几号|什么时候)签收"
                              r"|^(?:那)?(?:一般)?(?:还)?(?:要|得)?(?:几天|多久|多长时间)(?:啊|呀|呢|吗)?[？?～~]*$")
# 我那个空军一号什么时候能发: one's own thing (我那个 may also be a filler: only with a question of where it stands)
_MY_THAT_ONE = re.compile(r"我(?:买的)?那个(?=[\u4e00-\u9fffA-Za-z0-9])(?!意思|啥|什么|想|就是|是|问|朋友|同事|同学|家人|亲戚"
                          r"|老公|老婆|对象|孩子|儿子|女儿|妈|爸|闺蜜|室友|邻居)")
# 你们平时一般发什么快递 · 新疆能发货吗 我想给我妹也买一件: what the shop does as a rule (or for a purchase to come),
# asked while an order is in focus
_ASKS_THE_SHOPS_HABIT = re.compile(r"你们(?:平时|一般|通常|平常)|平时一般|(?:我|她|他)?(?:还)?想(?:给[^，。,.]{0,4})?(?:也|再)?买"
                                   r"|(?:新疆|西藏|青海|内蒙|海南|港澳|香港|澳门|台湾|海外|国外|偏远)[^，。,.]{0,4}"
                                   r"(?:能|可以)?(?:发|寄|送|到|包邮)")
# 好 帮我提交吧: the request just discussed, to be carried out
_SUBMIT = re.compile(r"^(?:好|行|嗯|那)?[，, ]?(?:帮我|给我)?(?:提交|申请|办)(?:一下)?吧?[。.!！]?$")
# 羽绒服到了没 (新款到了吗 asks for new products) · 连衣裙那个啥时候发: asked, not complained of
_ASKS_IF_ARRIVED = re.compile(r"(?<![货款品])到了(?:没|吗|么|没有)"
                              r"|那(?:个|件|双|条|台|部)[^，。,.]{0,2}(?:啥|什么)时候(?:能)?(?:发|到)"
                              # apple watch什么时候发货 都一天了: asked when, after waiting a while
                              r"|(?:啥|什么)时候(?:能|才)?(?:发货?|到(?!货))[^，。,.]{0,4}[\s，,]*(?:都|已经)"
                              r"[一两二三四五六七八九十几0-9半]+(?:天|周|个?星期|个?礼拜|个?小时)了")
# 连衣裙为啥还不发货 · 奶粉咋还没到 · 还在成都转运中心 · 在转运中心卡一天了: said only of something bought
# (还没到货 asks about stock; 还没发布 about a model)
_AWAITED = re.compile(r"发没发|(?:到底|究竟)(?:有没有)?(?:发|到)(?:了)?(?:没|吗)"  # 手机到底发没发
                      r"|(?:为啥|为什么|咋|怎么)(?:还|都)?(?:是)?(?:不|没)(?:有)?(?:发(?![布表现票])|到(?![货账])|动|送|寄)"
                      r"|还(?:没|不)(?:有)?(?:发(?![布表现票])|到(?![货账])|收到|送到|动)"
                      r"|还在[^，。,.]{0,8}(?:转运|中转|分拨|网点)|卡(?:在|了)[^，。,.]{0,8}(?:转运|中转|分拨|网点|物流)"
                      r"|(?:转运|中转|分拨)[^，。,.]{0,6}卡|(?:为啥|为什么|咋|怎么)[^，。,.]{0,6}(?:这么|那么|太)慢"
                      r"|" + _ASKS_IF_ARRIVED.pattern)
# 退款到账没 · 怎么还没退款: where a refund stands, which the order's status tells (no new refund).
# 我那个退款退到哪了 · 钱退到哪了 · 退的钱到哪了: how far a refund got (退到哪里 asks which account it goes to)
_REFUND_HOW_FAR = re.compile(r"(?:退款|钱|款)[^，。,.？?]{0,4}(?:退)?到哪(?:儿|里)?了|退的钱[^，。,.？?]{0,4}到哪")
_REFUND_PROGRESS = re.compile(r"退款(?:到账|到)?(?:了)?(?:没|吗|了吗|没有)"
                              r"|退(?:款|货)的?那(?:个|单|笔)[^，。,.]{0,3}(?:怎么样|咋样|到哪|呢)"  # 退款那个怎么样了
                              r"|(?:怎么|咋)还没(?:有)?退(?:款|钱)|退款(?:进度|呢|怎么样了|到哪)"
                              r"|(?:钱|款)(?:怎么)?还没(?:退|到|回来)|退款的?[那这]一?单[^，。,.]{0,4}(?:进度|状态|咋样|怎么样)"
                              r"|退款中的?(?:单子|订单|那单|那个|单)"  # 退款中那个到底啥时候到账
                              r"|退的[^，。,.]{0,8}(?:钱|款)(?:到账|退回来|回来)(?:了)?(?:没|吗|了吗|没有)"  # 之前退的那罐…钱到账没
                              r"|" + _REFUND_HOW_FAR.pattern)
# 我之前都在你们这买过啥: what one has bought here, the orders
_ORDER_HISTORY = re.compile(r"我(?:之前|以前|都|在你们(?:这|家|店)|在这|里|儿)*买过(?:啥|什么|哪些|些啥|些什么)(?!牌|样|款|类|颜色)")
# 耐克那双鞋 · 那件: a thing pointed at; 现在啥情况 · 单子还在吗: how it stands
_THAT_THING = re.compile(r"那(?:双|件|台|部|条|瓶|支|套|盒|罐|单)")
_HOW_IT_STANDS = re.compile(r"(?:现在|目前)?(?:是)?(?:啥|什么)情况|(?:单子|订单)还在|咋样了|怎么样了")
# What an item is called after 那条 · 那件 (优衣库那条裙子)
_ITEM_NOUNS = r"(?:裙子|连衣裙|裤子|牛仔裤|鞋子?|衣服|外套|羽绒服|T恤|手表|耳机|耳塞|奶粉|面霜|洗发水|口红|手机|平板)"
# 要 · 选 · 多少钱 · 有货 · 链接 · 下单: a product on the screen taken or asked about, not an order
_TAKES_FROM_THE_SCREEN = re.compile(r"要|选|多少钱|有货|还有|链接|下单|加购|怎么样|码")
# 米色那件 女款的 · 白色那双 · 手机那个: an item pointed at by its colour or kind, nothing more
# (鸭鸭的 米色那件 · 裤子 森马那条 · 君乐宝那个 3段的 · 优衣库那条裙子: its brand or kind before, its stage, size or
# kind after)
_THAT_ITEM = re.compile(r"^(?:是|就是|不是)?(?:[\u4e00-\u9fff]{1,4}(?:的[ ，,]*|[ ，,]+))?"
                        r"[\u4e00-\u9fff]{1,4}那(?:件|双|条|台|瓶|罐|支|个|部)"
                        r"(?:[ ，,]*(?:(?![呢吗么嘛啥]|什么)[\u4e00-\u9fff0-9A-Za-z]{1,4}的|" + _ITEM_NOUNS + r"))?[吧呀啊?？]*$")
# Requests about one item of an order, which an item named next points at again
_ITEM_REQUESTS = frozenset({"request_exchange", "request_return_refund", "change_order_info"})
# 算了 森马那条 · 还要 米色那件 · 对 森马那条: the item named to keep, to buy again or as a yes, not the request
_NOT_THE_REQUEST = re.compile(r"(?:算了|不用了|还要|还想要|对|嗯|是的?|好的?)(?:[\s，,。]|$)")
# 77块那个面霜呢 · 那双鞋呢, an order just told: another of one's orders (the action finds which)
# (那个手表呢 咋一点动静没有: and how long it has kept still)
_THAT_ONE_THEN = re.compile(r"那(?:个|件|双|条|台|部|单|笔|瓶|盒|罐)[^，。,.]{0,8}呢[?？。!！～~]*$"
                            r"|那(?:个|件|双|条|台|部|单|笔|瓶|盒|罐)[^，。,.\s]{0,8}呢[\s，,]+[^，。,.]{0,8}"
                            r"(?:动静|没到|没发|到哪|没消息|没更新)")
# 半个月前买的 · 两周前拍的: bought some time ago, one's own purchase whoever says it
_BOUGHT_AGO = r"(?:半个月|[0-9一二两三四五六七八九十]+(?:天|周|个星期|个礼拜|个月))前(?:买|拍|下单)的"
# 羽绒服那单 · 两周前买的那双万斯 · 刚拍的那双篮球鞋 · 之前买KT9那单: a purchase of one's own pointed at
_ONE_OF_THEM = r"那(?:件|双|台|部|条|瓶|盒|套|支|副|个|款|罐|桶|单|笔)"
_POINTS_AT_A_PURCHASE = re.compile(
    r"[那这]一?单(?![品车独肩身人价据])|(?:买|拍|下单)的" + _ONE_OF_THEM + "|" + _BOUGHT_AGO
    + r"|我(?:刚|刚刚|才)(?:买|拍|下单)(?:的)?" + _ONE_OF_THEM  # 我刚下单那双篮球鞋
    # 顺丰那个 · 走中通的那单 · 顺丰送来那条裤子: the parcel a courier carries
    + r"|(?:" + COURIERS + r")(?:的|发的|送的|寄的|送来的?|寄来的?|发来的?)?" + _ONE_OF_THEM
    # 前几天到的那件羽绒服 · 刚收到的那双: what was delivered; 我之前那条优衣库裙子: had before
    + r"|(?:刚|前几天|前两天|昨天|上周|今天)?(?<![新上])(?:到|收到|送到|送来|寄到|签收)的" + _ONE_OF_THEM  # 新到的那款: stock
    # 前两天到的李宁羽绒服: when it came says it was delivered, not new stock
    + r"|(?:前几天|前两天|昨天|上周|这两天|今天刚|昨天刚)(?:才)?(?:到|收到|送到|送来|寄到|签收)的(?!新|货|那批|批|款)"
    + r"|我(?:之前|上次|前几天|前两天|上周)" + _ONE_OF_THEM
    # 我自己那个Apple Watch发货没 (after watches for someone else): one's own, and where it stands
    + r"|我自己(?:那个|那台|那双|那件|那条|那块|那部)[^，。,.？?]{0,14}(?:发货了?没|发了没|到哪|到了没|签收了没|物流)"
    # 我那罐奶粉发了没 · 上次那件白色羽绒服有点大 · 之前退的那罐 · 哈登那双鞋 买了十来天了 · 我那个平板还没付钱
    + r"|(?:我|我老公|我老婆|我妈|我爸|我儿子|我女儿|我家宝宝)的?那(?:[两二三四五几]|[0-9])?(?:件|双|台|部|条|瓶|盒|套|支|副|罐|桶)"
    # 我还有个小米平板的单没付款: the order of a thing named
    + r"|[\u4e00-\u9fffA-Za-z0-9](?<![下拍买])的(?:那)?单(?![品车独肩身人价据])|(?:上次|之前|前几天|前两天|上周|上个月)(?:买|拍)?的?"
    + r"那(?:件|双|台|部|条|瓶|盒|套|支|副|罐|桶)|(?:退|换)(?:掉)?的" + _ONE_OF_THEM
    + r"|买了(?:有|快)?[0-9一二两三四五六七八九十来几半]+(?:天|周|个星期|个礼拜|个月)"
    # (我那个apple watch几号能发: a model's name takes more room; 我那个 想问下… · 我那个朋友想问下 ask the rules)
    + r"|我那个(?!朋友|闺蜜|同事|同学|室友|亲戚|邻居|老板)\s?"
    r"(?=(?:[^，。,.\s问]|(?<=[A-Za-z])\s(?=[A-Za-z])){0,14}(?:发|到|退|换|付|不想要|不要了|签收))"
    # 就这件 我已经拍了 码下错了 S改M: the product on the screen, bought already
    + r"|已经(?:拍|下单|付款|付钱|付)了")
# 那条黑裙子啥时候发 · 雪中飞那件羽绒服想换个颜色, with nothing searched or shown: the thing pointed at can only be one's
# own purchase.
_THAT_ONE = re.compile(r"(?<![这哪])那(?:件|双|台|部|条|瓶|盒|套|支|副|罐|桶)")
# 想退 · 能退不 · 退了吧 / 能换不 · 想换个大一码: a return or an exchange asked of the thing pointed at
_ASKS_TO_RETURN = re.compile(r"(?:想|要|能|可以|能不能|可不可以)退(?!款.{0,4}(?:进度|到哪|多久))|退(?:了吧|掉吧|掉|货)|退(?:不|吗|么)")
# 想换个黑的 · 换成大一码 · 换37 · 换XL: another colour or size of the thing pointed at, no new product to shop for
_SWAPS_TO_A_VARIANT = re.compile(rf"换(?:个|一个|成)?(?:{_COLOUR_WORD}[色的]|{_NEXT_SIZE}"
                                 r"|[0-9]{2}(?![0-9])码?|(?:XXL|XL|S|M|L)(?![A-Za-z]))", re.IGNORECASE)
_ASKS_TO_EXCHANGE = re.compile(r"(?:想|要|能|可以|能不能|可不可以)换|换(?:不|吗|么|个|一)|换成|" + _SWAPS_TO_A_VARIANT.pattern,
                               re.IGNORECASE)
# 你帮我查下物流就行 · 看下我的订单: one's order to look up, said outright.
_CHECK_PARCEL = re.compile(r"(?:查|看|问)(?:一)?(?:下|查|看)?(?:我的)?(?:物流|快递|订单|包裹)")
_LOGIN = re.compile(r"登录|登陆|登入")
# 想隔绝一下噪音 · 用啥洗 · 想要双软一点的: something asked for, a need said before it.
_ASKS_FOR_SOMETHING = re.compile(r"想(?:要|买|找|隔|挡|换|整)|用(?:啥|什么|哪)|有没有|推荐|求|来(?:个|点|双|件)|要(?:个|双|件|点)"
                                 r"|(?:啥|什么)(?:好用|管用|有用|合适)")
# 那你能帮我挑东西不 · 求推荐: help choosing, no kind said yet (the bot asks which).
_ASKS_HELP_CHOOSING = re.compile(r"(?:帮|替)(?:我|忙)?(?:挑|选|推荐|参谋)|求推荐|有(?:什么|啥)(?:好的?)?推荐")
# One's own parcel (我上次买的奶粉到哪了): the order status, not a complaint.
_OWN_PURCHASE = re.compile(r"我(?:上次|上回|刚|前几天|前两天|昨天|上周|上个月|之前|以前|那天)?(?:买|下单|拍)的|我(?:那|这)单"
                           # 给我妈买的牛仔裤 她穿着小了 (给我妈买的话 asks before buying)
                           r"|(?<![想要备算])给(?:我)?(?:妈|爸|老公|老婆|孩子|儿子|女儿|奶奶|爷爷|外婆|外公|姥姥|姥爷|女朋友|男朋友|闺蜜|朋友|宝宝)"
                           r"(?:妈)?买的(?!话)"
                           r"|我(?:之前|上次|前几天|前两天|刚|刚买的|新买的)?那(?:件|双|台|部|条|瓶|盒|套|支|副)"
                           r"|我的[^，。,.]{1,6}?(?:咋|怎么)?还没(?:有)?(?:发货|到|发)"
                           r"|(?:上次|上回|刚|刚刚|前几天|昨天|上周|上个月)(?:买|下单|拍)的|" + _BOUGHT_AGO
                           + r"|下的单|下单(?:都|已经)?[一二两三四五六七八九十几半0-9]+(?:天|周|个星期|礼拜)了"
                           r"|我(?:上次|之前|前几天|前两天|昨天|上周|上个月)?的(?:订单|快递|包裹|货)|订单"
                           r"|买的[^，。,.]{0,6}?(?:都|还|也)?没(?:有)?(?:收到|到|发货|发|动)"
                           r"|" + _LATE_PARCEL.pattern)
# 手机发了没 · 发货了吗 · 到了没: whether something bought has gone out or come, which only an order can be.
_SHIPPED_YET = re.compile(r"发货了(?:吗|没)?|发货没|发了(?:吗|没)|发没发|到了(?:吗|没)(?!有)|签收了(?:吧|吗|没)")
_WHERE_IS_IT = re.compile(r"到哪(?:了|儿|里)|" + _SHIPPED_YET.pattern
                          + r"|(?:什么|啥|哪天)时候(?:能|才能)?(?:到|送到|发)|几天(?:能|才能)?到|还没(?:到|发|动)"
                          r"|发货(?:吗|没)|到(?:吗|没)(?!有)"
                          r"|物流|快递")
# 潘婷洗发水不要了 裙子留着 · 只取消洗发水 裙子我还要: part of an order called off, the rest kept.
# (after a thing named, 还要 · 不取消 keep it too)
_CANCELS_PART = re.compile(r"(?:取消|不想?要了|退掉|砍掉)[^，。,.?？!！]{0,12}?[\s，,]+[^，。,.?？!！\s]{1,10}?(?:我)?"
                           r"(?:还要|不取消|不退|" + KEEPS_PART.pattern + ")")
# 安踏篮球鞋换货我之前说过了 怎么还没动静 · 退货申请了好几天没人理: an exchange or return asked before, waited on.
_AFTER_SALES_WAITED = re.compile(r"(换货|换码|换尺码|退货)(?:申请)?[^，。,.!?？！]{0,12}?(?:(?:怎么|咋)?(?:还)?没(?:动静|消息|下文|人理|人管|回复|处理)"
                                 r"|(?:之前|早就|已经)(?:说过|申请过?|提交过?)了)")
# 两件都退了 退款啥时候到 · 我昨天取消了订单 钱还要多久退回来: the money of a cancellation, asked after
_MONEY_BACK_ASKED = re.compile(r"退款|到账|退回来|钱还|取消了订单")
# 我要取消 · 帮我取消了吧 · 直接把那单撤了: a cancellation asked for (不是取消提醒 · 排队).
_CANCEL_DEMANDED = re.compile(r"(?:我要|我想|帮我|给我|麻烦|直接|赶紧)(?:把[^，。,.]{0,10})?(?:取消|撤销|撤单|撤了)(?:掉|了)?"
                              r"(?!提醒|排队|订阅|关注|通知|退货|退款|换货|售后|申请)")
# 收到的杯子碎了 · 用了两天 · 穿了一天 磨脚: what came, received or used (a return of it, not the rules)
_RECEIVED_OR_USED = re.compile(r"收到|到货|到手(?!价)|签收|[用穿吃戴拆试]了|碎了|坏了|磨脚|开胶")
# 取消吧 · 帮我取消: something called off outright, which only an order can be.
# (那个bose的取消了没 · 取消成功了吗: whether the cancellation went through, asked)
_CANCEL_SAID = re.compile(r"取消(?:吧|掉|了吧|一下|订单|这单|那单)|(?:帮我|给我|麻烦)取消|撤单"
                          r"|取消(?:了)?(?:没|吗|么|没有)|取消(?:成功|好)了?")
# 行吧那整单取消 · 全部取消吧: the whole order called off (bot/service/after_sales.py reads it too).
_CANCELS_WHOLE = CANCELS_WHOLE
# 现在用小米14 · 一直喝雀巢 · 奶奶的手机坏了: what one has and uses now (现有之物), wherever it came from.
_OWNED_NOW = re.compile(r"现在(?:用|在用|戴|穿|喝)|一直(?:用|喝|穿|戴|吃)|(?:用|戴)了[^，。,.]{0,3}年|坏了|旧了|太卡|卡得")
# 想换个屏大点续航好点的手机 · 想换不加糖的 · 想给她换个 字大点的: a new one, told by what it should be.
_REPLACEMENT_WISHED = re.compile(r"想(?:给[^，。,.\s]{1,3})?换(?:个|台|部|双|件|副|款|一[个台部双件副款])?\s?"
                                 r"[^，。,.]{0,12}?(?:点|不加糖|无糖|的)")
# 小了想换个大点的 · 换个颜色: the same product in another size or colour, an exchange.
_FIT_OR_VARIANT = re.compile(r"码|尺码|尺寸|颜色|换色|[大小]一号|(?<!太)[大小]了|不合适|不合身|挤脚|紧|松")
# 想买个充电宝 · 卖不卖洗衣机 · 推荐个加湿器 · 有没有卖数据线的: a verb of buying or looking right before the kind
# (不想买 · 朋友推荐了 are none); 有充电宝吗 · 有没有加湿器: whether the shop has it; 充电宝呢 · 手机壳有吗: the kind alone.
_MEASURE = r"(?:个|台|款|只|件|双|把|瓶|盒|套|条|副|部|点|些|一[个台款只件双把瓶盒套条副部])?"
_BUYS_RIGHT_BEFORE = re.compile(r"(?:(?<![不没])(?<!不想)(?:想买|要买|买)|卖不卖|有没有卖的?|有卖的?|(?<!不)卖|推荐(?!了)|来"
                                r"|想要|要|看看|看下|找|求|入)" + _MEASURE + r"$")
_HAS_RIGHT_BEFORE = re.compile(r"(?:有没有|有木有|(?<![没])(?<!怎么没)有)" + _MEASURE + r"$")
_NOTHING_BEFORE = re.compile(r"(?:那|那么|还有|请问|你们|你们家|店里)?\s*")
_ASKS_IF_HAD_AFTER = re.compile(r"(?:的)?(?:呢|有吗|有没有|有么|有嘛|卖吗|有卖吗|有卖的吗|吗)?[?？!！~～。.\s]*")
# 怎么没有充电器 · 盒子里没有数据线 · 赠品水杯没收到 · 表带断了: something of a purchase missing or broken (有没有
# 充电宝 asks whether the shop has one)
_SOMETHING_MISSING = re.compile(r"(?<!有)没有|没收到|没给|少了|少发|断了|坏了|丢了|补发|赠品|送的|盒子里|收到")
# 充电器要单独买吗 · 表带可以另外买吗: what comes with the product, asked
_COMES_WITH = re.compile(r"(?:要|需要|得|可以|能)?(?:单独|另外|另)")
# 发错颜色了 · 我买的蓝色31 给我发的灰色29: another variant than the one bought came
_WRONG_VARIANT_SENT = re.compile(r"发错(?:了|货|颜色|码|尺码)|发成了")
_OTHER_VARIANT_SENT = re.compile(r"(?:我买的|我要的|我拍的|我下单的|我选的)[^，。,.!?！？]{1,8}[，,\s]*"
                                 r"(?:你们|结果|却)?(?:给我)?发(?:的|了|来)(?:个|的|是)?")
# 搞错了吧 · 发错了吧: the mistake said, no question asked
_WRONG_SAID = re.compile(r"(?:搞|发|弄)错了")
# A fault with what was bought (右耳没声音 · 开不了机): a return or exchange to start.
_WRONG_ONE_SENT = re.compile(r"发错|发成了|发来(?:的)?是")
_FAULT = re.compile(r"没(?:有)?声音|没声|坏了|坏的|不亮|开不了机|开不开机|充不进|连不上|不能用|用不了|漏|破了|裂|碎了|划痕|刮花|磕坏|变形了|掉色|开线"
                    r"|两只[^，。,.]{0,6}(?:不一样|不一致|不同)(?![的吗么])"  # (收到的鞋子两只颜色不一样: a mismatched pair)
                    r"|起球|质量(?:有)?问题|有瑕疵|瑕疵|少了|少发|发错|不对版|褪色|脱线|一洗就|脱胶|开胶|破质量|质量太差|质量差"
                    r"|(?i:(?<![a-z])quality\s?(?:有)?(?:问题|不好|太差|差|issues?|problems?))")
# 想换双新的小白鞋，之前那双穿坏了 · 我爸手机摔坏了 想换个新的 两千以内: the old one is worn out, a new one is to buy (no exchange).
_WANTS_A_NEW_ONE = re.compile(r"想(?:换|买)(?:个|双|件|台|部|条|一[个双件台部条])新(?:的?[\u4e00-\u9fffA-Za-z]|的(?:\s|$|[，,。]))"
                              # 万斯的 跟我上次买的一样: the one bought before, as the wish for this one
                              r"|(?:跟|和|同)我?(?:上次|之前|以前|原来)?买的(?:那[个双件款台条])?(?:一样|同款|差不多)")
# 你能帮我干点啥 · 我说的话你听得懂不 · 那你有名字没 · 对面是真人在打字不: what the bot is and can do
_ASKS_WHAT_THE_BOT_IS = re.compile(r"真人在(?:打字|回|聊)|(?:你|您)(?:都)?(?:能|会|可以)(?:帮我)?(?:干|做)(?:点|些)?(?:啥|什么|嘛)"
                                   r"|你(?:都)?会(?:些|点)?(?:啥|什么)|(?:你|您)(?:能|可以)?(?:听|看)(?:得)?懂(?:吗|么|不|没|我)"
                                   r"|(?:你|您)[^，。,.]{0,4}(?:听|看)得懂(?:吗|么|不)|你(?:叫|有)(?:什么|啥)?名字|你叫(?:啥|什么)|有脑子吗"
                                   r"|能(?:不能)?理解我(?:的)?意思")
# 跟我聊天的是真人还是程序啊 · 你是机器人吗: whether a person answers, asked.
_ASKS_IF_BOT = re.compile(r"真人还是|人工还是|(?:机器人|程序|ai|AI|机器|bot|robot)还是|是不是(?:个|一个)?(?:真人|机器人|人工|程序(?![A-Za-z错问出]))"
                          r"|是(?:真人|机器人|人工|程序|ai|AI|bot|robot)(?:吗|么|嘛|啊)|are you (?:a )?(?:bot|robot|human)"
                          r"|是人工(?:处理|回复|操作|审核)的?(?:吗|么|嘛)", re.IGNORECASE)  # 你们售后是人工处理的吗
# 非常感谢您的推荐 · 谢谢你的建议: thanks for the advice given
_THANKS_FOR_ADVICE = re.compile(r"^[^，。,.!！?？]{0,4}[，,\s]*(?:非常|十分|真的|太)?(?:谢谢?|感谢)(?:你们|您们|你|您)?(?:的)?"
                                r"(?:耐心)?(?:推荐|建议|介绍|解答)[了啊呀哈啦哦！!。.~～\s]*$")
# 想exchange · 要refund · cancel掉: what is asked of an order, in English
_ENGLISH_ORDER_ACTS = {"exchange": "request_exchange", "refund": "request_return_refund",
                       "return": "request_return_refund", "cancel": "cancel_order"}
_ENGLISH_ORDER_ACT = re.compile(r"(?<![a-z])(exchange|refund|return|cancel)(?![a-z])", re.IGNORECASE)
_NOT_BEFORE = re.compile(r"(?:不用|不想|不要|别|不)$")


def _english_order_act(text: str) -> Optional[str]:
    """The after-sales request an English word asks (想exchange → request_exchange): the last one not refused (不想return了
    想exchange), none in a question on the rules (return policy是几天 · 可以exchange颜色吗)."""
    if re.search(r"(?i:policy)|吗|嘛|么|\?|？", text):
        return None
    wanted = [found.group(1).lower() for found in _ENGLISH_ORDER_ACT.finditer(text)
              if not _NOT_BEFORE.search(text[max(0, found.start() - 2):found.start()])]
    return _ENGLISH_ORDER_ACTS[wanted[-1]] if wanted else None
# 如有需要我会再联系贵店客服 · 回头有问题再找人工: a person some other time
_PERSON_LATER = re.compile(r"(?:如有需要|如果有需要|有需要的话|需要的话|以后|下次|稍后|回头|改天|晚点|有问题的话|有问题)"
                           r"[^，。,.!！?？]{0,4}(?:再|会再|会)(?:联系|找|咨询|问)")
# 以后再联系你们吧 现在马上给我转人工: a person wanted now, whatever is said of later
_PERSON_NOW = re.compile(r"现在|马上|立刻|立即|赶紧|先(?:帮我|给我)?转|(?:帮我|给我)转")
# 要先把旧的寄回去吗 · 要拍照片吗: a short question about what the customer has to do.
_PROCESS_QUESTION = re.compile(r"^.{0,4}(?:要|需要|得|用)(?:先|我)?.{0,8}(?:吗|么|嘛|不)[?？]*$")
# 上门取件不 · 一般多久啊 · 能快点不 急用钱: asked of a return or refund under way.
_RETURN_LOGISTICS = re.compile(r"上门取|取件|寄回|退货地址|运费险")
# 那要怎么弄 · 然后呢 我要干嘛 · 下一步呢: what to do now
_HOW_TO_GO_ON = re.compile(r"^(?:那|然后|接下来|下一步)?(?:要|该|我)?(?:怎么|咋)(?:弄|办|操作|做|搞)(?:呢|啊|呀)?[?？]*$"
                           r"|然后呢|接下来(?:呢|怎么|要)|我(?:要|该|得)(?:干嘛|做什么|干啥|怎么做)|下一步(?:呢|怎么)")
# 寄到哪里 · 地址发我一下 · 新的啥时候寄出 · 来回运费算谁的, right after a return or an exchange was asked
_SENT_BACK_ASKED = re.compile(r"寄(?:到|去|回)?哪(?:里|儿)?(?![了个家种])|地址(?:发|给)我"
                              r"|(?:新的|换的)[^，。,.？?]{0,4}(?:啥时候|什么时候|多久|几天)(?:能)?(?:寄|发|到)"
                              r"|(?:来回|往返)(?:的)?(?:运费|邮费)")
_AFTER_SALES_FOLLOW_UP = re.compile(_RETURN_LOGISTICS.pattern + r"|(?:一般|大概|要|还要|得)(?:多久|几天)"
                                    r"|多久(?:能)?(?:到账|退回|退到|到)|几天(?:能)?到账|能(?:快点|快一点|加急)(?:吗|不|么|嘛)?"
                                    r"|催(?:一下|一催|下)|急用钱")
# 衣服是不是都偏小 · 穿几码: a question about sizes.
_FIT_ASKED = re.compile(r"偏(?:大|小|码)|正码|尺码|码数|几码|多大码|什么码")
# 我那单到哪了 · 我买的东西什么时候到: where one's own parcel is.
_WHERE_IS_MINE = re.compile(r"到哪(?:了|儿|里)|(?:什么|啥)时候(?:能|才能)?(?:到|送到|发货)|发货了(?:吗|没)|到了(?:没|吗|么|嘛)"
                            r"|签收了(?:吗|没|么)"
                            # 我东西呢？？说好的三天到呢: where the things bought are, as promised
                            r"|(?:东西|快递|包裹|货)(?:呢|去哪了|哪去了)|说好的[^，。,.？?！!]{0,6}(?:到|发|送)(?:的)?呢")
# 我要退货 · 给我退款 · 能不能给我换一个 · 能退吗: a return or exchange asked for.
_SERVICE_ASKED_ANGRILY = re.compile(r"(?:我要|我想|给我|帮我|申请)(?:退货|退款|退钱|退了|换货|换一个|换个新的|换新)"
                                    r"|(?:能不能|能|可以|可不可以)(?:给我)?(?:退|换)(?:货|款|一个|个新的)?(?:吗|么|嘛|不)?")
# 投诉 · 12315 · 报警: a complaint to be filed, whatever else is asked.
_FORMAL_THREAT = re.compile(r"投诉|" + _ACCUSES.pattern)
# 能帮我催下快递吗 · 催一下发货: a parcel to hurry.
_HURRY = re.compile(r"催(?:一下|下|一催|催)?(?:发货|快递|物流|仓库)")
# 你们家是正品吗 · 别买到假的: whether the goods are genuine.
_GENUINE = re.compile(r"正品|假货|买到假|山寨|高仿|水货")
# 过年走亲戚拎的那种: the sort of thing meant.
_THAT_KIND = re.compile(r"(?:那种|这种|那样的|这样的|那类|这类)[吧呀啊的～~!！。.\s]*$")
# 小了 · 短了一截: what was bought does not fit.
_FITS_BADLY = re.compile(r"(?:小|大|短|长|紧|肥|窄|瘦)了")
# 上次那条太平鸟牛仔裤穿着还行 同款有灰色吗 · 之前买的那双安踏他说还行 同款还有吗: a product bought and liked,
# asked for again; neither a complaint nor the old order
_SAME_MODEL = re.compile(r"同款|同一款|一样的(?:还)?(?:有|再)|回购")
# 要是不合适想退 · 就怕买回来想退: a return imagined before buying
_IF_IT_HAPPENS = re.compile(r"要是|如果|万一|的话|怕|假如")
# 下次再买一瓶 · 过两天再来一台: one more, but not now
_LATER = re.compile(r"下次|以后|过两天|过几天|改天|回头|有空|再说")
# 再来一瓶 · 想再给我妈买一台: one more of a product
_ONE_MORE = re.compile(r"再(?:给[\u4e00-\u9fff]{1,3})?(?:来|买|入)(?:一|两)?[双件条个瓶罐支台部盒包]")  # (再来几个 asks for more cards)
_FAULT_WORDS = re.compile(r"退|换货|坏|破|碎|裂|不好用|(?<!没)问题|质量|假|脱胶|开胶|起球|掉色|少了|漏|(?<!不)错")  # (还不错: liked)
# 裙子XXL怕大 能改XL吗 · 帮我换成黑色的吧, of the order just looked at: a change of the order, not a size to browse
_CHANGES_A_VARIANT = re.compile(r"(?:改|换)(?:成|为|到)?(?:[0-9]{2}(?:\.5)?|[xX]{0,3}[lLsSmM]|[\u4e00-\u9fff]{1,2}色)"
                                r"(?:码|号|的)?(?:吗|不|么|嘛|吧|呗|行不|可以不|可以吗|[?？])")
# 想要大一码的 · 给我弄条32的 · 要黑色的: the size or colour wanted instead.
_WANTS_A_VARIANT = re.compile(r"^(?:那|就)?(?:想要|要|给我(?:弄|换|来)(?:个|条|件|双)?|换(?:个|条|件|双)?)"
                              r"(?:大|小)?(?:一|半)?(?:码|号)?[^，。,.\s]{0,4}的")
_BOUGHT_BEFORE = re.compile(r"(?:之前|上次|以前|上回|前阵子|去年|上个月)(?:[^，。！？,.!?\s]{0,6}(?:买|入|拍|下单)"
                            r"|那[条双件个台瓶支罐盒])|买过")


def asks_again_for_a_bought_item(text: str) -> bool:
    """之前买的那双安踏他说还行 同款还有吗: the product of an earlier order, liked and asked for again."""
    return bool(((_SAME_MODEL.search(text) or _ONE_MORE.search(text)) and _BOUGHT_BEFORE.search(text)
                 or _ONE_MORE.search(text) and _OWN_PURCHASE.search(text)) and not _FAULT_WORDS.search(text))
# 这次怎么贵了一百 · 这单取消吧 · 穿着也不舒服: the purchase set against another, no wish for one like it
_NOT_A_WISH_FOR_ONE_LIKE_IT = re.compile(r"怎么|为什么|为啥|凭什么|贵了|涨|不舒服|取消|撤|这单|那单|订单|到哪|发货")
# 跟上次买的万斯那双差不多的 · 想要个和之前买的那件类似的: something like a purchase, to buy (not the purchase)
_LIKE_IT = re.compile(r"(?:差不多|类似|相似|相近|接近)的|那种(?:的|款)|(?:一样|差不多)风格")


def likens_to_a_bought_item(text: str) -> bool:
    """跟上次买的万斯那双差不多的 价格也差不多: a product like one bought before is wanted; no complaint, no order."""
    return bool(_BOUGHT_BEFORE.search(text) and _LIKE_IT.search(text) and not _FAULT_WORDS.search(text)
                and not _DISLIKES_WHAT_CAME.search(text) and not _NOT_A_WISH_FOR_ONE_LIKE_IT.search(text))


# 我那条牛仔裤31小了 · 腰大了 · 鞋码小了: a size that is off (亏大了 is no size)
_SIZE_OFF = re.compile(r"(?:[0-9]{2}|码|号|腰|脚|肩|袖|裤腿|裤长)(?:有点|太|偏)?(?:小|大|短|长|紧|肥)了")
# 鞋码买小了 · 尺码不合适: the size bought does not fit, an exchange to start.
_BOUGHT_WRONG_SIZE = re.compile(r"[买拍](?:小|大)了")
_WRONG_SIZE = re.compile(_BOUGHT_WRONG_SIZE.pattern
                         + r"|(?:尺码|鞋码|码数|码子|尺寸)[^，。,.]{0,3}(?:不合适|不对|小了|大了|偏小|偏大)")
# XXL换XL · 42换41 · 白色换成黑色: the size or colour one has, for another (what is on the screen is not had).
_VARIANT = rf"(?:XXXL|XXL|XL|S|M|L|[0-9]{{2}}(?:码|号)?|{_COLOUR_WORD}[色的])"
# (藏青改成黑色: the colour had is said bare)
_VARIANT_FOR_VARIANT = re.compile(rf"(?<![A-Za-z0-9])(?:{_VARIANT}|{_COLOUR_WORD})\s?(?:换|换成|改成|换到)\s?{_VARIANT}"
                                  r"(?![A-Za-z0-9])",
                                  re.IGNORECASE)
# 奶粉买错段了 · 拍错颜色了: the wrong variant chosen when buying.
_BOUGHT_WRONGLY = re.compile(r"[买拍选下]错(?:了)?(?:段|码|尺码|颜色|色|型号|规格|款)|(?:段|码|颜色|型号|规格)[买拍选]错")
# 换个小一号的 · 换大一码: the next size of what one has.
_TO_A_NEIGHBOURING_SIZE = re.compile(r"换(?:个|一个|成|到)?" + _NEXT_SIZE)
_RETURN_OR_EXCHANGE = frozenset({"request_return_refund", "request_exchange", ASK_AFTER_SALES_POLICY})
# 还没拆封 · 拆了试了一下 · 吊牌还在: the state of what is to be sent back.
_ITEM_STATE = re.compile(r"拆封|拆开|拆了|没拆|开封|开过|试了|试过|用过|没用|穿过|没穿|洗过|吊牌|包装")
# 开封用过几次的也算? after the return rules: the state of what came, put to them (开封后保质期多久 asks of a product)
_ITEM_STATE_PUT = re.compile(r"(?:开封|拆封|拆开|拆了|开过|用过|试过|穿过|洗过)[^，。,.]{0,6}(?:也算|还算|算不算|还能退|能退|可以退"
                             r"|还行|行不|行吗|可以吗)")
# 被老板骂了 · 加班好累: the customer's day, not the shop.
_BAD_DAY = re.compile(r"老板|领导|上班|加班|工作|考试|作业|心情|天气|堵车|失恋|分手|吵架|被骂|骂了|好累|累死|烦死")
# (手机到哪了 等好久了烦死: a parcel awaited)
_ABOUT_THE_SHOP = re.compile(r"你们|店|客服|商品|东西|质量|快递|物流|发货|订单|单子|退|换|货|买|收到|服务|态度|价|贵|骗|差评"
                             r"|投诉|包装|尺码|坏|假|机器人|回复|到哪|等(?:了)?好久|还没到")
# 不想要了 · 买错了: a purchase no longer wanted.
_UNWANTED = re.compile(r"不想要了|不要了|别要了|不想买了|买错了|拍错了|拍多了|买多了"
                       r"|^(?!.*(?:申请|退款|退货|投诉)).*帮我撤(?:了|掉|单)吧?[!！。～~]*$|(?:帮我|给我)?取消(?:了|掉)?(?:吧|吗|不|算了)?[!！。～~]*$")
_NOT_SHIPPED = re.compile(r"(?:还)?没(?:有)?发货|(?:还)?没(?:有)?发|未发货")
_NOT_PAID = re.compile(r"(?:还)?没(?:有)?付|未付|待付款")
# 之前投诉过 · 我老公昨天投诉了 · 这次不想投诉: a complaint mentioned, not made now.
_COMPLAINT_MENTIONED = re.compile(r"(?:不想|不是要|不是|不用|没想|不打算)投诉|投诉(?:过|了)(?:一次|你们)?")
# 不过我还想再给他买双鞋: after a turn of the sentence, the request that counts.
_BUT_THEN = re.compile(r"(?:不过|但是|可是|只是)")
# 那行吧 · 好吧 · 知道了: an answer taken, however unwelcome.
_RESIGNED = re.compile(r"(?:那|哦|噢)?(?:行吧|好吧|那行|那好|算了吧|知道了|明白了|了解了)")
# 氨基酸的最好 · 要无糖的最好了: preferably.
_PREFERABLY = re.compile(r"^[^哪]{1,10}的(?:话)?最好(?:了|啦|吧|哈)?[。.!！~～]*$|^最好(?:是|要|有)[^哪？?]{1,10}的")
# 凭什么退不了 · 怎么还不退款 · 申请三次了: a grievance, however it is asked.
_DEMANDS_WHY = re.compile(r"凭什么|为什么|为啥|怎么还|咋还|申请|都[^，。,.]{0,4}了")
# 想退 · 要退 · 退了吧: sending back what was bought, wished (能退吗 asks the rules).
_WANTS_IT_BACK = re.compile(r"(?:想|要)退|退(?:了|掉)吧")
# 钱打回来吧 · 退钱 · 把钱退给我: the money asked back.
_MONEY_BACK = re.compile(r"钱(?:打|退|返|转)回|退钱|(?:把)?钱退(?:给)?我|退款")
# 羽绒服到了 · 牛仔裤收到了: what was bought has come (到了 alone, later in a message, may be anything).
_ARRIVED_HOME = re.compile(r"^(?![^，。,.\s]*降)([^，。,.\s]{1,8})(?:到了|到货了|收到了|寄到了)")


def _arrived_home(text: str) -> bool:
    """羽绒服到了 · 牛仔裤收到了: a kind of product has come (冬天到了 is the season)."""
    found = _ARRIVED_HOME.search(text)
    return bool(found and kinds_mentioned(found.group(1)))


# 该换二段了 · 准备换3段的: the formula's stage is decided, the next tin is to buy.
_STAGE_DECIDED = re.compile(r"(?:该|要|准备|得|想)换(?:成|到)?[1-4一二三四]段")
# 刚那几个再发我看看 · 刚才那些再给我看下: the products shown before, once more.
_SHOW_AGAIN = re.compile(r"(?:刚才|刚刚|刚|之前|前面)(?:的)?(?:那几|那些|这几)(?:个|款|件|双|台|瓶|条)?[^，。,.]{0,4}"
                         r"(?:再)?(?:发|给|拿)(?:我)?(?:看看|看下|看一下|瞅瞅|看)")
# 想花钱 · 败个家 · 犒劳一下自己: in the mood to spend.
_SPENDING_MOOD = re.compile(r"(?<!不)想花(?:点)?钱|(?<!不)花(?:点|些)钱|败(?:个|一下|下)?家|买买买|(?:犒劳|奖励|宠)(?:一下|下)?(?:自己|我自己)"
                            r"|想买(?:点|些)(?:东西|啥|什么)")
# 被我弟用光了 · 被狗啃烂了 · 又丢了一只: a mishap at home, no fault of the shop's.
_MISHAP = re.compile(r"^(?!.*(?:快递|包裹|你们|物流|发货))(?:.*被(?:我|家里|狗|猫|孩子|娃|弟|妹|哥|姐|老公|老婆|室友|同事|朋友"
                     r"|儿子|女儿|宝宝|爸|妈)[^，。,.!！]{0,6}(?:用光|用完|啃|咬|弄坏|摔|踩|拿走|弄丢|吃光|喝光|穿走|顺走)"
                     r"|.*(?:又|我|不小心)(?:丢|弄丢|搞丢|用完|用光|吃完|喝完|摔坏|摔碎)了)")
# A size said, not asked (腰围29 · 他穿43的 · L码): a condition for the products shown.
_SIZE_GIVEN = re.compile(r"腰围\s*[0-9]{2}|穿\s*[0-9]{2}(?:码|号|的)?|^[0-9]{2}(?:\.5)?\s*(?:码|号)?的?$|^(?:x{0,3}[sl]|m|[2-4]xl)\s*码?的?$",
                         re.IGNORECASE)
# How a product fits the body: size advice speaks of at least one of these (or of sizes themselves).
_FIT = re.compile(r"穿|挤|紧|松|宽|窄|合身|合脚|脚|腰|胸|肩|身高|体重|斤|公斤|kg|cm|厘米|个子|(?<![怕长])胖|瘦|长短|尺|偏|号|勒")
# A size asked for (要43码的 · 来个XL · 换成M的), not asked about.
# 鸭鸭的呢 …: another brand asked for first (its 呢 asks for that brand's products, not about a size)
_OTHER_BRAND_THEN = re.compile(r"^(?:那|那个)?[^，。,.\s的]{1,8}的呢")
_WANTS_SIZE = re.compile(r"要|来(?:个|一|双|件)?|拿|换成|换")
# Whether a size is left (有41码吗 · 42码还有没 · M号有货吗).
_SIZE_IN_STOCK = re.compile(r"有(?:没有)?\s*(?:[0-9]{2}(?:\.5)?|x{0,3}[sl]|m|[2-4]xl|[1-4]段)\s*(?:码|号)?(?:的)?\s*"
                            r"(?:吗|嘛|么|没|不|？|\?|$)"
                            r"|(?:[0-9]{2}(?:\.5)?|x{0,3}[sl]|m|[2-4]xl)\s*(?:码|号)(?:的)?还?有(?:货|现货)?(?:吗|嘛|么|没|不)",
                            re.IGNORECASE)
# Which size to take (飞马40应该选多大的 · 穿什么码), asked with a size of one's own.
_ASKS_SIZE = re.compile(r"(?:选|穿|买|拿|要)(?:多大|什么码|啥码|哪个码|几码|大一码还是|哪个尺码)|多大(?:码|号)|几码合适|什么尺码")
# 163 105斤 连衣裙选S还是M · 腰围两尺六 牛仔裤拍多大 · 158 48kg 高腰牛仔裤啥码: which size, the body told.
_WHICH_SIZE = re.compile(r"啥码|什么码|几码|多大|几段|哪个码|哪码|尺码|[SMLX0-9]\s*还是\s*[SMLX0-9]|选哪个|合适吗|合适不|穿得下",
                         re.IGNORECASE)


def _asks_which_size(text: str) -> bool:
    """Whether the message asks which size to take (of a kind, the body or the baby's age told)."""
    return bool(_ASKS_SIZE.search(text) or (asks_about_size(text) and _WHICH_SIZE.search(text))
                or asks_formula_stage(text))


def _asks_a_size(text: str) -> bool:
    """A size asked in any words: which to take, whether it fits, 偏大吗 · 要大一号吗 (L码 told is none)."""
    return bool(_asks_which_size(text) or _WHICH_SIZE.search(text) or _FIT_QUESTION.search(text)
                or re.search(r"偏(?:大|小|码)|" + _NEXT_SIZE, text))
# A question, not a wish (这款防水吗 · 电池能用多久).
# 显胖不 · 起球没 · 显不显胖: a yes-or-no question without 吗.
_ASKED_YES_OR_NO = re.compile(r"(?:不|没|没有)[?？~～]*\s*$|([\u4e00-\u9fff])不\1")
_ASKS = re.compile(r"吗|么|呢|？|\?|多少|多久|多大|多重|怎么|如何|是不是|能不能|会不会|可不可以|有没有|几[个天年]|哪")
# 其中进口的有哪些 · 这几款哪些是无糖的: which of the products shown have a quality.
_WHICH_OF_THEM_ARE = re.compile(r"(?:其中|这些|这几款|这几个|里面|当中)[^，。？?]{0,8}(?:有哪些|有哪几款|是哪些|哪些是|哪几款是)"
                                r"|哪些是[^，。？?]{1,6}的")
# A comparison asked for (哪个好 · 有什么区别), not 还是白的吧.
_COMPARES = re.compile(r"哪个|哪款|哪一|区别|不同|比较|对比|相比|比起|vs|怎么选|还是[^吧]{1,12}(?:好|呢|？|\?)", re.IGNORECASE)
# Alerts, not a budget (降到1500提醒我).
# 降价了告诉我一声 asks for an alert; 你直接告诉我几天发货 asks a question.
# 哪个卖得好 · 哪款最火: which sells best
_BEST_SELLING = re.compile(r"卖得(?:最)?好|好卖|最火|卖得(?:最)?多|销量")
# 喜欢变形金刚 · 迷上了乐高: what a person likes, said to choose a present or a purchase
_LIKES = re.compile(r"喜欢|爱玩|爱看|迷上|着迷")
_ALERT_WORDS = re.compile(r"提醒|通知|告诉我(?:一声|一下|下)?(?:吧|哦|啊|哈)?[\s!！。～~]*$|降价了|[喊戳]我|盯着|推给我")
# 另外能开发票不 · 顺便问下能以旧换新吗 · 退货等会说 先看鞋: a second request in the message.
_THEN_ANOTHER = re.compile(r"另外|顺便|还有个问题|还想问|对了|等会(?:再)?说|先看")
# 我要退货，另外还想再看看别的鞋: a service asked for first is done first (the products are asked again after).
_SERVICE_THEN = re.compile(r"^[^，,。]{0,6}(?:我要|我想|想|帮我|申请)(退货|退款|退了|换货|取消订单)[^另顺对]{0,6}(?:另外|顺便|还有|对了|然后)")
_SERVICE_KINDS = {"退货": "request_return_refund", "退款": "request_return_refund", "退了": "request_return_refund",
                  "换货": "request_exchange", "取消订单": "cancel_order"}
_SECOND_QUESTION_INTENTS = frozenset({"ask_shipping_policy", "ask_payment", "ask_promotion", "request_return_refund",
                                      "request_exchange", "query_order_status", "nlu_fallback", "out_of_scope"})
# 上回投诉的那个事后来处理好了 谢谢你们哈: thanks, not a new complaint.
_SETTLED_THANKS = re.compile(r"(?:处理好了|解决了|搞定了|处理完了).{0,10}(?:谢|感谢)|(?:谢|感谢).{0,10}(?:处理好了|解决了|搞定了)")
# Praise for the bot (哈哈 还挺聪明): small talk, not a misunderstanding.
_PRAISE = re.compile(r"聪明|厉害|真棒|好棒|牛啊|牛的|可以啊|挺好|不错嘛|不错哦|不错呀|夸你|夸夸|有意思|机智|靠谱|好快|挺快|很快|👍|点赞|给力"
                     r"|(?<![0-9])666+(?![0-9])|牛逼|牛b|(?<![a-z])nb(?![a-z])|绝了|会选|选品|有眼光", re.IGNORECASE)
_PRAISES_THE_BOT = re.compile(r"你(?:还|挺|真|也|倒是|蛮)?(?:行|不错|可以|聪明|厉害|好用)[啊呀哦嘛哈的～~!！。.\s]*$")
# 上次你推荐的耳机超好用 谢谢啊: thanks for what was bought, not a new request.
_PAST_PRAISE = re.compile(r"(?:上次|之前|上回|你|您)(?:给我)?推荐的.{0,12}(?:好用|不错|很好|超好|喜欢|满意|好看|好吃|合适|好穿|挺好"
                          r"|舒服|合脚)"
                          r"|(?:买的|收到的|到的).{0,10}(?:好用|不错|满意|喜欢|很好|超好)")
# 下单了几天能到 while browsing: how long delivery takes, not where a parcel is.
_DELIVERY_TIME = re.compile(r"几天(?:能)?(?:到|送到|发货)|多久(?:能)?(?:到|送到|发货)|(?:什么|啥)时候(?:能)?(?:到|发货)|快递(?:要)?几天"
                            r"|几号(?:能|可以|会)?(?:到|送到|收到)"
                            r"|(?:今天|明天|当天|马上)(?:能|可以|会)?发(?:货)?(?:吗|么|嘛|不|没)"
                            r"|几点(?:能|前)?发货|(?:周[一二三四五六日天]|明天|后天|[0-9一二三四五六七八九十]+号)(?:之?前)?能(?:到|送到)"
                            # 520之前能到吗 · 过年前能收到不: a day the parcel must come by
                            r"|(?:之前|以前|前)(?:能|可以)(?:到|送到|收到)(?:吗|么|嘛|不)")


# 有屏幕再大点的没 · 续航更长的有吗 · 有没有更轻一些的: more of a quality than the products shown.
_MORE_OF_A_QUALITY = re.compile(r"(?:再|更)(?:大|小|轻|薄|长|短|高|亮|快|久|好|结实|耐用|保暖|暖和|清楚)(?:一)?(?:点|些)?的"
                                r"[^，。,.]{0,3}(?:没|吗|么|嘛|不|呢|$)")
# 比刚才那几件更保暖的 · 比上面这几台还轻的 · 和第二双价格差不多的: set against the products shown.
_BETTER_THAN_SHOWN = re.compile(r"比(?:上面|刚才|刚刚|这|那|第|前面)[^，。,.]{0,8}(?:更|还|再)[\u4e00-\u9fff]{1,3}(?:点|些)?的"
                                r"|(?:和|跟|同)(?:第[一二三四五1-5]|这|那|上面|刚才)[^，。,.]{0,8}差不多的")
# Relative changes of a condition (换个便宜点的 · 再贵点也行 · 有没有大一码的).
CHEAPER, PRICIER, BIGGER, SMALLER = "cheaper", "pricier", "bigger", "smaller"
_SHIFTS = (
    # (最便宜的 points at a card: 最贵的和最便宜的比呢 compares them)
    (CHEAPER, re.compile(r"(?<!最)便宜(?:一)?(?:点|些)?的|便宜一半|一半(?:的)?(?:价|钱)|更便宜|再便宜|"
                         r"实惠(?:一)?(?:点|些)的|太贵了|有点贵|贵了点|^(?:贵了|好贵)+[啊呀哦～~!！]*$|"
                         r"价格低(?:一)?点|低(?:一)?(?:点|些)的价|预算(?:少|低)(?:一)?点|平替|便宜(?:一)?(?:点|些)?(?:的)?(?:替代|代替)"
                         r"|(?:别|不要|不用)太贵(?![吗嘛么不])")),  # 新手 别太贵哈 先试试水 (condition_shift)
    (PRICIER, re.compile(r"贵(?:一)?(?:点|些)(?:也|的|都|没事|没关系|无所谓|不要紧|好)|"
                         r"再贵|预算(?:可以)?(?:再)?(?:高|多|加)|不差钱|不限价|价格不限|预算不限|多少钱都行|钱不是问题|"
                         # 来个好点的 asks for a better (dearer) product; 续航好点的 for a property within the budget
                         r"(?:^|[个要来买再更款些有])好(?:一)?点的|高端(?:一)?点|档次高")),
    (BIGGER, re.compile(r"大(?:一|半|1)?(?:码|号)|码(?:数)?(?:再)?大(?:一)?点|加大")),
    (SMALLER, re.compile(r"小(?:一|半|1)?(?:码|号)|码(?:数)?(?:再)?小(?:一)?点")),
)


_NOT_TOO_DEAR = re.compile(r"(?:别|不要|不用)太贵(?![吗嘛么不])")
_CHEAPER_ALONE = re.compile(_SHIFTS[0][1].pattern.replace(r"|(?:别|不要|不用)太贵(?![吗嘛么不])", ""))


def complains_of_waiting(text: str) -> bool:
    """快递一周了还没到 · 一直不动 · 怎么还没退款: a grievance about waiting, whatever the NLU made of it."""
    return bool(_LATE_PARCEL.search(text) or _KEPT_WAITING.search(text) or _WAITED_SO_LONG.search(text)
                or _STILL_NOT.search(text))


# 亏大了 刚买就降了80 · 颜色跟图上差太多了: a grievance the shop has a rule for (价保 · 货不对板).
_PRICE_DROPPED = re.compile(r"降价|降了|便宜了|差价")
_NOT_AS_SHOWN = re.compile(r"(?:跟|和|与)(?:图|图片|描述|详情|宣传)[^，。,.]{0,6}(?:不一样|不符|差|不同|两样)|色差|货不对板"
                           r"|描述不符|发错|不是我买的"
                           # 实物颜色比图上浅太多了: what came, measured against its picture
                           r"|比(?:图|图片|照片|详情页)(?:上|里)?[^，。,.]{0,3}(?:浅|深|暗|淡|亮|差|小|大|丑|薄)"
                           r"|实物[^，。,.]{0,4}(?:不一样|差太多|差很多|不符|浅|深)")


def complaint_topic(text: str) -> Optional[str]:
    """The knowledge base's topic (shipping · payment · promotion · after_sales) a complaint is about, if it
    names one: 刚买就降了 → promotion, 收到就是坏的 · 跟图上不一样 · 退款还没到 → after_sales.  A rant naming
    none (太失望了) has no topic: any entry close to it would only be close by chance."""
    if _PRICE_DROPPED.search(text):
        return "promotion"
    if _FAULT.search(text) or _NOT_AS_SHOWN.search(text) or _REFUND_PROGRESS.search(text):
        return "after_sales"
    return FAQ_TOPICS.get(_service_topic(text) or "")


# 快递 · 退款 · 我买的: what a grievance about waiting must name to be about one's own order.
_OWN_PARCEL_OR_REFUND = re.compile(r"快递|包裹|物流|退款|钱|货|单|买的|转运|中转|分拨|东西|说好的")
# 收到的面霜是漏的 · 到手就坏了: what was delivered, so an order of one's own.
_RECEIVED = re.compile(r"收到(?:的|了|就|货|时|后)|到手(?:的|就|了|后)|(?:送|寄)(?:来|到)的")


# 我的订单 · 之前那个订单 · 我买的 (订单 alone may be any order: 订单怎么开发票)
_AN_ORDER_OF_MINE = re.compile(r"我(?:的|那个?|这个?)?(?:订单|单子)|(?:之前|上次|以前|前几天)(?:的|那个?)?(?:订单|单子)|我买的")


# 我的优惠券还剩几张 · 我账户里有几张券 · 我有没有没用的券 · 我领的券什么时候过期: the customer's own coupons or points.
_OWN_ACCOUNT = re.compile(r"我的(?:优惠券|券|积分|红包|余额)|我(?:的)?(?:账户|账号)(?:里|上)?[^，。,.]{0,6}(?:券|积分|红包|余额)"
                          r"|我(?:还)?(?:有没有|有多少|有几张|有哪些|还剩|剩)[^，。,.]{0,6}(?:券|积分|红包)|我(?:领|抢)的(?:优惠)?券")


def asks_of_own_account(text: str) -> bool:
    """Whether the words ask about the customer's own coupons, points or balance (personal data)."""
    return _OWN_ACCOUNT.search(text) is not None


def about_ones_purchase(text: str) -> bool:
    """Whether the words point at something the customer bought (上个月买的鞋 · 我那单 · 之前那个订单) or ask
    something done to it (给我开张发票)."""
    return bool(_OWN_PURCHASE.search(text) or _POINTS_AT_A_PURCHASE.search(text) or _AN_ORDER_OF_MINE.search(text)
                or ORDER_REFERENCE.search(text) or _invoice_for_a_purchase(text))


# 我要开发票 抬头写公司 · 给我开张发票: an invoice asked for, which only an order of one's own has
_INVOICE_WANTED = re.compile(r"(?:我要|我想|给我|帮我|麻烦)(?:开|补开)(?:张|个|一张|一下)?发票")
# 我要开发票 现在下单能开专票吗 · 买这台电脑 我要开发票 能开吗: the invoice of a purchase still to make
_BEFORE_BUYING = re.compile(r"下单|现在买|买这|要买|能开|可以开|能不能开")


def _invoice_for_a_purchase(text: str) -> bool:
    return _INVOICE_WANTED.search(text) is not None and _BEFORE_BUYING.search(text) is None


# What a message naming an item asks of an order holding it, in words no search uses; whether the customer has
# such an order, only the order system knows (actions/shopping.py asks it).
_ON_ITS_WAY = re.compile(r"(?:还|仍)?在路上|(?:咋|怎么|为啥)还没(?:到|发|送|动)|(?:今天|明天)能到(?:不|吗|么|没|嘛)"
                         r"|到了(?:没|吗|吧)|发了(?:没|吗|吧)"
                         # 耐克那双鞋现在啥情况 (iphone16现在什么情况 asks of a product)
                         r"|(?:那[双件条台部单个]|订单|快递|包裹|单子)[^，。,.]{0,8}(?:现在)?(?:啥|什么|咋)(?:个)?情况")
# (手环先不买了 · 暂时不买了: a purchase put off, no order called off)
_CALLED_OFF = re.compile(_UNWANTED.pattern + r"|(?<!先)(?<!暂时)(?<!暂且)不买了|别发了|不用发了|帮我关了|关了吧|关掉")
_DOES_NOT_FIT = re.compile(r"穿不了|穿不下|穿不进|勒得|(?:腰|鞋|码|有点|太)(?:紧|松)了?|码不对|尺码不对|"
                           + _WRONG_ONE_SENT.pattern + r"|不合身|挤脚|磨脚|给我换成"
                           # 想换个码 · 能换个颜色不 · 换大一码: another size or colour of the same item
                           r"|换(?:个|一个|一下)?(?:码|尺码|号|颜色|色)|换(?:成|到)?(?:大|小)(?:一|半)?(?:码|号)"
                           # 想弄成黑的 · 换成42的: the same item in another colour or size (换成无硅油的 is shopping)
                           r"|(?:弄|换|改)成(?:[\u4e00-\u9fff]?色|[黑白红蓝灰粉绿黄紫棕米]|[0-9]{2}|[xXsSmMlL]{1,4})(?:码|号)?的")
# 到哪了 · 物流信息 · 运单: asked only of a parcel (物流快吗, before buying, is the shipping rule's).
_WHERE_IS_THE_PARCEL = re.compile(r"到哪|物流信息|物流(?:一直)?(?:没|不)动|运单|快递单号")
_BUYING = re.compile(r"推荐|想买|有没有|多少钱|预算")
_SHOP_TO_REPLACE = re.compile(r"(?:给我|帮我)换|(?:能|可以)换(?:吗|么|不|嘛)?|换(?:吗|么|不)"
                              # 给我重新发条好的嘛 · 补发一个: another one sent in its place
                              r"|(?<!不用)(?<!不要)(?<!别)(?:重新发|重发|补发|再发(?:一|个|条|件|双|台|支)"
                              r"|发(?:一|个|条|件|双|台|支)?(?:新的|好的))")
# 有宽松的吗 · 有没有 · 还有别的: something else asked for, to buy
_ASKS_FOR_OTHERS = re.compile(r"有[^，。,.\s]{0,8}的(?:吗|么|嘛|没|不)|的有(?:吗|么|嘛|没|不)|有没|还有")


def tracks_a_parcel(text: str) -> bool:
    """到哪了 · 物流信息 · 运单: words asked only of a parcel, whatever is being searched."""
    return bool(_WHERE_IS_THE_PARCEL.search(text)) and not _BUYING.search(text)


# 她那个老的坏了 · 家里旧的用坏了: the one at home broke, the reason to buy a new one.
_OLD_ONE_BROKE = re.compile(r"(?:老的|旧(?!的款)|原来的|以前的|之前的|用了[^，。,.]{1,4}年的?)[^，。,.？?]{0,6}"
                            r"(?:坏了|坏掉|用坏|不能用|不行了|报废)")
# 哇第一个颜值好高😍 · 这款好好看: a product shown, admired (no question, no choice said).
_ADMIRES = re.compile(r"颜值|好看|漂亮|好美|真美|可爱|好帅|心动|爱了|好喜欢|喜欢(?:这|那|第)|绝绝子|太美")
# 不好看 · 颜值一般 · 好看是好看 就是太贵了: a doubt, not admiration.
_DOUBTS_ITS_LOOKS = re.compile(r"不(?:太|怎么|是很)?(?:好看|漂亮|美|可爱|喜欢)|一般|就是|但是|可惜|不过|太贵|丑|土")
_POINTS_AT_SHOWN = re.compile(r"第[一二三四五六七八九1-9]|这个|那个|这款|那款|这双|那双|这件|那件|这台|这只")


def admires_a_shown_product(text: str) -> bool:
    """哇第一个颜值好高😍: one of the products shown, admired; no question asked of it."""
    return bool(_ADMIRES.search(text) and _POINTS_AT_SHOWN.search(text) and not _ASKS.search(text)
                and not _DOUBTS_ITS_LOOKS.search(text)
                and not re.search(r"[?？吗嘛么]", text))


# 我想要藏青那个色的 · 要M码的: another colour or size of the same item, wanted.
_WANTS_ANOTHER_VARIANT = re.compile(rf"(?:想要|要|换成?)(?:那个|那种)?(?:{_COLOUR_WORD}(?:那个|那种)?(?:色|的)"
                                    r"|(?:XXL|XL|S|M|L|[0-9]{2})(?:码|号))", re.IGNORECASE)


# 换来的要是还这样咋整 · 万一新的也坏了呢: the replacement failing too, feared.
_WORRIES_ABOUT_THE_NEW_ONE = re.compile(r"(?:要是|万一|如果|假如|担心|怕|会不会)[^，。,.]{0,8}(?:还|又|也|再)[^，。,.]{0,4}"
                                        r"(?:这样|那样|一样|有问题|坏|掉色|不行|破)")
# 因工作日家中无人 · 因为要出差 · 上班没空收: why a change is asked (a reason, not a new request).
_GIVES_A_REASON = re.compile(r"因为|因|由于|所以|无人|没人(?:在家|收|签)|不在家|上班|出差|没空|不方便|签收不了|无法签收|收不了"
                             r"|搬家|回老家|住院")
# 色差大不大 · 实物颜色比图片深吗: how it looks, asked before buying.
_ASKED_OF_THE_LOOKS = re.compile(r"色差(?:大不大|大吗|严重吗|明显吗)|(?:比|跟|和)(?:图|图片|照片)[^，。,.]{0,6}(?:吗|么|不)")
# 要我先寄回去吗 · 需要自己寄回吗 · 怎么寄回: how what goes back is sent, asked.
_ASKS_HOW_TO_SEND_BACK = re.compile(r"(?:要|需要|得|用)(?:我)?(?:先)?(?:自己)?寄回(?:去|来)?(?:吗|么|嘛|不|呢)"
                                    r"|怎么寄回|寄回(?:去)?的(?:运费|地址)|寄到哪")
# 帮我取笑一下那个订单 · 取笑掉那单: 取消 mistyped (取笑 alone mocks someone).
_CANCEL_MISTYPED = re.compile(r"取笑(?!我|人|别人|谁|你)(?:一下|掉|了)?[^，。,.？?]{0,8}(?:订单|单子|那单|这单)"
                              r"|(?:订单|单子|那单|这单)[^，。,.？?]{0,4}取笑(?!我|人|别人|谁|你)")
# 好久能发 · 好久能到 (Sichuan: 多久), not 等了好久 · 好久才到.
_WHEN_IN_DIALECT = re.compile(r"好久(?:能|可以|会)(?:到|发|送到|收到)")
# 能否将配送时间调整为周六 · 麻烦帮我把地址改成… · 可以改到周末送吗: a change of the order asked.
# 改成送到公司 · 换到寄到我家: the order's parcel sent to another address
# (发票能改成发到邮箱吗 · 以后的订单 · 换货的新货: no parcel of this order)
_SENT_ELSEWHERE = re.compile(r"^(?!.*(?:发票|以后|下次|换货|退货|换的|退的|新货))(?=.*(?:改|换)(?:成|到)?(?:送|寄|发)到)")
# 我的平板付款了吗 · 那单付成功没 · 我那个耳塞付了没: one's own order, paid or not
# (订单可以货到付款吗 · 我的花呗能付吗 · 我的预算就三百 够付吗 · 我的微信支付没有绑卡: how to pay)
_PAID_ASKED = re.compile(r"^(?!.*(?:能|可以|用|支持|够|一起|分期|花呗|信用卡|微信|支付宝|货到|先用后付|绑))"
                         r"(?=.*(?:我的|我那个?|那单|这单|订单)[^，。,.？?]{0,8}(?:付款|付钱|支付|付)"
                         r"(?:了(?:吗|没|没有)|成功(?:了)?(?:吗|没)|没(?:有)?(?:[?？]|$)))")
# 哦奶粉啊 好的谢啦 · 噢原来是耳机 谢谢: what was told taken in, with thanks
# (哦 要黑色的 谢谢 · 哦 有M码吗 谢谢 · 原来那款还有吗谢谢: a request with thanks)
_THANKS_FOR_WHAT_WAS_TOLD = re.compile(r"^(?:哦|噢|喔|原来是)(?!.*(?:要|有|换|推荐|看看|想|预算|吗|么|码))"
                                       r"[\u4e00-\u9fffA-Za-z0-9]{1,6}(?:啊|呀|哈)[\s，,]*(?:好的?|ok|行|知道了)?[\s，,]*"
                                       r"(?:谢谢|谢啦|谢了|多谢|感谢|3q|thx)[^，。,.？?]{0,3}$", re.IGNORECASE)
# 还没发吧 · 没发货的话: an order said not to have gone yet (还没发售 · 还没发现 · 还没发回去 · 还没寄到 are not)
_NOT_YET_SHIPPED = re.compile(r"还没(?:有)?发(?!售|布|现|回|到)|没发货|未发货|还没出库")
_ASKS_A_CHANGE = re.compile(r"(?:能否|能不能|可否|可不可以|可以|麻烦|请|帮我)[^，。？?]{0,10}(?:调整|改|更改|修改|变更)(?:为|成|到|一下)"
                            r"|(?:调整|改|更改|修改|变更)(?:为|成|到)[^，。？?]{1,10}(?:吗|么|嘛|不|行不|可以不|[?？])")


def _remedy_for_a_fault(text: str) -> str:
    """裙子发错颜色了 · 给我重新发条好的 · 两只颜色不一样: the right one is owed (an exchange); else the money back."""
    if re.search(r"退款|退钱|退货", text) and "换" not in text:
        return "request_return_refund"  # 拉链坏了 不用重发了 退款吧: the money back, asked outright
    if "换" in text or "两只" in text or _WRONG_ONE_SENT.search(text) or _SHOP_TO_REPLACE.search(text):
        return "request_exchange"
    return "request_return_refund"


def asked_of_an_owned_item(text: str) -> Optional[str]:
    """奶粉咋还在路上 (``status``) · 篮球鞋那个不买了 帮我关了吧 (``unwanted``: cancelled before it ships, else
    returned) · 裤子这码穿不了 腰太紧 · 裙子发来是藏青的 给我换成蓝的 · 帆布鞋开胶了 给我换双新的 (``exchange``) ·
    耳机没声音了 (``return_refund``): what is asked of the order holding the item named; None for words a
    search may use (有没有宽松点的 · 换个牌子看看)."""
    if order_asked_beside_products(text):
        return None  # 我的订单到哪了 顺便看看有啥耳机: the search answers both (actions/shopping.py)
    if _FAULT.search(text) and _SHOP_TO_REPLACE.search(text):
        return "exchange"  # 开胶了 给我换双新的: the shop is to replace it, nothing is bought anew
    if (_ON_ITS_WAY.search(text) and not _BUYING.search(text)) or tracks_a_parcel(text):
        return "status"  # 帮我瞅瞅黑色那双鞋到哪了: 瞅瞅 looks for a parcel, not for shoes
    if _SHOPPING_WORDS.search(text) or _WANTS_A_NEW_ONE.search(text) or _BUYS_AGAIN.search(text) \
            or _ASKS_FOR_OTHERS.search(text):
        return None
    if STATUS_QUESTION.search(text) and not _DELIVERY_TIME.search(text):
        return "status"
    if _DOES_NOT_FIT.search(text) or (_FAULT.search(text) and "换" in text) or _SWAPS_TO_A_VARIANT.search(text) \
            or (_BOUGHT_WRONGLY.search(text) and "换" in text):
        return "exchange"  # (羽绒服想换个黑色 · 奶粉买错段了 换3段: another variant of the one bought)
    if _NOT_AS_SHOWN.search(text) and _WANTS_ANOTHER_VARIANT.search(text):
        return "exchange"  # 实物颜色比图上浅太多了 我想要藏青那个色的: the same item in what was shown
    if _FAULT.search(text):
        return "return_refund"
    if _CALLED_OFF.search(text) and not re.search(r"换|还要|留着|看", text):
        return "unwanted"
    return None


def complains_about_own_order(text: str) -> bool:
    """快递一周了还没到 什么破服务 · 我上次买的耳机用两天就坏了 · 收到的面霜是漏的: a grievance over one's own
    order, parcel or refund, where finding the order helps the customer and the agent who reads the ticket."""
    waiting = complains_of_waiting(text) or _REFUND_PROGRESS.search(text) or _WHERE_IS_MINE.search(text) \
        or _CHECK_PARCEL.search(text)
    if (waiting and _OWN_PARCEL_OR_REFUND.search(text)) or _AWAITED.search(text):
        return True  # 为啥连衣裙这么慢 都一天了: said only of something bought
    return bool(_OWN_PURCHASE.search(text) or _MY_ORDER.search(text) or _RECEIVED.search(text))


def accuses_the_shop(text: str) -> bool:
    """你们是不是骗子 · 再不退我就报警了: counted towards handing over like a complaint."""
    return _ACCUSES.search(text) is not None


# How many of the customer's messages before an angry one are looked at for another grievance: fury after
# 换货太慢了 … 到底什么时候能寄出来 is the same grievance come back, and a person takes over.
GRIEVANCE_WINDOW = 3


def grieves(text: str, heard: Optional[str], understood: Optional[str]) -> bool:
    """Whether a message was a grievance: understood as a complaint, or heard as one and re-read as an order
    request (真的无语 快递比蜗牛还慢 我那单到哪了; not when re-read as calm: 买了快两个礼拜了 · ok等你们消息),
    a wait grieved (快递一周了还没到) or the shop accused (骗子 · 报警)."""
    complained = (understood or heard) == "complain" or (
        heard == "complain" and (understood or "complain") in ORDER_INTENTS)
    return complained or complains_of_waiting(text) or accuses_the_shop(text)


def grieved_lately(earlier: Iterable[tuple[str, Optional[str], Optional[str]]]) -> bool:
    """Whether one of the customer's few messages before this one, (text, heard, understood) newest first, was a
    grievance too, or displeasure heard as something else (就这？选择也太少了吧 · 烦死了)."""
    return any(grieves(text, heard, understood) or displeased(text)
               for text, heard, understood in islice(earlier, GRIEVANCE_WINDOW))


def displeased_lately(earlier: Iterable[str]) -> bool:
    """Whether one of the customer's few messages before this one (newest first) showed displeasure (最讨厌中通了 ·
    搞什么啊 · 听不懂人话); a wait only asked after (订单怎么还没到) is none: anger after it is the first."""
    return any(displeased(text) for text in islice(earlier, GRIEVANCE_WINDOW))


def _names_only_a_variant(entities: Iterable[Mapping[str, Any]], text: str) -> bool:
    """藏青M码 · 换30的 · 换32 还要蓝色: a colour or size and nothing else of a product (no kind, brand or budget)."""
    kinds = {entity.get("entity") for entity in entities}
    return bool(kinds) and kinds <= {"color", "size"} and len(text) <= 12 and not _SHOPPING_WORDS.search(text) \
        and not WITHDRAWS.search(text) and not _ASKS.search(text)


def condition_shift(text: str) -> str:
    """``cheaper`` · ``pricier`` · ``bigger`` · ``smaller`` when the text moves a condition, else ''."""
    if _NOT_TOO_DEAR.search(text) and not _CHEAPER_ALONE.search(_NOT_TOO_DEAR.sub("", text)):
        # 别太贵 is only a cap: 好一点的 不用太贵 · 贵一点也行 但别太贵 still ask for dearer; 不要太贵也不要太便宜 neither
        rest = _NOT_TOO_DEAR.sub("", text)
        return "" if re.search(r"太便宜", rest) else (PRICIER if _SHIFTS[1][1].search(rest) else CHEAPER)
    for shift, pattern in _SHIFTS:
        if pattern.search(text):
            return shift
    return ""


# 单子还在吗 · 啥时候签收的 · 还没发货?: whether an order still stands, when it came.
_STILL_OPEN = re.compile(r"单子还在|订单还在|(?:啥|什么|哪天)时候签收|还没发货[?？]|签收了没")
# 羽绒服呢 L码 · 篮球鞋也…再看看 · 跑步鞋这个价有没有: another kind named to look at, with cards on the screen.
_ANOTHER_KIND_TOO = re.compile(r"^[^，。,.？?]{1,6}呢|再看看|也看看")
# The requests that change an order, and 那手表那单呢 · 另一单呢: the one just asked, of another order.
_ORDER_CHANGES = frozenset({"change_order_info", "cancel_order", "request_return_refund", "request_exchange"})
_AND_THAT_ONE = re.compile(r"(?:那|那么|那这个)?[^，。,.？?！!\s]{0,8}(?:那单|那个订单|订单|这单|另一单|另外一单|那笔|那个)呢[？?。.]*$")


# 能指定时间送吗 · 可以选哪天送: a delivery time chosen
_DELIVERY_TIME_ASKED = re.compile(r"(?:能|可以|能不能|可不可以)(?:指定|选|约)(?:送货|配送|送达)?(?:时间|哪天|日期|几点)")
# 如果颜色不喜欢 想换成别的款呢 · 要是穿着不合适能退吗: a case imagined
_WHAT_IF = re.compile(r"(?:如果|要是|万一|假如)[^，。,.!！?？]{0,10}(?:不喜欢|不合适|不满意|不合身|大了|小了)")
# 那我自己的nova12呢 · 我自己那双鞋呢: one's own thing, after someone else's
# (那我自己用的面霜呢 · 我自己适合的口红呢: shopping for oneself)
_MINE_ASKED = re.compile(r"^(?:那|那么)?我自己(?:的|那个|那台|那双|那件|那条|那块|那部|那罐)?"
                         r"(?!用|穿|戴|要|适合|想|买|喝|吃|擦|抹)([^，。,.？?\s]{2,14})呢[?？。.]*$")
# 要是不合适就帮我换大一码吧 · 如果不合适我就退了 帮我申请退货: the case met, the request made
_DONE_IF = re.compile(r"帮我|申请|就(?:帮我)?(?:换|退)")
# 我165 110斤穿M合适吗 · 会不会偏小: the fit asked too, which size advice answers
_FIT_ASKED_TOO = re.compile(r"(?:合适|偏大|偏小|穿得下|能穿)(?:吗|么|不|嘛)|会不会|选哪|该选")
# S有吗 · 39码的有没有: one size asked for by name (not 多大码 · 哪个码)
_SIZE_ASKED_FOR = re.compile(r"(?:(?<![0-9.])[2-4][0-9](?:\.5)?|(?<![a-z])(?:x{0,3}[sml]|[2-4]xl)(?![a-z]))(?:码|号)?的?"
                             r"(?:有吗|有没有|有不|有么|还有吗|有货吗|有木有)", re.IGNORECASE)


@dataclass(frozen=True)
class DialogueState:
    """What the conversation has on the table when a message arrives."""

    cards_shown: bool = False  # product cards are on the screen
    order_in_focus: bool = False  # an order was named or the bot asked for one
    shopping: bool = False  # a product search is under way (a category was searched)
    searched: bool = False  # the bot has searched products in this conversation (not just a kind named now)
    product_in_focus: bool = False  # the customer asked about one of the shown products
    awaiting_order: bool = False  # the bot asked which order
    awaited_kind: Optional[str] = None  # for which request (status · return_refund · exchange · cancel · change_info)
    last_intent: Optional[str] = None  # what the customer's previous message was understood as
    searched_kind: Optional[str] = None  # the kind of product last searched (手表)
    displeased_lately: bool = False  # one of the customer's last few messages showed displeasure


@dataclass(frozen=True)
class Understanding:
    intent: str
    reason: str = ""  # why it differs from the NLU's intent; empty when it does not

    @property
    def changed(self) -> bool:
        return bool(self.reason)


# 空军一号我穿过 不喜欢 · AF1有了: the line named is refused or owned, not asked for (the line's place is not known,
# so the whole message is read)
_LINE_REFUSED = re.compile(r"不喜欢|不要|不用|有了|穿过|用过|算了")
# 以旧换新能抵多少钱 · 会员价多少钱 · 国补后多少钱: the price of a deal, the promotions' to tell
_PRICE_OF_A_DEAL = re.compile(r"以旧换新|回收|能收|会员价|国补|补贴|降价|便宜|优惠|券")
# 一百多 · 两百以内 · 三百左右: a budget said as a range or a bound, not one price
_BUDGET_AS_A_BOUND = re.compile(r"多|以内|以下|左右|出头|上下|之间|以上|到|内|[-~～]")
# 现在什么价 · 多少钱 · 啥价位: the price of something named asked
_PRICE_OF_IT = re.compile(r"(?:什么|啥)价|多少钱|价格多少|几块钱|售价")
# 贵多少 · 便宜多少钱 · 差多少: the gap between two prices.
_PRICE_GAP = re.compile(r"(?:贵|便宜|差)(?:了)?多少")
# 万斯还有啥款 · 有什么款式: which models there are.
_WHICH_MODELS = re.compile(r"有(?:啥|什么|哪些|哪几)(?:款|型号|样式|款式)")
# 李维斯那件贵这么多 · 差一倍: the gap between cards, weighed (值吗).
_WORTH_THE_GAP = re.compile(r"贵(?:了)?(?:这么|那么)多|(?:差|贵)(?:了)?一(?:倍|大截)")
# 送玩具 · 送个手表吧: a kind given as a present; 买奶粉送什么 · 有赠品吗 ask the shop's free gifts.
# 不送耳机了 · 耳机不要了 · 不看手表了: one kind dropped (another named beside it is the search).
_DROPS_A_KIND = re.compile(r"不(?:送|要|买|看)[\u4e00-\u9fff]{1,5}了|[\u4e00-\u9fff]{1,5}不(?:送|要|买|看)了")
_GIVES_A_KIND = re.compile(r"(?:^|[\s，,吧])送(?:个|点|些|她|他|一[个件套盒])?([\u4e00-\u9fff]{1,5})")
_PROMOTION_ASKED = re.compile(r"赠品|满减|优惠|活动|券|买.{0,4}送")
# 付完款多久发 · 付了几天能到: when it ships or comes; 怎么付 · 能分期吗 still ask about paying.
_WHEN_SHIPPED = re.compile(r"(?:多久|几天|什么时候|啥时候|多长时间)(?:能|才|会|可以)?(?:发货|发|到(?!账)|送到)(?!票)")
_PAYMENT_ASKED = re.compile(r"怎么付|付不了|分期|花呗|信用卡|微信|支付宝|货到付款|付款方式|扣款|退款")
# 能退差价不 · 补差价 · 价保: the price difference of something bought and since cheaper, asked back.
# 顺丰要补差价吗 · 加急要加钱吗: paying more for a faster courier.
_EXTRA_FOR_DELIVERY = re.compile(r"顺丰|京东快递|加急")
_PRICE_PROTECTION = re.compile(r"[退补返]差价|差价[^，。,.]{0,3}(?:退|补|返)|价保|保价|价格保护"
                               # 比我买的时候便宜了一百 能退吗: the difference back, never the order returned
                               r"|(?:便宜|降价?|掉价)了[^，。,.!！?？]{0,6}[\s，,]*(?:能|可以)?(?:退|补|返)(?:吗|不|么|嘛|点|些|一下)")

# 转个人工…算了，不用了 · 找客服吧 还是不用了: a person asked for and called off in the same message.
_PERSON_CALLED_OFF = re.compile(r"(?:人工|客服|真人)[^，。！？!?算]{0,4}"
                                r"(?:[…\s，,。.]+(?:算了|还是算了)|[…\s，,。.]*(?:不用了|还是不用|先不用|先不转|不转了|还是别))")
# Intents a need told in one's own words may overrule (怕冻成狗 heard as a complaint): the only ones for which
# ``needs_a_kind`` is read, so a caller computes it for these alone
INTENTS_A_NEED_MAY_OVERRULE = ("complain", "out_of_scope", "nlu_fallback", "ask_product_info", "request_exchange",
                               "change_order_info", "cancel_order", "query_order_status", "request_return_refund",
                               "ask_shipping_policy", "bot_challenge", "ask_size_advice")
# Of those, shop questions a need overrules only in the open and when nothing is asked (下月去哈尔滨出差 那边零下二十几度
# heard as a delivery-date question · 8岁男孩生日 喜欢能变形的机器人 heard as "are you a robot")
_SHOP_QUESTIONS_A_NEED_OVERRULES_UNASKED = frozenset({"ask_shipping_policy", "bot_challenge"})
# Of those, the ones a need overrules only with nothing on the screen and no order of one's own in view or pointed at
# (下周去哈尔滨出差 怕冻成狗 heard as an order change · 男朋友天天泡在篮球场 鞋底都快磨穿了 heard as a product question).
_READINGS_A_NEED_OVERRULES_IN_THE_OPEN = frozenset(INTENTS_A_NEED_MAY_OVERRULE) - {"complain", "out_of_scope",
                                                                                   "nlu_fallback"}


def understand(intent: Optional[str], entities: Iterable[Mapping[str, Any]], text: str,
               state: DialogueState, names_category: bool = False, names_attribute: bool = False,
               needs_a_kind: bool = False, wants_another_kind: bool = False) -> Understanding:
    """The intent of this message in this state.

    ``names_category``: the text names a kind of product the catalog knows (护肤 · 运动鞋)
    even where the NLU marked no entity; ``names_attribute``: a wanted property (降噪 · 无硅油),
    which counts only while shopping (好吃 alone is no request); ``needs_a_kind``: the text tells a
    need that one or two kinds of product meet (怕冻成狗 → 羽绒服, bot/catalog/needs.py);
    ``wants_another_kind``: the kind named is what one has, another is wanted (一直用我手机上 屏幕太小了 → 平板).
    """
    intent = intent or "nlu_fallback"
    text = respelled(to_simplified(text))  # 還有嗎 · 別的款式呢 · 包油吗: the rules are written in simplified characters
    called_off = _PERSON_CALLED_OFF.search(text)
    # (还是转人工算了 · 直接找客服算了: might as well, a person still asked for)
    if called_off and intent == "request_human" and not re.search(r"(?:还是|直接|干脆)[^，。,.]{0,6}(?:人工|客服|真人)", text) \
            and (names_category or names_attribute or any(
            e.get("entity") in CONDITION_ENTITIES and (e.get("start") or 0) >= called_off.end() for e in entities)):
        # 要不给我转个人工…算了，不用了，你先帮我看看哑光的: the person called off in the same breath, the search
        # asked instead
        named = any(e.get("entity") == "product_category" for e in entities) or names_category
        return Understanding("request_recommendation" if named or not (state.shopping or state.cards_shown)
                             else "inform_preference", "a person asked for and called off, a search instead")
    if state.displeased_lately and furious(text) and intent != "request_human":
        # (下单三天了还是待发货 搞什么啊 →) 我真的生气了 你们就是这么对老顾客的？ · 三天没动了 真的要气炸了: anger said a
        # second time, whatever else it asks; the complaint flow fetches a person (and tells where a parcel is).
        # (订单怎么还没到 → 都一个礼拜了!!! 你们到底发没发: the first anger, the parcel's status answers it)
        return Understanding("complain", "anger said again after a grievance")
    if intent == "ask_size_advice" and state.cards_shown and not state.order_in_focus and _SIZE_ASKED_FOR.search(text) \
            and not _FIT_ASKED_TOO.search(text):
        # 我平时穿M 要小一码的 S有吗 · 平时穿40 听说偏大 39有吗: the size chosen, asked for among the cards
        return Understanding("inform_preference", "a size chosen and asked for among the cards")
    if intent == "change_order_info" and not (state.order_in_focus or state.awaiting_order) \
            and _DELIVERY_TIME_ASKED.search(text) and not ORDER_REFERENCE.search(text) and not find_order_ids(text) \
            and not re.search(r"订单|那单|这单|我的|我买的", text):
        # 你们能指定时间送吗 我白天上班不在家: the delivery rules, of no order
        return Understanding("ask_shipping_policy", "asks whether a delivery time can be chosen, of no order")
    if intent in ("request_exchange", "request_return_refund") and not state.order_in_focus \
            and _WHAT_IF.search(text) and not find_order_ids(text) and not _DONE_IF.search(text):
        # (码数不合适可以换吗 →) 那如果是颜色不喜欢 想换成别的款呢: the rules, asked of a case, not a refinement
        return Understanding(ASK_AFTER_SALES_POLICY, "a what-if about exchanges or returns")
    if intent in _ORDER_CHANGES and WITHDRAWS.search(text) and not find_order_ids(text) \
            and (names_category or any(e.get("entity") == "product_category" for e in entities)):
        # (想退个货 然后再买双新的篮球鞋 →) 退货等会说 先看鞋 42码: the after-sales put off, the products asked for
        return _shopping({"product_category"}, state, "the after-sales put off, products asked for")
    mine = _MINE_ASKED.search(text)
    if mine and intent not in ORDER_INTENTS and (names_a_product(mine.group(1))
                                                 or shipped_brands().named_in(mine.group(1))):
        # (我朋友的快递单号… →) 那我自己的nova12呢: one's own order of the thing named, after someone else's
        return Understanding("query_order_status", "one's own order of the thing named")
    if _CANCEL_MISTYPED.search(text) and intent not in ("request_human", "complain", "bot_challenge"):
        # 帮我取笑一下羽绒服的订单: 取消, mistyped by a pinyin keyboard (quxiao)
        return Understanding("cancel_order", "a cancellation, mistyped")
    if intent == "query_order_status" and _ASKS_A_CHANGE.search(text):
        # 我的Apple Watch订单目前尚未发货，能否将配送时间调整为本周六上午？: the state said, a change asked
        return Understanding("change_order_info", "the order's state said, a change asked of it")
    if state.order_in_focus and _SENT_ELSEWHERE.search(text) \
            and intent in (_FAQ_INTENTS | _WEAK_INTENTS | {"query_order_status"}) \
            - {"ask_payment", ASK_AFTER_SALES_POLICY}:
        # (手机那单的物流 →) 能不能改成送到公司 张江那边的: the order's address changed, not the delivery rules
        return Understanding("change_order_info", "asks the order sent to another address")
    if state.last_intent in _RETURN_OR_EXCHANGE and _WORRIES_ABOUT_THE_NEW_ONE.search(text) \
            and intent not in ("request_human",) and not _ANGER.search(text) \
            and not re.search(r"退款|退货|直接退|不换了", text):
        # (掉色了 给我换条新的 →) 换来的要是还这样咋整: what the rules say if the new one fails too
        return Understanding(ASK_AFTER_SALES_POLICY, "a worry that the new one fails too")
    if state.awaited_kind == "exchange" and _names_only_a_variant(entities, text):
        # 藏青M码 · 换32 还要蓝色, asked which order to exchange: what it is to be exchanged for, not products to buy
        return Understanding("request_exchange", "the colour or size wanted in the exchange being asked")
    if state.order_in_focus and state.last_intent in ("request_exchange", "change_order_info") \
            and (_asks_a_size(text) or _FIT_OF_THE_SIZES.search(text)
                 or (_FIT.search(text) and any(e.get("entity") == "size" for e in entities))) \
            and (_ASKS.search(text) or _ASKED_YES_OR_NO.search(text)
                 or re.search(r"还是[^，。,.\s]{1,4}(?:啊|呀|呢|好|合适)|合适(?:吗|么|不)|够不够|够吗", text)) \
            and not re.search(r"都行|看着发|就换|换(?:成)?(?:XXL|XL|S|M|L|[0-9]{2})(?:码|号)?(?:吧|$)", text) \
            and intent in _SHOPPING_INTENTS | _WEAK_INTENTS | _SHOWN_PRODUCT_INTENTS \
            | {"request_exchange", "change_order_info", "ask_size_advice"} \
            and not _service_topic(text) and not _SHOPPING_WORDS.search(text):
        # (李宁羽绒服穿着大 想换小一号的 →) 我180 75公斤 换XL还是L啊 · 万斯码准不准啊: which size to take of the
        # item being exchanged, not a search
        return Understanding("ask_size_advice", "which size to take in the exchange or change just asked")
    if state.order_in_focus and (state.last_intent == "request_exchange"
                                 or (state.last_intent == "check_stock" and not state.cards_shown)) \
            and _SWAPS_TO_A_VARIANT.search(text) \
            and intent in ("check_stock", "inform_preference", "ask_size_advice", "ask_product_info",
                           "request_recommendation", "request_exchange"):
        # (雪中飞那件换M →) 粉色M没货？那换白色M · (→ 藏青的M呢 有货) 行 那就换藏青M吧: what the exchange just
        # asked is to bring instead
        return Understanding("request_exchange", "another variant for the exchange just asked")
    if state.order_in_focus and not state.cards_shown \
            and (state.last_intent == "check_stock"
                 or (state.last_intent in ("request_exchange", "change_order_info")
                     and (_ASKS.search(text) or _STOCK_ASKED.search(text)))) \
            and intent in _SHOPPING_INTENTS | _WEAK_INTENTS | {"check_stock"} \
            and _asks_only_a_variant(text, entities):
        # (换M → 蓝色M码现在有货吗 → 缺货) 那藏青的M呢 · (裙子L的太大 能弄成M不 →) 那藏青色的M呢: the same item of
        # the order, in another variant
        return Understanding("check_stock", "the order's item asked in another colour or size")
    if (state.cards_shown or state.product_in_focus) and _FIT_OF_THE_SIZES.search(text) \
            and (_ASKS.search(text) or _ASKED_YES_OR_NO.search(text)) \
            and intent in _WEAK_INTENTS - {"affirm", "thank"} | _FAQ_INTENTS | {"ask_product_info"} \
            and not _service_topic(text) \
            and not re.search(r"退|换", text):  # (偏码的话包退吗 asks the return rule)
        # 偏码不 · 尺码准不准 (heard as a shipping question) of the shoe just asked about: size advice
        return Understanding("ask_size_advice", "whether a product's sizes run large or small")
    if state.last_intent in ORDER_INTENTS and intent in {"complain", "nlu_fallback", "out_of_scope", "deny"} \
            and _BOUGHT_HERE.search(text) \
            and not _ANGER.search(text) and not _WANTS_PERSON.search(text):
        # (我刚买的那个换成黑色的 → 请先登录) 就在你们app上买的啊: the same request, insisted on
        return Understanding(state.last_intent, "insists the purchase was made here: the same request")
    if state.order_in_focus and state.last_intent == "change_order_info" and _CHANGES_A_QUANTITY.search(text) \
            and intent in _SHOWN_PRODUCT_INTENTS | _WEAK_INTENTS | _SHOPPING_INTENTS:
        # (那单还没发 可以改) 洗发水那个能不能少要一瓶: more of the change to that order, not a product question
        return Understanding("change_order_info", "more of the change to the order in focus")
    if asks_of_own_account(text) and intent in _WEAK_INTENTS | _SHOPPING_INTENTS | {"ask_payment", "complain"} \
            and not _ANGER.search(text):
        # 我的积分有多少 · 我的优惠券还剩几张 (heard as nothing): the shop's rule, and where the account shows them
        return Understanding("ask_promotion", "asks about one's own coupons or points")
    if intent == "ask_size_advice" and not (state.cards_shown or state.product_in_focus or state.order_in_focus) \
            and any(entity.get("entity") == "budget" for entity in entities) and not _asks_a_size(text) \
            and not _BODY_SAID.search(text):
        # 给我爸买块表 1500以内: a budget for something to buy, no size asked
        return _shopping({"budget"}, state, "a budget said, no size asked")
    if not state.awaiting_order and says_only_a_childs_age(text):
        # 十个月大 · 宝宝十个月 (heard as an order's wait): the child's age, which the search reads (toys a child is
        # old enough for), or which opens one
        return _shopping(set(), state, "a child's age said alone")
    if state.awaiting_order and leaves_order_request(text, intent):
        # 行 接着看刚才的 44码: the wait for an order ends here (the action drops it too)
        state = replace(state, awaiting_order=False, order_in_focus=False)
    if _SALE_EVENT.search(text) \
            and intent in ("ask_product_info", "request_recommendation", "check_stock", "nlu_fallback") \
            and not any(e.get("entity") == "budget" for e in entities) and not _SHOPPING_WORDS.search(text):
        # mate60pro啥时候降价啊 · 双十二会便宜吗: whether a sale or a price cut is coming, nothing to show yet
        return Understanding("ask_promotion", "asks whether a sale will make it cheaper")
    if _PRICE_ELSEWHERE.search(text) and not _ASKS_IF_SOLD_HERE.search(text) \
            and intent not in ("request_human", "ask_payment", "ask_shipping_policy", "request_return_refund",
                               "ask_size_advice") and not (intent == "complain" and _ANGER.search(text)) \
            and not _PRICE_PROTECTION.search(text) \
            and not names_a_service_topic(text, but="ask_promotion"):
        # 直播间才199 你们这怎么要259: the shop's price against another's, not products, an order or an alert
        # (运费也太贵了 别家都包邮: the shipping fee's)
        return Understanding("ask_promotion", "sets the shop's price against a price seen elsewhere")
    if state.last_intent == "compare_products" and _PRICE_GAP.search(text) \
            and intent in _FOLLOW_UP_INTENTS | _WEAK_INTENTS:
        # (小米14和iphone15选哪个 →) 苹果那个贵多少啊: the two compared, by price
        return Understanding("compare_products", "asks how much dearer one of the two compared is")
    if state.cards_shown and _WORTH_THE_GAP.search(text) and intent in _FOLLOW_UP_INTENTS | _WEAK_INTENTS:
        # 李维斯那件贵这么多 值吗: one of the cards set against the cheaper ones, is it worth it
        return Understanding("compare_products", "asks whether the dearer one is worth the gap")
    if intent == "ask_payment" and _WHEN_SHIPPED.search(text) and not _PAYMENT_ASKED.search(text):
        # 付完款多久发: when it ships once paid, a shipping question
        return Understanding("ask_shipping_policy", "asks when it ships after paying")
    if _PRICE_PROTECTION.search(text) and intent not in ("request_human", "complain") \
            and not (_UNWANTED.search(text) and not re.search(r"差价|价保|保价", text)) \
            and not (_EXTRA_FOR_DELIVERY.search(text) and not _PRICE_DROPPED.search(text.replace("差价", ""))
                     and not re.search(r"价保|保价", text)):
        # (降价了 不想要了 能退吗: a return; 发顺丰要补差价吗: paying more for the courier, a shipping question)
        # 昨天买的apple watch今天就便宜了 能退差价不: the difference back (价保), never the order returned or cancelled
        return Understanding("ask_promotion", "asks for the price difference back (价保)")
    if asks_again_for_a_bought_item(text) and _ASKS.search(text) and not _ANGER.search(text) \
            and not STATUS_QUESTION.search(text) and not _ORDER_ACTS.search(text) \
            and intent in ORDER_INTENTS | _WEAK_INTENTS | _SHOWN_PRODUCT_INTENTS | _SHOPPING_INTENTS | {"complain"}:
        return Understanding("check_stock", "a product bought and liked, asked for again")
    if likens_to_a_bought_item(text) and not _ANGER.search(text) and not state.awaiting_order \
            and intent in _PERSON_INTENTS | _SHOPPING_INTENTS:
        # 跟上次买的万斯那双差不多的 价格也差不多 (heard as a complaint): its kind and price, to buy
        return Understanding("request_recommendation", "something like a purchase, to buy")
    if state.order_in_focus and (_SAME_MODEL.search(text) or _ONE_MORE.search(text)) \
            and not _FAULT_WORDS.search(text) and not _ANGER.search(text) and not _ORDER_ACTS.search(text) \
            and not STATUS_QUESTION.search(text) and not _ASKS.search(text) and not _LATER.search(text) \
            and intent in _WEAK_INTENTS | _SHOPPING_INTENTS | _SHOWN_PRODUCT_INTENTS:
        # (我的面霜发货了吗 →) 同款再来一瓶 (heard as goodbye): the product of the order talked about, bought again
        return Understanding("request_recommendation", "the product of the order talked about, to buy again")
    if tracks_a_parcel(text) and not _ANGER.search(text) \
            and intent in _SHOPPING_INTENTS | _WEAK_INTENTS | _NEEDS_CARDS_INTENTS | {"query_order_status"} \
            and not order_asked_beside_products(text) \
            and not (state.last_intent in _RETURN_OR_EXCHANGE and _SENT_BACK_ASKED.search(text)):
        # 对了我买的爱他美到哪了 · 我自己那个nova到哪了 amid a search: 到哪了 is asked only of a parcel (我的订单到哪了
        # 顺便看看有啥耳机: both, the rules below; 寄到哪里 right after an exchange: where it goes back to)
        return Understanding("query_order_status", "" if intent == "query_order_status" else "asks where a parcel is")
    if (state.last_intent is None or (state.last_intent in ("thank", "goodbye") and intent == "greet")) \
            and _HELLO_ANYONE.fullmatch(text):
        # 有人吗 opening the chat, or after thanks (好的谢谢 我先看看 → 有人吗？), is a greeting (nlu-taxonomy.md); said
        # after a question or a grievance, it asks for a person
        return Understanding("greet", "opens the chat asking whether anyone is there")
    hours = _ASKS_SERVICE_HOURS.search(text)
    if hours and intent in _PERSON_INTENTS | {"request_human"}:
        if names_category and _SHOPPING_WORDS.search(text[hours.end():]):
            # 人工客服几点上班？我明天再找他们，今天先帮我看看耳机: the products now (the action answers the hours too)
            return _shopping({"product_category"}, state, "asks when people answer, then products")
        return Understanding(ASK_SHOP_INFO, "asks when people answer, not for one now")
    if intent in _SHOPPING_INTENTS | _WEAK_INTENTS | _SHOWN_PRODUCT_INTENTS | {"complain"} \
            and unsold_kind_asked(text, state.cards_shown or state.product_in_focus):
        # 有充电宝吗 · 你们卖不卖洗衣机 · 想买个手机壳: a kind the shop does not sell, said so by the search
        return Understanding("request_recommendation", "asks for a kind the shop does not sell")
    if intent in _SHOPPING_INTENTS | _WEAK_INTENTS | _SHOWN_PRODUCT_INTENTS | {"complain"} \
            and not any(entity.get("entity") == "brand" for entity in entities) and unsold_brand_asked(text):
        # 有没有戴森的: a brand the shop does not sell, said so by the search
        return Understanding("request_recommendation", "asks for a brand the shop does not sell")
    if intent == "request_human" and _PERSON_LATER.search(text) and not _ANGER.search(text) \
            and not _PERSON_NOW.search(text) and not _ASKS.search(text):
        # 感谢您的帮助，如有需要我会再联系贵店客服: a person some other time, a polite goodbye now
        return Understanding("thank" if _THANKS.search(text) else "goodbye", "a person for later, not now")
    if _ASKS_IF_BOT.search(text) and intent in _PERSON_INTENTS | {"request_human", "bot_challenge"} \
            and not _PERSON_OUTRIGHT.search(text):
        # 跟我聊天的是真人还是程序啊: who answers, asked; nobody asked for
        return Understanding("bot_challenge", "asks whether a person or a program answers")
    if _ASKS_WHAT_THE_BOT_IS.search(text) and not _ORDER_WORDS.search(text) and not _SHOPPING_WORDS.search(text) \
            and not _PERSON_OUTRIGHT.search(text) and not any(e.get("entity") in CONDITION_ENTITIES for e in entities):
        return Understanding("bot_challenge", "asks what the bot is or can do")
    declines_person = bool(_DECLINES_PERSON.search(text))
    topic_said = _service_topic(text)
    if topic_said and _REPORTS_PERSON.search(text) and not _WANTS_PERSON.search(text) and not _MY_ORDER.search(text) \
            and intent not in _SERVICE_INTENTS:
        # 昨天你们人工客服说羽绒服过几天会降价 真的假的: what a person said of a service topic, checked
        return Understanding(topic_said, "checks what a person said on a service topic")
    if _REPORTS_PERSON.search(text) and _FIT_ASKED.search(text) and not _WANTS_PERSON.search(text) \
            and not _PERSON_OUTRIGHT.search(text) and intent not in _SERVICE_INTENTS:
        # 上次问人工他说这鞋偏大半码 真的假的: what a person said of sizes, checked
        return Understanding("ask_size_advice", "checks what a person said of sizes")
    if needs_a_person(text) and intent != "request_human" and not _DECLINES_PERSON.search(text):
        # 银行卡扣了我两笔钱 · 收到就是坏的 图我拍好了发哪: recorded, and a person checks it
        return Understanding("complain", "a problem only a person can settle")
    if _HURRY.search(text) and not re.search(r"[0-9]{6,}|DD[0-9]", text) and not _WANTS_PERSON.search(text) \
            and not _ANGER.search(text):
        # 能帮我催下快递吗 宝宝等着喝: how fast the shop ships is what can be told (nothing hurries a parcel)
        return Understanding("ask_shipping_policy", "asks to hurry a parcel")
    if _GENUINE.search(text) and intent in _WEAK_INTENTS | {"complain", "ask_product_info"} \
            and not _ANGER.search(text) and not _OWN_PURCHASE.search(text):
        # 你们家是正品吗 别买到假的: the shop's word on its goods (the knowledge base's answer)
        return Understanding(ASK_SHOP_INFO, "asks whether the goods are genuine")
    if intent == "request_human" and (declines_person or (
            _ONES_OWN.search(text) and not _NAMES_A_PERSON.search(_ONES_OWN.sub("", text)))):
        # 不用转人工 · 个人抬头行不行 (个人 is no person): read on as if the NLU had no intent for it
        intent = "nlu_fallback"
    if intent in _PERSON_INTENTS and _WANTS_PERSON.search(text) and not declines_person:
        return Understanding("request_human", "asks for a person")
    if _PERSON_OUTRIGHT.search(text) and not declines_person and not _REPORTS_PERSON.search(text):
        # 我还是想问问真人客服 我脚的情况比较复杂: a person asked for by name, whatever else the NLU heard
        return Understanding("request_human", "asks for a person by name")
    if files_complaint(text) and (intent in _WEAK_INTENTS or (intent in _SERVICE_INTENTS and _ANGER.search(text))):
        return Understanding("complain", "files a complaint (the action hands it to a person)")
    if INSULT.search(text) and intent in _SHOPPING_INTENTS | _SHOWN_PRODUCT_INTENTS | _WEAK_INTENTS \
            and not any(entity.get("entity") in CONDITION_ENTITIES - {"product_category"} for entity in entities) \
            and not _WANTS_PERSON.search(text):
        # 什么垃圾店 买双鞋都找不到 浪费老子时间 · 你这机器人真的蠢 废物一个: an outburst, whatever kind it names
        return Understanding("complain", "an outburst at the shop or the bot")
    if intent in _SERVICE_INTENTS and state.last_intent in ORDER_INTENTS and INDIGNATION.search(text) \
            and not _WANTS_PERSON.search(text):
        # (牛仔裤一堆线头 → 我要退货 →) 退货还要我自己寄？？明明是你们的问题凭啥我出运费 太过分了: indignation at the
        # after-sales under way, the complaint flow (a person when it follows another grievance)
        return Understanding("complain", "indignant at the after-sales under way")
    if intent in _SERVICE_INTENTS and (_ACCUSES.search(text) or _CONDITIONAL_THREAT.search(text)) \
            and not _WANTS_PERSON.search(text):
        # 你们是不是骗子啊 再不退我就报警了, while a refund is awaited · 再不发我全部退掉: the complaint flow (a
        # person at the third), never the threatened cancel
        return Understanding("complain", "accuses the shop over a service")
    bought_and_fits_badly = _OWN_PURCHASE.search(text) \
        and (("换" in text and _FITS_BADLY.search(text)) or _SIZE_OFF.search(text))
    came_and_is_wrong = (_OWN_PURCHASE.search(text) or _BOUGHT_BEFORE.search(text) or _RECEIVED.search(text)
                         or _arrived_home(text)) \
        and (("换" in text and (_FITS_BADLY.search(text) or _DISLIKES_WHAT_CAME.search(text)))
             or _SIZE_OFF.search(text) or _DOES_NOT_FIT.search(text))
    if ((intent in _SHOPPING_INTENTS and bought_and_fits_badly)
            or (intent in _PERSON_INTENTS | {"subscribe_alert"} and came_and_is_wrong)) \
            and "退" not in text and not asks_other_brand(text) and not _WANTS_A_NEW_ONE.search(text) \
            and not _THREATENS.search(text) \
            and not _WANTS_PERSON.search(text):
        # 另外我之前买的优衣库T恤小了 想换个大一码 · (heard as a complaint or an alert:) 牛仔裤到了 腰勒得喘不过气 ·
        # 上回买的那双万斯 穿着挤脚: an exchange of what was bought, not a bigger size to browse (heard as a search,
        # 羽绒服到了 能弄成黑的不 is the recommend action's, which asks the order system whether one holds it)
        return Understanding("request_exchange", "what was bought does not fit, an exchange asked")
    if intent in _PERSON_INTENTS | _SHOPPING_INTENTS | _SHOWN_PRODUCT_INTENTS | {"subscribe_alert"} \
            and (_OWN_PURCHASE.search(text) or _RECEIVED.search(text) or _BOUGHT_BEFORE.search(text)) \
            and _WANTS_IT_BACK.search(text) and not _SHOPPING_WORDS.search(text) \
            and not _THREATENS.search(text) and not _WANTS_PERSON.search(text):
        # 说起来 前几天收到的李维斯那条牛仔裙 腰太大了 想退 · 我之前买过雪中飞那件 穿了起球 想退, while browsing
        # the same kind: what was bought goes back, nothing is searched
        return Understanding("request_return_refund", "what was bought is to be sent back")
    asked_service = _SERVICE_ASKED_ANGRILY.search(text)
    if intent == "complain" and asked_service and not _FORMAL_THREAT.search(text) and not _WANTS_PERSON.search(text) \
            and not _PERSON_OUTRIGHT.search(text):
        # 气死了 这什么破耳机 我要退货 · 太差了 能不能给我换一个: angry, and the return or exchange is what is
        # asked for; it is started (the anger still counts towards handing over: grievances)
        kind = "request_exchange" if "换" in asked_service.group(0) else "request_return_refund"
        return Understanding(kind, "a return or exchange asked for in anger")
    if (intent in _PERSON_INTENTS or (intent == "ask_size_advice" and not state.cards_shown
                                      and not state.awaiting_order and not state.order_in_focus
                                      and state.last_intent not in _RETURN_OR_EXCHANGE
                                      and (_BOUGHT_WRONG_SIZE.search(text) or _RECEIVED.search(text))
                                      and not re.search(r"怕|担心|总是|上次|这次|选", text))) \
            and _WRONG_SIZE.search(text) and not _THREATENS.search(text):
        # (鞋子买大了一码 咋整啊, heard as a size question: bought, so an exchange; 这款尺码偏大吗 asks before buying)
        # 气死了 鞋码买小了: angry, but the exchange is what helps (a ticket would only wait for a person)
        return Understanding("request_exchange", "bought the wrong size")
    bought = bool(state.order_in_focus or _OWN_PURCHASE.search(text) or _RECEIVED.search(text)
                  or _BOUGHT_BEFORE.search(text) or _POINTS_AT_A_PURCHASE.search(text) or _BOUGHT_WRONGLY.search(text))
    if intent in _SHOPPING_INTENTS | _WEAK_INTENTS | {"ask_size_advice", "check_stock"} and not state.cards_shown \
            and (not state.searched or bought) \
            and not _IF_IT_HAPPENS.search(text) and not re.search(r"担心|值得|有必要|推荐", text) \
            and not _WANTS_A_NEW_ONE.search(text) and not _THREATENS.search(text) \
            and (bought or (not _ASKS.search(text) and not _SHOPPING_WORDS.search(text))) \
            and (_VARIANT_FOR_VARIANT.search(text) or (_BOUGHT_WRONGLY.search(text) and "换" in text)
                 or _TO_A_NEIGHBOURING_SIZE.search(text)):
        # 李宁羽绒服 XXL换XL · 奶粉买错段了 想换成3段的 · 羽绒服要换个小一号的, nothing on the screen: one size or
        # colour had, another wanted, which only an exchange of what was bought brings
        return Understanding("request_exchange", "one size or colour had, another wanted")
    if state.last_intent in _RETURN_OR_EXCHANGE and _ITEM_STATE.search(text) and not _ANGER.search(text) \
            and not RESUMES_SHOPPING.search(text) \
            and (intent in _PERSON_INTENTS | {"query_order_status"}
                 # 用了过敏可以退吗 → 开封用过几次的也算? (heard as a question on the cards still shown)
                 or (state.last_intent == ASK_AFTER_SALES_POLICY and intent in _SHOWN_PRODUCT_INTENTS
                     and _ITEM_STATE_PUT.search(text))):
        # 不想要了 能退吗 → 还没拆封 · 拆了试了一下: the item's state, for the rules to say what is allowed
        return Understanding(ASK_AFTER_SALES_POLICY, "tells the item's state after asking to send it back")
    if state.last_intent in _RETURN_OR_EXCHANGE and (_SENT_BACK_ASKED.search(text) or _HOW_TO_GO_ON.search(text)) \
            and not _ANGER.search(text) and not _WANTS_PERSON.search(text) \
            and intent in ORDER_INTENTS | _FAQ_INTENTS | _WEAK_INTENTS | {"complain"}:
        # (李宁那件羽绒服XXL太大了 想换XL →) 寄到哪里 · 新的啥时候寄出 · 来回运费算谁的 · 那要怎么弄: the rules of
        # sending it back
        return Understanding(ASK_AFTER_SALES_POLICY, "asks where or when the thing sent back goes")
    told_an_order = state.order_in_focus and state.last_intent == "query_order_status"
    if (state.last_intent in _RETURN_OR_EXCHANGE or told_an_order) \
            and (_AFTER_SALES_FOLLOW_UP.search(text) or (complains_of_waiting(text) and not state.awaiting_order)) \
            and not _ANGER.search(text) \
            and not _WANTS_PERSON.search(text) \
            and not _WANTS_SERVICE.search(text) and not names_category and intent != "request_human":
        # 退款咋还没到 → (退款中) → 都四天了 一般多久啊 · 能快点不 急用钱: where the order told stands, again
        # (not a grievance, not a price haggle); 上门取件不 · 要拍照吗 after a return: the shop's rules
        if state.last_intent in _RETURN_OR_EXCHANGE or _RETURN_LOGISTICS.search(text) or re.search(r"退|到账", text):
            return Understanding(ASK_AFTER_SALES_POLICY, "asks how the return or refund under way goes")
        return Understanding("query_order_status", "asks how long the order told still takes")
    if state.last_intent in _RETURN_OR_EXCHANGE and _PROCESS_QUESTION.search(text) and not _ANGER.search(text) \
            and not _WANTS_SERVICE.search(text) and not names_category \
            and not (state.cards_shown and _ASKS_FOR_OTHERS.search(text)) \
            and intent not in ("request_human", "query_order_status"):
        # 换货运费谁承担 → 要先把旧的寄回去吗 · 我要退款 → 要拍照片吗: how the return goes, the shop's rules
        # (男生用的有吗, with cards on the screen: more of them)
        return Understanding(ASK_AFTER_SALES_POLICY, "asks how the return or exchange just asked for goes")
    if intent == "complain" and _BAD_DAY.search(text) and not _ANGER.search(text) and (
            _SHOPPING_WORDS.search(text) or (names_category and _GIVES.search(text)) or needs_a_kind):
        # 跟女朋友吵架了 想买个东西哄哄她: the bad day is why something is bought
        return Understanding("request_recommendation", "a bad day, and something to buy for it")
    if intent == "complain" and _BAD_DAY.search(text) and not _ABOUT_THE_SHOP.search(text):
        # 笑死 今天又被老板骂了: a bad day told, nothing about the shop to file
        return Understanding("out_of_scope", "a bad day, not a complaint about the shop")
    if intent == "complain" and _COMPLAINT_MENTIONED.search(text) \
            and not _ANGER.search(_COMPLAINT_MENTIONED.sub("", text)) and _FIT_ASKED.search(text):
        # 不是投诉哈 就想问问你们家衣服是不是都偏小: the word 投诉 said to take it back, then a question
        return Understanding("ask_size_advice", "no complaint, a size question")
    if intent in _PERSON_INTENTS and _OWN_PURCHASE.search(text) and _WHERE_IS_MINE.search(text) \
            and not _THREATENS.search(text) and not _WANTS_PERSON.search(text):
        # 真的无语 你们快递比蜗牛还慢 我那单到哪了: angry, but the parcel is what is asked for
        return Understanding("query_order_status", "asks where a parcel is, with feeling")
    if intent in _SHOPPING_INTENTS | _WEAK_INTENTS | {"change_order_info", "query_order_status"} \
            and (_CANCELS_PART.search(text) or _CANCELS_WHOLE.search(text)) \
            and not any(e.get("entity") in ("color", "size", "budget") for e in entities) \
            and not _ASKS.search(text) and not STATUS_QUESTION.search(text) and not _MONEY_BACK_ASKED.search(text) \
            and not names_a_colour(text) \
            and (state.order_in_focus or state.awaiting_order or not (state.searched or state.cards_shown)):
        # 潘婷洗发水不要了 裙子留着 · 等下 只取消洗发水 裙子我还要 · 行吧那整单取消 (heard as a search for the items
        # named): a cancellation, of part of an order or all of it (羽绒服不要了 T恤还要, said in a search with no
        # order in view, drops a kind: the search's own words; 还没发货的那单 洗发水不要了 裙子照发, heard as the
        # order's status)
        return Understanding("cancel_order", "cancels an order or part of it, the items named")
    if intent in _PERSON_INTENTS | _SHOPPING_INTENTS | _SHOWN_PRODUCT_INTENTS \
            | {"query_order_status", "subscribe_alert"} \
            and _CANCEL_DEMANDED.search(text) and (_ORDER_WORDS.search(text) or _POINTS_AT_A_PURCHASE.search(text)) \
            and not asks_about_the_rules(text) and not _ALERT_WORDS.search(text) and not _WANTS_PERSON.search(text) \
            and not re.search(r"吗|么|？|\?|是不是|要不要|怎么|多少|多久", text):  # (not _ASKS: 这几个里挑 asks nothing)
        # 没发货那单我要取消 等了一天了还不发 · 我之前下单的小米平板还没付款 帮我取消了吧: one's order called off in
        # so many words, whatever the feeling or the products on the screen
        return Understanding("cancel_order", "asks to cancel an order of one's own")
    waited = _AFTER_SALES_WAITED.search(text)
    if waited and intent not in ("request_human",) and not _WANTS_PERSON.search(text) and not _THREATENS.search(text) \
            and not _ANGER.search(text):
        # 安踏篮球鞋换货我之前说过了 怎么还没动静: the request made before, which the service looks up (passing
        # the words on when this chat filed it, filing it when the order system has none)
        return Understanding("request_exchange" if "换" in waited.group(1) else "request_return_refund",
                             "asks after an exchange or return asked for before")
    asked_not_complained = intent == "complain" and _ASKS_IF_ARRIVED.search(text) and not _ANGER.search(text)
    if _NOT_YET_SHIPPED.search(text) and _CHANGES_A_VARIANT.search(text) and not asks_about_the_rules(text) \
            and (state.order_in_focus or _MY_ORDER.search(text) or re.search(r"那单|这单", text)) \
            and intent not in {"request_human", "cancel_order", "request_return_refund", "request_exchange",
                               "complain"}:
        # af1那单还没发吧 能换成43吗 怕小: another size or colour of an order not shipped, changed before it goes
        return Understanding("change_order_info", "asks another size or colour of an order not yet shipped")
    if _AWAITED.search(text) and (intent in _SHOPPING_INTENTS | _WEAK_INTENTS | _FAQ_INTENTS | _SHOWN_PRODUCT_INTENTS
                                  | {"query_order_status"} or asked_not_complained) \
            and not _SHOPPING_WORDS.search(text) and (not state.awaiting_order or state.order_in_focus) \
            and not ASKS_ALERT.search(text) and not _CANCELS_PART.search(text) and not _CANCELS_WHOLE.search(text) \
            and not (state.awaiting_order and _DESCRIBES_AN_ORDER.search(text) and not _ASKS.search(text)):
        # 连衣裙为啥还不发货 · 奶粉咋还没到, cards on the screen or not: one's own parcel, never products to buy
        # (还没发货的那单 洗发水不要了 裙子照发: part of it called off; 就还没发货那个 潘婷那单, asked which order to
        # change: the order described)
        return Understanding("query_order_status", "asks why something bought has not come")
    if intent in _WEAK_INTENTS | _SHOPPING_INTENTS | {"complain"} and _ORDERED_NOT_PAID.search(text) \
            and not _ANGER.search(text) and not _SHOPPING_WORDS.search(text) and not BUYS_ANEW.search(text) \
            and not re.search(r"再加|加一|想要|再来", text) \
            and not _AUTO_CANCEL.search(text) and not _service_topic(text):  # (拍下没付款会自动取消吗: the rule)
        # 我之前下了单耐克的还没付钱 直接去付就行吧: one's own order, unpaid, whose status says how long it waits
        return Understanding("query_order_status", "an order placed and not yet paid")
    if intent in ("thank", "affirm", "goodbye", "nlu_fallback") and _SARCASTIC.search(text):
        # 真的会谢 一点用没有: thanks in words only, a grievance (counted towards a person)
        return Understanding("complain", "thanks said in sarcasm")
    if intent == "compare_products" and _THANKS.search(text) and not _COMPARES.search(text) and not _ASKS.search(text):
        # 谢谢啊 比我老公靠谱: thanks, compared with someone for fun
        return Understanding("thank", "thanks, nothing to compare")
    if intent in _SHOPPING_INTENTS and _THANKS_FOR_ADVICE.search(text) and not names_category \
            and not any(e.get("entity") in CONDITION_ENTITIES for e in entities) and not _ASKS.search(text):
        # 好的，非常感谢您的推荐。: thanks for the advice, no search asked
        return Understanding("thank", "thanks for the advice")
    if intent == "affirm" and state.cards_shown and not (state.order_in_focus or state.awaiting_order) \
            and state.last_intent != "complain" and _THANKS.search(text) and not _ASKS.search(text) \
            and not _TAKES_SHOWN.search(text):  # (好的 就第二个吧 谢谢 takes that product)
        # 行 就这个吧 麻烦你了 · 就这款吧 辛苦了: the choice made, and thanks for the help (no offer to accept)
        return Understanding("thank", "a choice made, with thanks")
    if intent == "complain" and _THANKS.search(text) and not _ANGER.search(text) and not _ASKS.search(text) \
            and not _SARCASTIC.search(text) \
            and not any(e.get("entity") in CONDITION_ENTITIES for e in entities):
        # 希望她能消气 哈哈 谢啦: thanks, with a feeling that is no grievance
        return Understanding("thank", "thanks, no grievance")
    if _ONLY_THANKS.match(text.strip()) and intent != "goodbye":
        return Understanding("thank", "only thanks")
    if _OLD_ONE_BROKE.search(text) and (names_category or state.shopping) and not _OWN_PURCHASE.search(text) \
            and intent in _SHOPPING_INTENTS | _WEAK_INTENTS | {"complain"} and not state.order_in_focus \
            and not re.search(r"退|换(?!个新|台新|部新|一个新)|修|保修|售后", text) \
            and not _RECEIVED.search(text) and not _ANGER.search(text) and not _POINTS_AT_A_PURCHASE.search(text) \
            and not _BOUGHT_HERE.search(text) and "你们" not in text:
        # 手机 她那个老的坏了: why a new one is wanted, not a fault of something bought here
        return Understanding("request_recommendation", "the old one broke: a new one wanted")
    # 女朋友生日快到了 送什么好啊 may look like a complaint to the NLU (快到了); without anger it is a present
    if intent != "request_human" and not (intent == "complain" and (_ANGER.search(text) or _THREATENS.search(text))) \
            and (_GIFT_QUESTION.search(text) or (_SHORT_GIFT_QUESTION.search(text) and _PRESENT_FOR.search(text))) \
            and not _FREE_GIFT_WORDS.search(text) and not _ORDER_WORDS.search(text) and not state.awaiting_order:
        return Understanding("request_recommendation", "a present to choose (the action asks what they like)")
    if not state.cards_shown and intent in _SHOPPING_INTENTS | _WEAK_INTENTS | {"ask_product_info"} \
            and _FREE_GIFT_OF_A_PURCHASE.search(text) and not _PRESENT_FOR.search(text):
        return Understanding("ask_promotion", "买两罐奶粉送点啥: the free gift of a purchase asked")
    if intent == "compare_products" and _PREFERABLY.search(text) and not _COMPARES.search(text) \
            and (names_attribute or any(e.get("entity") in CONDITION_ENTITIES for e in entities)):
        # 氨基酸的最好 · 黑色的最好: a wish (preferably), not which of the cards is best
        return Understanding("inform_preference", "a condition wished for, preferably")
    if intent in {"ask_size_advice", "ask_product_info", "request_exchange"} | _WEAK_INTENTS \
            and _STAGE_DECIDED.search(text) and not _ASKS.search(text) and not state.order_in_focus \
            and not _UNWANTED.search(text) and not _BOUGHT_WRONGLY.search(text) \
            and not ORDER_REFERENCE.search(text) and not _POINTS_AT_A_PURCHASE.search(text):
        # 宝宝快一岁了 喝的该换二段了: the stage is told, not asked; the formula of that stage is wanted
        return Understanding("request_recommendation", "the next stage of formula to buy")
    if state.searched and _SHOW_AGAIN.search(text) and intent not in ("request_human",) and not state.awaiting_order \
            and "单" not in text:
        # 诶还没睡 刚那几个再发我看看: the search's products again, under the same conditions
        return Understanding("request_recommendation", "the products searched, shown again")
    if _SPENDING_MOOD.search(text) and intent in _WEAK_INTENTS | {"complain", "ask_promotion", "greet"} \
            and not _ABOUT_THE_SHOP.search(_SPENDING_MOOD.sub("", text)) and not state.awaiting_order:
        # 心情不好 想花钱 · 年终奖到手了 想败个家: shopping with no kind yet (the action asks which)
        return Understanding("request_recommendation", "in the mood to spend, no kind named")
    if state.last_intent == "subscribe_alert" and ANOTHER_ALERT.search(text) and intent not in ("request_human",) \
            and not is_command(text):
        # 再加一个 鸭鸭那个面包服 M码 · 再帮我订个星冰乐的, just after an alert was set: another alert
        return Understanding("subscribe_alert", "asks for another alert")
    if intent not in ("subscribe_alert", "request_human") and ASKS_ALERT.search(text) and not is_command(text) \
            and not state.awaiting_order and not second_question(text):
        # 等它便宜点再买 降了喊我: to be told of a change, in words the NLU reads as shopping or promotion
        return Understanding("subscribe_alert", "asks to be told when something changes")
    if (intent in _WEAK_INTENTS | {"request_human"} or (intent == "complain" and not _ANGER.search(text))) \
            and is_command(text) and not _WANTS_PERSON.search(text) and not _PERSON_OUTRIGHT.search(text):
        # the canned replies of these intents would not answer it; every action does (commands_first)
        return Understanding(CUSTOMER_COMMAND, "a command of the customer's")
    named_kind = names_category or any(e.get("entity") == "product_category" for e in entities)
    conditions_said = {e.get("entity") for e in entities if e.get("entity") in CONDITION_ENTITIES and not e.get(REJECTED)}
    asks_products = bool(_SHOPPING_WORDS.search(text) or _WISH.search(text) or re.search(r"等会(?:再)?说|先看", text)
                         or "budget" in conditions_said)
    if intent == "bot_challenge" and conditions_said and not _ASKS_IF_BOT.search(text):
        # 你怎么听不懂 我要三百块以内的啊: the bot is blamed, and the condition it missed said again
        return _shopping(conditions_said, state, "blames the bot and says the condition again")
    if named_kind and intent != "request_human" and not _ANGER.search(text) and order_asked_beside_products(text):
        # 我上周买的东西发货了吗？顺便想看看蓝牙耳机: the products, then the order (the action does both)
        return _shopping(conditions_said | {"product_category"}, state, "products, and one's own order asked about")
    if intent in _SECOND_QUESTION_INTENTS and _THEN_ANOTHER.search(text) and (
            (named_kind and asks_products) or (not named_kind and state.cards_shown and conditions_said)) \
            and not (intent in ORDER_INTENTS and (_POINTS_AT_A_PURCHASE.search(text) or _OWN_PURCHASE.search(text)
                                                  or state.order_in_focus)):
        # 降噪耳机有推荐的嘛，另外能开发票不 · 白的吧 对了能开发票吗: the products first; the action answers
        # the second question too (对了我老公那条太平鸟的 31腰小了 想换32 is one's own purchase, not the products)
        return _shopping(conditions_said | ({"product_category"} if named_kind else set()), state,
                         "two requests: products, then a question")
    if intent in _PERSON_INTENTS and _MISHAP.search(text) and BUYS_ANEW.search(text) \
            and (named_kind or conditions_said) and not _WANTS_PERSON.search(text) and not _THREATENS.search(text):
        # 洗发水又被我弟偷偷用光了 气死 再囤一瓶去屑的 · kt9被家里狗啃烂了 再买双篮球鞋吧: the feeling is about
        # a mishap at home; another is bought
        return _shopping(conditions_said | ({"product_category"} if named_kind else set()), state,
                         "a mishap told, another one to buy")
    service_first = _SERVICE_THEN.search(text)
    if service_first and intent in _SHOPPING_INTENTS | _WEAK_INTENTS:
        return Understanding(_SERVICE_KINDS[service_first.group(1)], "a service asked for first, then products")
    turn = _BUT_THEN.search(text)
    if intent in _PERSON_INTENTS and turn and not _WANTS_PERSON.search(text) \
            and _SHOPPING_WORDS.search(text[turn.end():]) and (named_kind or conditions_said):
        # 我老公昨天投诉了你们快递太慢，不过我还想再给他买双鞋: the complaint is told, the shoes are asked for
        return _shopping(conditions_said | ({"product_category"} if named_kind else set()), state,
                         "a complaint told, then products asked for")
    if intent in _FAQ_INTENTS and (_SHOPPING_WORDS.search(text) or "budget" in conditions_said) \
            and (named_kind or "brand" in conditions_said) \
            and second_question(text) and not _service_topic(text.removesuffix(second_question(text) or "")):
        # 想买个ipad 学生用 能分期吗 · 手表 两千以内，能分期吗: a product to buy, then a question in its last clause
        return _shopping(conditions_said | ({"product_category"} if named_kind else set()), state,
                         "two requests: products, then a question")
    if intent in _PERSON_INTENTS | {"request_human"} and not _WANTS_PERSON.search(text) and (
            _SETTLED_THANKS.search(text) or (intent == "request_human" and _PRAISE.search(text))):
        # 上回投诉的那个事后来处理好了 谢谢你们哈 · 你们客服回消息好快哦👍: the service is praised, not wanted
        return Understanding("thank", "thanks for something settled")
    if intent == "request_human" and not _WANTS_PERSON.search(text) and not _ANGER.search(text) \
            and (named_kind or conditions_said or names_attribute or _SHOPPING_WORDS.search(text)):
        # 想给他换个手机，老的那个太卡了 · 续航长的 在图书馆不好找插座: products asked for, nobody
        return _shopping(conditions_said | ({"product_category"} if named_kind else set()), state,
                         "products asked for, no person")
    if _HOW_TO_SERVICE.search(text) and not _WANTS_SERVICE.search(text) and not ORDER_REFERENCE.search(text) \
            and intent not in ("request_human",):
        # 对了，换鞋要怎么弄: how it is done, the shop's rules (the bot asks for the order once one is named)
        return Understanding(ASK_AFTER_SALES_POLICY, "asks how a return or exchange is done")
    if intent in ("request_return_refund", "request_exchange") and state.cards_shown and not state.order_in_focus \
            and not state.awaiting_order and asks_about_the_rules(text) and not _WANTS_SERVICE.search(text) \
            and (_IF_IT_HAPPENS.search(text) or not _DISLIKES_WHAT_CAME.search(text)) \
            and (_NAMES_AFTER_SALES.search(text) or re.search(r"(?:能|可以|能不能|可不可以)(?:退|换)", text)) \
            and not any(e.get("entity") in CONDITION_ENTITIES for e in entities) \
            and not _POINTS_AT_A_PURCHASE.search(text) and not re.search(r"不是(?:退|换)", text) \
            and not _RECEIVED_OR_USED.search(text):
        # 吃的东西能退吗 · 要是她不喜欢 能换吗, with cards on the screen: the rules for what is being looked at,
        # before buying (我上次买的鞋能退吗 · 买了十来天了 name a purchase of one's own; 颜色不喜欢 能换吗 tells
        # of what came; 不是换货哈 还有别的款吗 asks for other cards)
        return Understanding(ASK_AFTER_SALES_POLICY, "asks the return rules of what is being looked at")
    if intent in ("cancel_order", "change_order_info") and asks_about_the_rules(text) and (
            _ORDERS_IN_GENERAL.search(text) or (_CASE_PUT.search(text) and not state.order_in_focus)):
        # 没付款的订单会自动取消吗 · 发货了还能改地址吗: what the shop's rules allow, no order of one's own named
        return Understanding(ASK_AFTER_SALES_POLICY, "asks what the rules allow for orders in some state")
    if (_AFTER_SALES_RULES.search(text) and (not state.awaiting_order or not ORDER_REFERENCE.search(text))
            or _USUAL_SERVICE_TIME.search(text) or (state.awaiting_order and _REFUND_NOT_ARRIVED.search(text))) \
            and not _WANTS_SERVICE.search(text) and intent not in ("request_human", "request_recommendation") \
            and not _REFUND_HOW_FAR.search(text):
        # 换货一般要多久: how long it usually takes, a rule to tell, even while the bot waits for an order
        return Understanding(ASK_AFTER_SALES_POLICY, "asks the after-sales rules")
    if state.last_intent in _FAQ_INTENTS | {"complain"} and not state.awaiting_order and not state.order_in_focus \
            and (intent in ORDER_INTENTS | {"nlu_fallback", "out_of_scope", "complain"}
                 or (intent in _SHOWN_PRODUCT_INTENTS and not state.cards_shown)
                 or (intent in _WEAK_INTENTS and (len(text.strip()) >= 6
                                                  or (_WH_QUESTION.search(text) and not state.cards_shown))
                     and not _TALKS_TO_BOT.search(text))) and asks_about_the_rules(text) \
            and not any(e.get("entity") in CONDITION_ENTITIES for e in entities) and not names_category \
            and not _ASKS_IF_BOT.search(text):  # (对面是不是个程序在回我啊: who answers, no rule)
        # 下完单地址还能改嘛 → 已经发货的话呢 · 吊牌剪了还行不 · 换了张卡还是不行: a question on the rules just
        # told, whatever order request or product question the NLU heard in it (no order of one's own named);
        # after a complaint (told with the rule for it: 收到的零食包装破了 → 要拍照吗), the after-sales rules
        # (能便宜点吗 →) 几天能到，我在成都: a topic of its own named, asked next
        topic = ASK_AFTER_SALES_POLICY if _NAMES_AFTER_SALES.search(text) or state.last_intent == "complain" \
            else _service_topic(text) or state.last_intent
        return Understanding(topic, "a follow-up question on the rules just told")
    if state.cards_shown and not state.order_in_focus and _BARGAINS.search(text) \
            and not _RECEIVED_OR_USED.search(text) \
            and any(entity.get("entity") == "budget" and not entity.get(REJECTED)
                    and _BUDGET_AS_A_BOUND.search(text[entity.get("start", 0):entity.get("end", 0) + 3])
                    for entity in entities) \
            and intent in _WEAK_INTENTS | {"ask_promotion", "request_exchange", ASK_AFTER_SALES_POLICY} \
            and not _PROMOTION_ASKED.search(text) and not _OWN_PURCHASE.search(text):
        # 能再便宜点吗 一百多的 · 能换成便宜点的吗 两百以内: cheaper products within the budget said, no bargaining
        # (这双399 还能便宜点不: the card's own price haggled over)
        return Understanding("inform_preference", "cheaper products within a budget said")
    kept_waiting = _KEPT_WAITING.search(text) or (state.awaiting_order and _WAITED_SO_LONG.search(text))
    can_send_back = _CAN_SEND_BACK.search(text)
    if can_send_back and not _WANTS_PERSON.search(text) and (
            intent in ("nlu_fallback", "out_of_scope")
            or (intent == "complain" and _RULE_QUESTION.search(text) and not _ANGER.search(text)
                and not _DEMANDS_WHY.search(text) and not complains_of_waiting(text))):
        # 买的面霜用了过敏 脸都红了 能退吗 · 那我拒收行不行: what the NLU could not place is about sending back;
        # 就拆开试了一下 感觉不太喜欢 还能寄回去不 (heard as a complaint, no grievance in it): asked, not complained
        # 李维斯那条连衣裙颜色跟图片差好多 能换成藏青的吗, nothing on the screen: that one is the customer's
        if _OWN_PURCHASE.search(text) or _RECEIVED.search(text) or "买的" in text \
                or (not state.cards_shown and _THAT_ONE.search(text)):
            kind = "request_exchange" if "换" in can_send_back.group(0) else "request_return_refund"
            return Understanding(kind, "asks to send back what was bought")
        return Understanding(ASK_AFTER_SALES_POLICY, "asks whether something can be sent back")
    if intent in ("nlu_fallback", "out_of_scope") and _GOES_TO_BUY.search(text) and not _ASKS.search(text):
        # 好 都要了 下单去: done choosing (the reply points at the cards)
        return Understanding("affirm", "goes to buy")
    if _AUTO_CANCEL.search(text) and intent in ORDER_INTENTS | _WEAK_INTENTS and not re.search(r"DD[0-9]", text):
        # 没付款的单会自己取消吗: the payment deadline, a rule for every order (no login needed)
        return Understanding("ask_payment", "asks whether an unpaid order cancels itself")
    if intent in _PERSON_INTENTS | {"ask_shipping_policy", "request_return_refund"} and _REFUND_PROGRESS.search(text) \
            and not _WANTS_PERSON.search(text) and not _THREATENS.search(text) and not _WANTS_SERVICE.search(text):
        return Understanding("query_order_status", "asks where a refund stands: the order's status tells")
    if state.awaiting_order and kept_waiting and state.last_intent in ORDER_INTENTS and intent in _PERSON_INTENTS \
            and not _WANTS_PERSON.search(text) and not _THREATENS.search(text):
        # 你们到底怎么回事 一直不动 while the bot asked which order: that order is still what helps
        return Understanding(state.last_intent, "impatient while the bot waits for the order")
    if state.order_in_focus and state.last_intent in _ORDER_CHANGES and _AND_THAT_ONE.match(text.strip()) \
            and (re.search(r"单|笔", text) or any(e.get("entity") in ("product_category", "brand") for e in entities)) \
            and intent in ORDER_INTENTS | _WEAK_INTENTS | _SHOWN_PRODUCT_INTENTS:
        # (华为手机那单能改地址吗 → 已经发货了 →) 那手表那单呢: the same change, asked of another order
        return Understanding(state.last_intent, "the same request, of another order")
    if (state.order_in_focus or state.last_intent == "query_order_status") and not state.cards_shown \
            and intent in _SHOPPING_INTENTS | _SHOWN_PRODUCT_INTENTS and complains_of_waiting(text) \
            and not _SHOPPING_WORDS.search(text) and not _WANTS_PERSON.search(text):
        # (快递！！！ → an order's status →) 面霜 都几天了: the parcel of that kind waited for, not creams to browse
        return Understanding("query_order_status", "a parcel waited for, named by its kind")
    if intent in _PERSON_INTENTS | {"ask_shipping_policy"} \
            and (_LATE_PARCEL.search(text) or kept_waiting
                 or (tracks_a_parcel(text) and _WAITED_A_WHILE.search(text))) \
            and not _WANTS_PERSON.search(text) and not _THREATENS.search(text):
        # 等了一周还没发货 气死了: angry, but what helps is finding the parcel (a second angry turn still
        # files the complaint, a third hands over)
        return Understanding("query_order_status", "a parcel late, asked about with feeling")
    if state.order_in_focus and _UNWANTED.search(text) and _MONEY_BACK.search(text) \
            and not _NOT_SHIPPED.search(text) and not _NOT_PAID.search(text) \
            and intent in _WEAK_INTENTS | _PERSON_INTENTS | ORDER_INTENTS and intent != "cancel_order":
        # (羽绒服到了 能弄成黑的不 →) 算了 直接不要了 钱打回来吧: the order talked about, sent back for the money
        return Understanding("request_return_refund", "the order talked about is not wanted, the money back")
    if state.cards_shown and not state.order_in_focus and _refuses_a_variant(entities) \
            and intent in _PERSON_INTENTS | {"request_return_refund"} and not _ANGER.search(text) \
            and not _WANTS_PERSON.search(text) and not _acts_on_an_order(text):
        # 白的还是不要了 上次买的KT9白的太容易脏 (heard as a complaint): a colour of the cards refused, the purchase
        # only says why
        return Understanding("inform_preference", "a colour or size of the cards refused, a purchase the reason")
    if intent in _PERSON_INTENTS and not _ANGER.search(_COMPLAINT_MENTIONED.sub("", text)):
        if (_OWN_PURCHASE.search(text) or _POINTS_AT_A_PURCHASE.search(text)) and _UNWANTED.search(text) \
                and not (state.cards_shown and _refuses_a_variant(entities)):
            # 刚买的耳机不想要了，还没发货: called off before it ships, else sent back
            kind = "cancel_order" if _NOT_SHIPPED.search(text) or _NOT_PAID.search(text) else "request_return_refund"
            return Understanding(kind, "no longer wants what was bought")
        if _OWN_PURCHASE.search(text) and _WHERE_IS_IT.search(text):
            return Understanding("query_order_status", "asks where a parcel is")
        if _FAULT.search(text) and (not state.cards_shown or _OWN_PURCHASE.search(text)) \
                and not _WANTS_A_NEW_ONE.search(text) \
                and not (_SHOPPING_WORDS.search(text) and not _OWN_PURCHASE.search(text)):  # 鞋穿烂了 推荐双跑鞋
            # 我上次买的耳机充电盒坏了 能换个新的吗: even with cards on the screen, what was bought
            # 裙子发错颜色了: the right one is owed, not the money back
            return Understanding(_remedy_for_a_fault(text), "reports a fault with what was bought")
    english_act = _english_order_act(text)
    if intent in _SHOPPING_INTENTS and english_act and (_RECEIVED.search(text) or _OWN_PURCHASE.search(text)
                                                        or _POINTS_AT_A_PURCHASE.search(text)):
        # 前几天收到的那件羽绒服有点问题，想exchange: an after-sales request typed in English, of what was bought
        return Understanding(english_act, "an after-sales word in English")
    if intent in _SHOPPING_INTENTS | {"nlu_fallback"} \
            and (_WRONG_VARIANT_SENT.search(text)
                 or (_OTHER_VARIANT_SENT.search(text) and (_distinct_values(entities, "color") >= 2
                                                          or _distinct_values(entities, "size") >= 2))) \
            and re.search(r"你们|给我|我要的|我买的", text) and (not _ASKS.search(text) or _WRONG_SAID.search(text)) \
            and not re.search(r"会|如果|要是|万一|担心|怕|别|不要", text):
        # 你们发错货了！我要的黑色给我发个白色: the colour named is what was owed, no search
        return Understanding("request_exchange", "the wrong item was sent")
    if state.order_in_focus and not state.awaiting_order and intent == "nlu_fallback" \
            and state.last_intent in ("change_order_info", "request_exchange", "request_return_refund") \
            and _GIVES_A_REASON.search(text) and not _ASKS.search(text) and not _TALKS_TO_BOT.search(text) \
            and not WITHDRAWS.search(text) and not _ANGER.search(text) and "算了" not in text \
            and not any(e.get("entity") in CONDITION_ENTITIES for e in entities):
        # (能否将配送时间调整为本周六上午？→) 因工作日家中无人，无法签收。: why, said for the request just made
        return Understanding(state.last_intent, "more said of the request just made")
    if state.order_in_focus and state.last_intent in ("request_exchange", "change_order_info") \
            and not state.cards_shown \
            and (_names_only_a_variant(entities, text) or _WANTS_A_VARIANT.search(text)) and not _ASKS.search(text) \
            and not _STOCK_ASKED.search(text) \
            and intent in _SHOPPING_INTENTS | _WEAK_INTENTS | {"ask_size_advice"}:
        # (牛仔裤到了 31小了 →) 给我弄条32的 · 想要大一码的 XXL · (空军一号能改码吗 →) 43的: what the exchange or
        # the change is to bring
        return Understanding(state.last_intent, "the size or colour the exchange or change is to bring")
    if state.order_in_focus and not state.cards_shown and state.awaited_kind in (None, "status") \
            and _CHANGES_A_VARIANT.search(text) \
            and intent in _SHOPPING_INTENTS | _WEAK_INTENTS | {"ask_size_advice", "check_stock"}:
        return Understanding("change_order_info", "changes the size or colour of the order just looked at")
    # 尺码不对 穿不进去 (read as a size question): why it goes back
    if state.awaiting_order and state.last_intent in _SERVICE_INTENTS \
            and (intent in ("nlu_fallback", "out_of_scope", "complain")
                 or (intent == "ask_size_advice" and not _ASKS.search(text))) \
            and not _ANGER.search(text) \
            and not ORDER_REFERENCE.search(text) and not _WANTS_PERSON.search(text) \
            and not (_service_topic(text) and _ASKS.search(text)):  # 新疆能送吗 asks, it gives no reason
        return Understanding(state.last_intent, "gives a reason; the bot still needs the order")
    if intent in ("nlu_fallback", "out_of_scope") and _PRAISE.search(text) and not _WANTS_PERSON.search(text):
        return Understanding("thank", "666 · 你们老板是谁啊 这么会选品: praise, thanked back")
    if intent in _SMALL_TALK_INTENTS and _PRAISES_THE_BOT.search(text) and not _WANTS_PERSON.search(text):
        # 不过你还行, after the offer of a person: praise for the bot, no yes to the offer
        return Understanding("thank", "praises the bot")
    if intent in ("nlu_fallback", "out_of_scope") and _FAULTS_THE_BOT.search(text) and not _WANTS_PERSON.search(text) \
            and not any(e.get("entity") in CONDITION_ENTITIES for e in entities):  # 你怎么听不懂 我要三百以内的
        # 你反应有点慢啊: the bot says what it is and how to reach a person (no complaint ticket for this)
        return Understanding("bot_challenge", "criticism of the bot itself")
    if _PAST_PRAISE.search(text) and _THANKS.search(text) and not _THEN_ANOTHER.search(text) \
            and not _ASKS.search(text) and not re.search(r"再(?:给|帮|来|推荐)|还想|想再|也想", text):
        return Understanding("thank", "thanks for what was recommended before")
    if _THANKS.search(text) and _JUST_LOOKING.search(text) and not _THEN_ANOTHER.search(text) \
            and not _ASKS.search(text):
        # 好的谢谢 我再看看: the customer will think it over, not a request for more products
        return Understanding("thank", "thanks, and will think it over")
    if _THANKS.search(text) and _RESIGNED.search(text) and not _ASKS.search(text) and not _ANGER.search(text) \
            and not _THEN_ANOTHER.search(text) and not _SHOPPING_WORDS.search(text) \
            and not _ORDER_ACTS.search(text.replace("改不了", "")) and intent not in ("request_human", "goodbye") \
            and not any(e.get("entity") in CONDITION_ENTITIES for e in entities):
        # 改不了啊 那行吧 谢啦 · 好吧 知道了 谢谢: the answer taken, nothing more asked
        return Understanding("thank", "thanks, the answer taken")
    if _DONE_YET.match(text.strip()) and (state.order_in_focus or state.awaiting_order) \
            and intent not in ("request_human", "complain"):
        # (the bot still waiting for the order asks for it again: nothing was done yet)
        if state.awaiting_order and state.awaited_kind in INTENT_OF_KIND:
            return Understanding(INTENT_OF_KIND[state.awaited_kind], "搞定没: the request still waits for its order")
        return Understanding("query_order_status", "搞定没: asks whether the order request was done")
    if _HURRIES.match(text.strip()) and intent in _SMALL_TALK_INTENTS | {"complain"} \
            and (state.order_in_focus or state.awaiting_order or state.last_intent in _SERVICE_INTENTS | {"complain"}):
        return Understanding("complain", "快点！！！ while a request is under way: impatience, a grievance")
    if _LEAVES_TO_THINK.match(text.strip()) and state.cards_shown:
        return Understanding("goodbye", "好的我再看看: leaves to think it over, no request for more")
    asked_after = second_question(text)
    if intent in ("affirm", "thank") and asked_after and not _THEN_ANOTHER.search(text):
        # 好 就它了，能用微信付吗: the choice made, then a question that needs its answer
        return Understanding(_service_topic(asked_after), "agrees, then asks a service question")
    if _ONLY_GOODBYE.match(text.strip()):  # 行吧 88: the NLU may read 88 as a budget
        return Understanding("goodbye", "says goodbye, nothing else")
    if _CLOSES_WITH_GOODBYE.match(text.strip()) and intent != "request_human" \
            and not any(e.get("entity") in CONDITION_ENTITIES for e in entities) and not names_category:
        return Understanding("goodbye", "a few words to close, then goodbye")
    if intent == "complain" and _GREETING_CHAT.search(text) and not _ANGER.search(text):
        return Understanding("greet", "晚上好 还没下班啊: a greeting and friendly words, no grievance")
    if intent in _SMALL_TALK_INTENTS - {"deny"} and state.cards_shown and admires_a_shown_product(text):
        return Understanding("affirm", "哇第一个颜值好高: a product shown admired")
    if intent in _SMALL_TALK_INTENTS and state.cards_shown and _TAKES_SHOWN.search(text) and not _ASKS.search(text) \
            and not _service_topic(text):  # (那就小米那个吧 能分期不: how to pay for it is asked)
        return Understanding("affirm", "那就第一个吧 谢了哈: a product shown taken, thanks with it")
    if intent in _SMALL_TALK_INTENTS:
        said_here = [said for said, pattern in _SMALL_TALK if pattern.search(text)]
        if intent == "thank" and "goodbye" in said_here:  # 谢了 拜拜: the goodbye thanks back
            return Understanding("goodbye", "thanks and goodbye")
        if said_here and intent not in said_here:  # else the NLU's reading stands when it was said
            return Understanding(said_here[0], f"says {said_here[0]}")
        if intent in said_here and not any(e.get("entity") in CONDITION_ENTITIES for e in entities) \
                and not _SHOPPING_WORDS.search(text) and not _WISH.search(text):
            return Understanding(intent)  # 谢谢啦 你真好用: 好用 is praise here, not a wanted property
    wish = bool(_WISH.search(text)) and not _PROPERTY_QUESTION.search(text)
    # 8岁男孩 喜欢变形金刚 300以内: a tag said of a person who likes it, or of a child by age, is a product wanted
    mentions_product_words = names_category or (names_attribute and (
        state.shopping or state.cards_shown or wish or _LIKES.search(text)
        or child_age_in_months(text) is not None))
    all_wanted = [entity.get("entity") for entity in entities
                  if entity.get("entity") in CONDITION_ENTITIES and not entity.get(REJECTED)]
    wanted = set(all_wanted)
    rejected = any(entity.get(REJECTED) for entity in entities)
    # 退掉那个蓝的要黑的 with cards on the screen and no order: a swap of the shown products
    # 算了不退了 帮我看看连衣裙: a service called off is no talk of an order
    about_order = bool(_ORDER_WORDS.search(WITHDRAWS.sub("", text)) or _POINTS_AT_A_PURCHASE.search(text)) and not (
        state.cards_shown and not state.order_in_focus
        and (_SWAPS_SHOWN.search(text) or (_swaps_the_size_searched(text) and not named_kind
                                           and not any(e.get("entity") == "brand" for e in entities)))) \
        and not _WANTS_A_NEW_ONE.search(text)
    pointing = bool(POINTING.search(text))
    if intent in _SHOPPING_INTENTS | _SHOWN_PRODUCT_INTENTS | {"subscribe_alert"} and not state.cards_shown \
            and not state.product_in_focus and (_SHIPPED_YET.search(text) or _STILL_OPEN.search(text)) \
            and (_OWN_PURCHASE.search(text) or _POINTS_AT_A_PURCHASE.search(text) or _BOUGHT_BEFORE.search(text)
                 or _NOT_PAID.search(text) or (not state.searched and re.search(r"那(?:个|件|双|条|台|部|单)", text))) \
            and not _SHOPPING_WORDS.search(text) and not _WANTS_PERSON.search(text) \
            and not re.search(r"删|注销|补货|到货|新款|预售|上新|能拍", text):
        # 黑色那个发货没 · 那双没付钱的篮球鞋 单子还在吗 · 我是不是买过一双万斯白的38 啥时候签收的, with nothing on the
        # screen (heard as a stock question, a search or an alert): how something bought stands
        return Understanding("query_order_status", "asks how something bought stands")
    if intent in _SHOPPING_INTENTS | _SHOWN_PRODUCT_INTENTS and not state.cards_shown and not state.product_in_focus \
            and (_RECEIVED.search(text) or _OWN_PURCHASE.search(text)) and _FAULT.search(text) \
            and not _SHOPPING_WORDS.search(text) and not _WANTS_A_NEW_ONE.search(text) and not _WANTS_PERSON.search(text) \
            and not re.search(r"手机号|电话|地址|会不会|容易|吗", text):
        # 收到的鞋子两只颜色不一样 (heard as a comparison): what came is wrong, the right one is owed
        return Understanding(_remedy_for_a_fault(text), "what came is faulty, heard as shopping")
    other_kind = state.searched_kind and any(
        entity.get("entity") == "product_category" and not same_kind(str(entity.get("value") or ""), state.searched_kind)
        for entity in entities)
    if (state.cards_shown or state.product_in_focus) and other_kind and intent in _SHOWN_PRODUCT_INTENTS | {
            "ask_size_advice"} and not pointing and not about_order and not _BODY_SAID.search(text) \
            and (_SHOPPING_WORDS.search(text) or _ANOTHER_KIND_TOO.search(text)):
        # (跑步鞋第一个偏码吗 →) 羽绒服呢 L码 · 篮球鞋也按这个预算和码数再看看 · 跑步鞋这个价有没有: another kind to
        # look at, not a question about the product shown
        return _shopping(wanted | {"product_category"}, state, "another kind asked for, not the product shown")
    if state.searched and not state.order_in_focus and not state.awaiting_order and RESUMES_SHOPPING.search(text) \
            and intent in _WEAK_INTENTS | _FAQ_INTENTS and not _service_topic(text) and not _WANTS_PERSON.search(text):
        # (你们退货政策是怎样的 →) 好，接着看刚才的: the search taken up again after a question, with what it adds
        return _shopping(wanted, state, "back to the search after a question")
    if intent == "compare_products" and not state.cards_shown and not state.product_in_focus and named_kind \
            and re.search(r"哪(?:个|款|种|一款|支|双|件|些)", text) and not re.search(r"和|跟|与|比|还是|对比|vs", text, re.I) \
            and sum(e.get("entity") == "brand" for e in entities) < 2 and not names_a_product(text):
        # 送女朋友口红，哪个显白 with nothing on the screen: the kind's products that are, nothing to compare yet
        return _shopping(wanted | {"product_category"}, state, "which of a kind is best, with nothing shown")
    if _PAID_ASKED.search(text) and intent in _FAQ_INTENTS | _WEAK_INTENTS | _SHOPPING_INTENTS:
        # 我的平板付款了吗 · 那单付成功没: whether one's own order is paid, which its status tells (not the payment rules)
        return Understanding("query_order_status", "asks whether one's order is paid")
    if _THANKS_FOR_WHAT_WAS_TOLD.match(text.strip()) and intent in _SHOPPING_INTENTS | _WEAK_INTENTS | {"thank"}:
        # (那个在路上的包裹 → 爱他美的) 哦奶粉啊 好的谢啦: what was told taken in, with thanks, no search
        return Understanding("thank", "takes in what was told, with thanks")
    if intent in ("request_exchange", "request_return_refund") and "budget" in wanted and not about_order \
            and not state.order_in_focus and not state.awaiting_order \
            and not re.search(r"补|加[^，。,.]{0,4}(?:钱|块|元|价)|差价", text):  # (换大一码的 需要补20块吗: its cost)
        # 手机用了三年想换个新的 两千以内: a budget is said of something to buy, never of an exchange
        return _shopping(wanted, state, "a budget for something new, no order to exchange")
    if intent in ORDER_INTENTS and not about_order and not state.order_in_focus and not state.awaiting_order \
            and not _ORDER_ACTS.search(text) and not re.search(r"我的|我自己那", text):
        # (我的手表几天能到 · 我自己那个Apple Watch发货没: one's own)
        # 俩一起买有套餐价没 · 她要正红 棕的不要 (heard as order requests): no order and nothing done to one
        topic = _service_topic(text)
        if topic:
            return Understanding(topic, "a shop rule asked, no order in it")
        if (state.shopping or state.cards_shown) and (wanted or rejected) \
                and not _own_parcel_asked(intent, text, state):
            return _shopping(wanted, state, "conditions of the search, no order in it")
    if intent in _NEEDS_CARDS_INTENTS and _WHICH_MODELS.search(text) and wanted & {"brand", "product_category"} \
            and not pointing:
        # 万斯还有啥款 39码 (after an order's exchange): the brand's models to look at, no stock of the screen's
        return _shopping(wanted, state, "asks which models of a brand or kind there are")
    like = priced_like(text)
    if like and intent in _FOLLOW_UP_INTENTS | _SHOWN_PRODUCT_INTENTS and not _COMPARES.search(text) \
            and names_a_product(like):
        # 跟AirPods Pro差不多价位的 (heard as a comparison): products about that price, not the two compared
        return _shopping(wanted - {"brand"}, state, "products priced like one named")
    dropped_kind = _DROPS_A_KIND.search(text)
    if state.cards_shown and intent in _SHOWN_PRODUCT_INTENTS and named_kind and dropped_kind \
            and kinds_mentioned(dropped_kind.group(0)) and not _ASKS.search(text) \
            and not re.search(r"没$|不$|咋样|怎么样|第.[个款双件台]|这[个款双件台]", text):
        # 那不送耳机了 送双跑鞋 还是那个钱 (heard as a product question): a kind dropped for another, a search
        return _shopping(wanted, state, "one kind dropped for another, nothing asked of the cards")
    given = _GIVES_A_KIND.search(text) if intent == "ask_promotion" and named_kind else None
    if given and kinds_mentioned(given.group(1)) and not _FREE_GIFT_WORDS.search(text) \
            and not _PROMOTION_ASKED.search(text):
        # 奶粉不好送吧 送玩具: a toy to give, no free gift of the shop's
        return _shopping(wanted, state, "a kind to give as a present, no free gift asked")
    if state.last_intent in _RETURN_OR_EXCHANGE and _OWN_PURCHASE.search(text) and _DISLIKES_WHAT_CAME.search(text) \
            and intent not in ORDER_INTENTS | {"request_human"} and not _SHOPPING_WORDS.search(text):
        # 我想退货 → 上周买的鞋 尺码不合适 (heard as a size question): why, for the return just asked
        return Understanding(state.last_intent, "says what is wrong with what came, for the request just made")
    points_at_a_purchase = bool(_POINTS_AT_A_PURCHASE.search(text) or _OWN_PURCHASE.search(text)) or (
        not state.cards_shown and not state.searched and _THAT_ONE.search(text) is not None) or (
        # 那件白色的李宁羽绒服我想退了, with milk powder on the screen: only what was bought goes back (那件要是
        # 不合适想退 运费谁出 asks the rule of a card)
        _THAT_ONE.search(text) is not None and _WANTS_IT_BACK.search(text) is not None
        and not _ASKS.search(text) and not _IF_IT_HAPPENS.search(text))
    if points_at_a_purchase and intent == "query_order_status" and _SWAPS_TO_A_VARIANT.search(text) \
            and not _ASKS_TO_RETURN.search(text) and not STATUS_QUESTION.search(text) and not _WHERE_IS_IT.search(text):
        # 我那件羽绒服白的太容易脏 换成黑的: the purchase pointed at is to be exchanged, not looked up
        return Understanding("request_exchange", "an exchange of a purchase pointed at")
    if points_at_a_purchase and intent not in ORDER_INTENTS | {"request_human"} and not state.awaiting_order \
            and not _THREATENS.search(text) and not _WANTS_PERSON.search(text) \
            and not _SHOPPING_WORDS.search(_SWAPS_TO_A_VARIANT.sub("", text)):
        # 前几天到的那件羽绒服 白的太不耐脏了 想退 (heard as a search): what was delivered, sent back; 那条黑裙子
        # 啥时候发 (heard as a complaint): where it stands
        if _ASKS_TO_RETURN.search(text) and not _ASKS_TO_EXCHANGE.search(text):
            return Understanding("request_return_refund", "a return of a purchase pointed at")
        if _ASKS_TO_EXCHANGE.search(text) and not _ASKS_TO_RETURN.search(text):
            return Understanding("request_exchange", "an exchange of a purchase pointed at")
        if _WHERE_IS_IT.search(text) and not _ANGER.search(text):
            return Understanding("query_order_status", "asks where a purchase pointed at stands")
        # 那双篮球鞋我还没付款 不想要了: called off before it ships, else sent back (白的还是不要了 上次买的KT9白的
        # 太容易脏: a colour refused, what was bought only says why; 裙子不要了 of an order is part of it called off)
        if _UNWANTED.search(text) and not (state.cards_shown and _refuses_a_variant(entities)):
            kind = "cancel_order" if _NOT_SHIPPED.search(text) or _NOT_PAID.search(text) else "request_return_refund"
            return Understanding(kind, "no longer wants a purchase pointed at")
    if _POINTS_AT_A_PURCHASE.search(text) and intent not in ORDER_INTENTS | {"request_human", "complain"} \
            and not state.awaiting_order and not _SHOPPING_WORDS.search(text) and not _ANGER.search(text) \
            and not _service_topic(text) and not ASKS_ALERT.search(text):
        # 两周前买的那双万斯 (heard as an alert) · 刚拍的那双篮球鞋 看下 (heard as a search): an order of one's
        # own pointed at, nothing asked of it: where it stands
        return Understanding("query_order_status", "points at a purchase of one's own")
    if state.cards_shown and pointing and intent == "complain" and _DOUBTS.search(text) and _ASKS.search(text) \
            and not _ANGER.search(text) and not _OWN_PURCHASE.search(text):
        # 最便宜那个质量靠谱吗: a doubt about a product on the screen is a question, not a complaint
        return Understanding("ask_product_info", "a question about the quality of a product shown")
    if state.cards_shown and pointing and _SIZE_IN_STOCK.search(text) and not state.order_in_focus \
            and not _OWN_PURCHASE.search(text) and intent not in ("request_human", "complain"):
        # 第一个有3段吗 过几个月要换: a size of a product on the screen, whatever 换 made the NLU hear
        return Understanding("check_stock", "asks whether a product shown comes in a size")
    if intent in _WEAK_INTENTS and _CHECK_PARCEL.search(text) and not wanted and not _ANGER.search(text) \
            and not (_WANTS_PERSON.search(text) and not declines_person):
        # 不用转人工 你帮我查下物流就行: the order to look up
        return Understanding("query_order_status", "asks to look up an order")
    if intent in _WEAK_INTENTS and _LOGIN.search(text) and not wanted:
        # 不登录就查不了吗: the order flow says again what logging in is for (or asks a customer which order)
        return Understanding("query_order_status", "asks about logging in to see orders")
    if intent in _WEAK_INTENTS and _ASKS_HELP_CHOOSING.search(text) and not wanted and not named_kind \
            and not state.cards_shown and not _ORDER_WORDS.search(text):
        return Understanding("request_recommendation", "asks for help choosing; the kind is still to ask")
    if intent in ("nlu_fallback", "out_of_scope") and _MY_ORDER.search(text) and not wanted \
            and not state.awaiting_order and not _ANGER.search(text) and not _WANTS_PERSON.search(text):
        # 我订单有点复杂的问题: about an order and nothing the NLU could place; asking which order
        # beats "I did not understand" (the flow asks, or asks a guest to log in)
        return Understanding("query_order_status", "one's order, nothing more said: which order")
    if state.cards_shown and not about_order and wanted and wanted <= {"color", "size"} and POINTING.search(text) \
            and intent in _SHOWN_PRODUCT_INTENTS | _WEAK_INTENTS | _SHOPPING_INTENTS | {"ask_size_advice"} \
            and re.search(r"有[^，。,.]{0,6}(?:吗|么|嘛|没|不)[？?～~。!！\s]*$", text):
        # 第一个有粉色吗: a colour or size asked of one product shown, whatever the NLU heard, not a filter over all
        return Understanding("check_stock", "asks a colour or size of a product pointed at")
    if intent == "ask_size_advice" and not about_order and (state.shopping or state.cards_shown) \
            and not state.awaiting_order:
        wish_reading = Understanding("inform_preference") if state.cards_shown else _shopping(wanted, state, "")
        if not (asks_about_size(text) or _FIT.search(text)):
            # 健康监测也要 给我妈测心率 · 他是汤普森的粉丝 有KT的吗: no size or fit in it at all
            return replace(wish_reading, reason="names no size or fit: a wish, not a size question")
        if "size" in wanted and _WANTS_SIZE.search(text) and not _SIZE_QUESTION.search(text):
            return replace(wish_reading, reason="好 那鞋要43码的: a size wanted, not a size question")
        other_brand = _OTHER_BRAND_THEN.match(text.strip())
        rest = text.strip()[other_brand.end():] if other_brand else ""
        if "brand" in wanted and other_brand and not _SIZE_QUESTION.search(rest) \
                and not re.search(r"码数|尺码|偏大|偏小|标准", rest):
            return replace(wish_reading, reason="鸭鸭的呢 长款也行 米色M码: another brand asked for, in a size")
        if state.cards_shown and _SIZE_IN_STOCK.search(text) and not _ASKS_SIZE.search(text):
            return Understanding("check_stock", "第二双有41码吗: whether a size is in stock")
    if state.last_intent == "check_stock" and state.cards_shown and wanted and wanted <= {"color", "size"} \
            and _FOLLOW_UP.fullmatch(text.strip()):
        # 黑色32还有吗 → 那藏青的呢: the same stock question for another colour or size
        return Understanding("check_stock", "the same stock question for another colour or size")
    variant_after = _ANOTHER_NAMED_IN_A_VARIANT.fullmatch(text.strip())
    if state.last_intent == "check_stock" and wanted & {"color", "size"} and wanted <= {"brand", "color", "size"} \
            and variant_after and _only_a_variant(variant_after.group(1), entities, text) and names_a_product(text) \
            and not _SETS_AGAINST.search(text):
        # 动力巢那个灰色41有吗 → 那态极呢 粉色38: the same stock question, of another product in its variant
        return Understanding("check_stock", "the same stock question about another product named")
    if state.last_intent in _SHOWN_PRODUCT_INTENTS | _FOLLOW_UP_INTENTS and not wanted - {"brand"} \
            and _ANOTHER_NAMED.fullmatch(text.strip()) and names_a_product(text) and not _SETS_AGAINST.search(text):
        # 哈登8有货吗 → 那利拉德8呢 · 小米14多少钱 → mate60的呢: the same question about another product
        return Understanding(state.last_intent, "the same question about another product named")
    if state.last_intent in _FOLLOW_UP_INTENTS and not wanted and "brand" not in kept_conditions(text) and (
            _FOLLOW_UP.fullmatch(text.strip()) or (state.last_intent == "compare_products" and _PURPOSE.search(text)
                                                   and intent in _WEAK_INTENTS)):
        return Understanding(state.last_intent, "the same question about another aspect (续航呢？)")
    if (intent in _WEAK_INTENTS | {"ask_shipping_policy", "thank", "affirm", "subscribe_alert"}
        and _TELL_ME_OF_THE_PARCEL.search(text)
        or intent in _WEAK_INTENTS | {"ask_shipping_policy", "subscribe_alert", "query_order_status"}
            and _WORD_OF_THE_PARCEL_ASKED.search(text)) \
            and not _ANGER.search(text) and not complains_of_waiting(text) and not _OF_A_PRODUCT_EVENT.search(text):
        # 行吧 发了跟我说一声: the shop's word on notices (none is sent here), not a search or an unknown message
        return Understanding("ask_shipping_policy", "asks to be told when the parcel moves")
    if intent in ("nlu_fallback", "out_of_scope", "complain") and not _ANGER.search(text) \
            and (_WHAT_I_WILL_DO.match(text.strip()) or _WAITS_FOR_WORD.match(text.strip())):
        # 行 那我让家里人收吧 · 好吧 那我再等等: what the customer will do now, said as a close (no yes to an offer of a
        # person: 行 here takes up nothing)
        return Understanding("thank", "says what one will do, a close")
    if state.last_intent in _FAQ_INTENTS and not wanted and not named_kind and (
            (intent in ("nlu_fallback", "out_of_scope", "complain") and _SHORT_FOLLOW_UP_QUESTION.search(text.strip())
             and not _ANGER.search(text))
            # 开好了发我邮箱 after an invoice answer: too short to be anything but about it
            or (intent == "nlu_fallback" and len(text.strip()) <= 8 and not _ANGER.search(text))
            or (intent in _SHOPPING_INTENTS and not state.cards_shown
                and (_EITHER_OR.search(text.strip()) or _SHORT_FOLLOW_UP_QUESTION.search(text.strip())))
            or (intent in _SHOWN_PRODUCT_INTENTS | {"compare_products"} and not state.cards_shown)):
        # 大概多久能开出来 · 电子的还是纸质的 after an invoice answer, read as a question about products
        # when none is shown: there is nothing else it could be about
        return Understanding(state.last_intent, "a short question on the topic just answered")
    topic = _service_topic(text)
    if intent in _FAQ_INTENTS and "brand" in wanted and not topic and not about_order and not state.order_in_focus \
            and not _FAQ_WORDS.search(text) and not _BARGAINS.search(text) and not _ALERT_WORDS.search(text) \
            and not _ANGER.search(text):
        # 杨树林小金条有没有 · 爱疯15现在啥价 · 你们家有大鹅吗: a brand's products asked for, no rule of the shop
        return _shopping(wanted, state, "a brand named, no shop rule asked")
    # 平板那单还没付 能便宜点不: paying and a price both named, the price is what is asked
    rule_topic = topic or ("ask_promotion" if _PROMOTION.search(text) and not _WHERE_IS_IT.search(text) else None)
    if rule_topic in ("ask_promotion", "ask_payment") \
            and intent in _WEAK_INTENTS | _SHOPPING_INTENTS | {"query_order_status"} \
            and (NAMES_AN_ORDER.search(text) or _MY_ORDER.search(text) or _OWN_PURCHASE.search(text)
                 or re.search(r"待付款|没付款|还没付", text)) and not _ANGER.search(text) and not _SHOPPING_WORDS.search(text):
        # 我那个待付款的篮球鞋能用券吗 · 那手表那单给我补开一张: the shop's rule, for an order of one's own
        return Understanding(rule_topic, "asks a payment or coupon rule for an order of one's own")
    if topic and not wanted and not named_kind and not pointing \
            and (not _ANGER.search(text) or (intent == "complain" and _ASKS_A_RULE.search(text)
                                             and not demands_action(text))) \
            and not _MY_ORDER.search(text) and not _OWN_PURCHASE.search(text) and not _ALERT_WORDS.search(text) \
            and not (state.order_in_focus and _ORDER_FOLLOW_UP.search(text)) \
            and (intent in _WEAK_INTENTS | {"complain"} or (intent in _SHOWN_PRODUCT_INTENTS and not state.cards_shown)
                 or (intent in _SHOPPING_INTENTS and _ASKS.search(text) and not _SHOPPING_WORDS.search(text))
                 or (intent == "request_human" and _REPORTS_PERSON.search(text) and not _WANTS_PERSON.search(text))
                 # 新疆能送吗 下次想直接寄给我妈, while the bot waits for an order: a question, not that order
                 or (state.awaiting_order and intent in ORDER_INTENTS | {"nlu_fallback"} and _ASKS.search(text)
                     and not ORDER_REFERENCE.search(text))
                 # 另请问能否分别寄送至不同地址？ with no order in view: how the shop sends, not a change of one
                 or (intent in ORDER_INTENTS and not state.order_in_focus and not state.awaiting_order
                     and _SEVERAL_ADDRESSES.search(text) and _ASKS.search(text))):
        # 抬头写公司名可以吗 要税号的那种 (out_of_scope) · 双十二会不会更便宜啊 怕买早了亏 (complain) · 刚才人工
        # 客服说可以开发票 在哪开啊 (request_human) · 气死了 刚买完就降价 能保价吗 (complain): the words of one
        # service topic, where the NLU was unsure, read a product question with nothing to ask about, or
        # heard a person or anger where the customer asks what the shop allows
        return Understanding(topic, "the words of one service topic")
    if (state.order_in_focus or _OWN_PURCHASE.search(text) or NAMES_AN_ORDER.search(text)
            or _POINTS_AT_A_PURCHASE.search(text) or _MY_THAT_ONE.search(text)) \
            and (not state.cards_shown or state.last_intent == "query_order_status") \
            and (STATUS_QUESTION.search(text) or re.search(r"(?:咋样|怎么样)了", text)
                 or (state.order_in_focus and _ORDER_FOLLOW_UP.search(text))
                 # 好 帮我提交吧, the request carried out just before: where it stands (the bot waiting for an
                 # order instead asks again)
                 or (state.order_in_focus and not state.awaiting_order and _SUBMIT.search(text))) \
            and intent not in ORDER_INTENTS | {"request_human", "complain"} and not _SHOPPING_WORDS.search(text) \
            and not _ASKS_THE_SHOPS_HABIT.search(text):
        # 签收人是谁啊 (an order just told, also amid a search) · 我那单洗面奶咋样了 · 顺丰那个是啥时候签收的: where one's
        # own order stands
        return Understanding("query_order_status", "asks where one's own order stands")
    if intent in _SHOPPING_INTENTS and _ASKS_FOR_COUPON.search(text) \
            and not (_SHOPPING_WORDS.search(_ASKS_FOR_COUPON.sub("", text)) or BUYS_ANEW.search(text)):
        return Understanding("ask_promotion", "asks for a coupon, a price only said in passing")
    if not state.cards_shown and not state.searched and (intent in _SHOPPING_INTENTS | _PERSON_INTENTS | {
            "query_order_status"} or (intent == "complain" and not _ANGER.search(text))) and (
            _ORDER_HISTORY.search(text) or (_THAT_THING.search(text) and _HOW_IT_STANDS.search(text)
                                            and not _SHOPPING_WORDS.search(text))):
        # 耐克那双鞋现在啥情况 · 那双没付钱的篮球鞋 单子还在吗 · 我之前都在你们这买过啥 · 半个月前下的那单啥情况了
        # (heard as a complaint), nothing shown or searched:
        # one's own purchases, not products to buy
        return Understanding("query_order_status", "asks after a thing of one's own, nothing shown")
    if _ORDER_LOOKED_UP.search(text) and intent in _SHOPPING_INTENTS | _WEAK_INTENTS \
            and not _SHOPPING_WORDS.search(text):
        # 帮我看下手表那个订单 (heard as a search): the order holding it
        return Understanding("query_order_status", "asks to look at an order")
    if _SHIPPING_AFTER_AN_ACT.search(text) and intent in ORDER_INTENTS | _WEAK_INTENTS \
            and not _CANCEL_SAID.search(text):  # (我要取消订单 之后运费谁出: the cancellation asked too)
        return Understanding("ask_shipping_policy", "asks what shipping costs after a cancellation")
    if _ORDERS_COUNTED.search(text) and intent not in ORDER_INTENTS | {"request_human", "complain"}:
        return Understanding("query_order_status", "asks which of one's orders are still on the way")
    if state.order_in_focus and (not state.cards_shown or (state.last_intent in ORDER_INTENTS
                                                           and not _TAKES_FROM_THE_SCREEN.search(text))) \
            and not state.awaiting_order and _THAT_ITEM.match(text.strip()) \
            and intent in _SHOPPING_INTENTS | _WEAK_INTENTS | {"check_stock"} and not _SHOPPING_WORDS.search(text):
        # 羽绒服到了没 → (an order told) → 米色那件 女款的: the item of one's orders meant, not products to buy;
        # after an exchange, a return or a change asked (连衣裙L码大了 想换M → 李维斯那条牛仔的) it is what that
        # request was about (a cancellation is never made again by an item named)
        if state.last_intent in _ITEM_REQUESTS and intent not in ("deny", "affirm") and not WITHDRAWS.search(text) \
                and not _NOT_THE_REQUEST.match(text.strip()):
            return Understanding(state.last_intent, "points at the item of the request just made")
        return Understanding("query_order_status", "points at an item of one's orders, none shown to buy")
    if (ANOTHER_ORDER.search(text) or (_THAT_ONE_THEN.search(text) and not state.cards_shown)) \
            and (state.order_in_focus or state.awaiting_order) \
            and intent not in ORDER_INTENTS | {"request_human", "complain"} and not _SHOPPING_WORDS.search(text):
        # 另一单呢, after an order's status: that other order's status (the action lists them when none is named)
        return Understanding("query_order_status", "asks about another of one's orders")
    if state.awaiting_order and state.last_intent == "change_order_info" and any(new_contact(text)) \
            and intent != "request_human":
        # 号码是13912345678 · 改成北京市海淀区…, asked which order to change: the new contact (kept for that order)
        return Understanding("change_order_info", "gives the new phone or address for the change asked")
    instead = _INSTEAD.search(text)
    if instead and intent in ORDER_INTENTS | _WEAK_INTENTS and (
            state.awaiting_order or state.order_in_focus or state.last_intent in ORDER_INTENTS):
        # 算了不取消了 改个地址就行 · 不退了 换个码吧: the request withdrawn, another made in its place
        wanted_now = next(kind for kind, word in zip(_INSTEAD_KINDS, instead.groups()[1:]) if word)
        if wanted_now != intent:
            return Understanding(wanted_now, "one request withdrawn, another made instead")
    if intent in ("request_exchange", "request_return_refund") and _OWNED_NOW.search(text) \
            and _REPLACEMENT_WISHED.search(text) and not _FIT_OR_VARIANT.search(text) \
            and not _POINTS_AT_A_PURCHASE.search(text) and not _OWN_PURCHASE.search(text) \
            and not ORDER_REFERENCE.search(text) and not state.order_in_focus and not state.awaiting_order:
        # 现在用小米14 屏太小了 想换个屏大点续航好点的手机 · 一直喝雀巢1+2 太甜了 想换不加糖的 · 奶奶的手机坏了
        # 想给她换个 字大点操作简单的: what one has now, and a new one wished for; nothing bought here is pointed at
        return _shopping(wanted, state, "a new one wished for in place of one's own, no exchange")
    if intent in ("request_return_refund", "request_exchange", "query_order_status") and _BUYS_AGAIN.search(text):
        # 退完再拍件XL的 还要白的: another one to buy once this one is returned
        return _shopping(wanted, state, "buys another after the return")
    if state.order_in_focus and intent in _WEAK_INTENTS and _INVOICE_DETAILS.search(text):
        # (开票 → 就洗发水跟裙子那单 →) 电子的就行 发我邮箱: the invoice's kind, asked of the invoice rule
        return Understanding("ask_payment", "tells what invoice is wanted")
    if state.order_in_focus and state.last_intent in ("request_return_refund", "request_exchange", "cancel_order") \
            and intent in _RETURN_OR_EXCHANGE | {"cancel_order", "complain"} \
            and _INSISTS.search(text) and (_THREATENS.search(text) or _ANGER.search(text)):
        # (超过7天无理由退货期 →) 不管 我就要退 不然给差评: the rule said no and the customer insists; only a person
        # can make an exception
        return Understanding("request_human", "insists on the request the rule refused")
    if state.order_in_focus and intent in _WEAK_INTENTS and _STUCK.match(text.strip()):
        if _THROUGH_THE_COURIER.search(text) and not _ANGER.search(text):
            # (地址改不了 已经发货 →) 那咋整 让快递员转寄行吗: what the courier can do, which the rules tell
            return Understanding(ASK_AFTER_SALES_POLICY, "stuck, asks what the courier can do")
        # (地址改不了 已经发货 →) 那咋办 我现在在重庆: the bot's rule leaves them stuck; a person can reach the courier
        return Understanding("request_human", "stuck after the order's rule, a person can do more")
    if intent == "ask_size_advice" and _SIZE_UNKNOWN.search(text) and not state.cards_shown:
        # 送男生 鞋就算了 他穿多大码我也不知道: no size asked, the reason a kind is let go
        return _shopping(wanted, state, "the size is unknown, told, not asked")
    if intent == "request_exchange" and _NEXT_TIME_SWITCH.search(text) and not _POINTS_AT_A_PURCHASE.search(text) \
            and not ORDER_REFERENCE.search(text):
        # 下回要换3段了 飞鹤的有么: what to buy next time, no exchange of an order
        return _shopping(wanted, state, "what to switch to next time, no exchange")
    if state.order_in_focus and state.last_intent in ("request_return_refund", "request_exchange") \
            and (intent in _SHOPPING_INTENTS | _WEAK_INTENTS or _RETURN_REFUSED.search(text)) \
            and _SWAP_IN_THE_ORDER.search(text):
        # (超过7天 →) 退不了啊 那换双39的行不: an exchange, which the rule may still allow
        # (裤子要退 腰大了 →) 行吧 那换30的: the item of the order in view exchanged for that size
        return Understanding("request_exchange", "another size or colour of the order's item")
    if intent in ORDER_INTENTS | _WEAK_INTENTS and asks_formula_stage(text) and not _POINTS_AT_A_PURCHASE.search(text) \
            and not ORDER_REFERENCE.search(text) and not state.order_in_focus and not state.awaiting_order:
        # 娃1岁2个月 还喝着2段 是不是该换了: which stage now, not an exchange of an order
        return Understanding("ask_size_advice", "asks a formula's stage for the baby's age")
    if state.awaiting_order and names_only_an_item(text) and intent in _SHOPPING_INTENTS | _WEAK_INTENTS:
        # 牛仔裤 · 那件白色T恤, asked which order to exchange: the order holding it, not jeans to buy
        return Understanding("affirm", "names the item of the order the bot asked about")
    if (state.awaiting_order or state.order_in_focus) and _PRICE_DROPPED.search(text) and not _ANGER.search(text) \
            and intent in _SHOWN_PRODUCT_INTENTS | _WEAK_INTENTS | {"compare_products"}:
        # (刚买就降价了 →) 比那天便宜了多少 · 昨天那单现在便宜了: the price fallen since the purchase (价保)
        return Understanding("ask_promotion", "a price fallen since an order of one's own")
    if state.awaiting_order and ORDER_REFERENCE.search(text) and not _another_order_request(intent, text, state) \
            and not _PRICE_DROPPED.search(text) and _service_topic(text) != "ask_promotion" \
            and not (state.cards_shown and state.last_intent in _SHOWN_PRODUCT_INTENTS | _SHOPPING_INTENTS) and (
            # (帮我查下华为手机到哪了 还有想买个蓝牙耳机 → 有华为的吗 →) 算了 小米那个吧 白色有吗: the cards talked about
            # since the order was asked for, so 那个 is a card
            intent not in _NEW_REQUEST_INTENTS or (intent == "complain" and not _ANGER.search(text))
            or (intent == "request_recommendation" and NAMES_AN_ORDER.search(text))
            # 就那条李维斯的连衣裙 收到才3天 不太喜欢: the item received, and why it goes back
            or (intent in _SHOPPING_INTENTS and (_DISLIKES_WHAT_CAME.search(text) or re.search(r"收到|到手(?!价)", text))
                and not _ASKS.search(text) and not _SHOPPING_WORDS.search(text))
            # 女款那件 鸭鸭的 · 女款那件 米色的: the order's item by its brand or colour, nothing to buy
            or (intent in _SHOPPING_INTENTS | {"check_stock"} and len(text) <= 10 and not _SHOPPING_WORDS.search(text)
                and re.search(r"那(?:件|双|个|条|台|部|瓶)", text) and not _ASKS.search(text))):
        # 就是已经签收的那个 穿着不合适: the order, and why; no complaint
        # 就是买耳机那单: a kind named, but of the order meant, not one to buy
        return Understanding("affirm", "picks the order the bot asked about")
    if (state.cards_shown or (named_kind and not re.search(r"我的|我那", text)) or _BUYING_NOW.search(text)) \
            and not state.order_in_focus and intent in _WEAK_INTENTS | {"query_order_status"} \
            and _DELIVERY_TIME.search(text) and not _STILL_WAITING.search(text) and not _OWN_PURCHASE.search(text) \
            and not _SHIPPED_YET.search(text) and not NAMES_AN_ORDER.search(text):
        # 手表几天能到 with nothing bought named: how long delivery takes, before buying (手机发了没 啥时候能到:
        # something bought; 之前洗发水和裙子那单啥时候发货: an order named)
        return Understanding("ask_shipping_policy", "how long delivery takes, asked while browsing")
    if intent == "query_order_status" and not state.cards_shown and not state.searched \
            and STATUS_QUESTION.search(text) and not _SHOPPING_WORDS.search(text):
        # 羽绒服到哪了 · 面霜发了没啊, the kind named by this message alone: one's own parcel, no search to refine
        return Understanding("query_order_status", "")
    if intent in ("request_exchange", "request_return_refund") and not state.cards_shown and not state.searched \
            and (_DISLIKES_WHAT_CAME.search(text) or re.match(r"那(?:双|件|条|个|台|部|瓶|支)", text.strip())
                 or _VARIANT_FOR_VARIANT.search(text) or _BOUGHT_WRONGLY.search(text)
                 or _TO_A_NEIGHBOURING_SIZE.search(text)) \
            and not _SHOPPING_WORDS.search(text):
        # 裙子颜色不喜欢 能换个颜色吗 · 那双白色帆布鞋能换个颜色不 · 李宁羽绒服 XXL换XL · 羽绒服要换个小一号的, nothing
        # searched yet: what came, sent back or exchanged
        return Understanding(intent, "")
    if intent == "change_order_info" and not state.cards_shown and not state.searched \
            and _VARIANT_FOR_VARIANT.search(text) and not _SHOPPING_WORDS.search(text):
        # 优衣库羽绒服那个 藏青改成黑色 码还是M, nothing searched yet: the colour of the order changed
        return Understanding(intent, "")
    if state.shopping and not state.cards_shown and not state.order_in_focus and not state.awaiting_order \
            and not about_order and not points_at_a_purchase and not _OWN_PURCHASE.search(text) \
            and intent in ORDER_INTENTS \
            and (wanted or rejected or _REFINE.search(text)) and not _UNWANTED.search(text) and "取消" not in text \
            and not _DELIVERY_TIME.search(text) and state.last_intent not in _RETURN_OR_EXCHANGE \
            and not (state.last_intent == "complain" and intent in _RETURN_OR_EXCHANGE) \
            and not _NAMES_A_PLACE.search(text) and not (named_kind and _ARRIVED.search(text)) \
            and not (not state.searched and _WHAT_CAME_JUDGED.search(text)):
        # 换成黑色的 while a search is under way but no card is on the screen (the bot asked a question):
        # a refinement of the search, as with cards shown (我的鞋咋还没发货 is one's own order); just after a
        # return asked about (衣服洗过一次有个洞 还能退吗 → 那换件新的行不) or a complaint (收到的口红是断的 → 能给我
        # 换一支新的吗), 换 is about that
        return Understanding("inform_preference", "a refinement of the search under way, not about an order")
    if state.order_in_focus and state.cards_shown and (named_kind or "brand" in wanted) and not about_order \
            and intent in _SHOWN_PRODUCT_INTENTS | _SHOPPING_INTENTS | _WEAK_INTENTS \
            and (RESUMES_SHOPPING.search(text) or "budget" in kept_conditions(text)) and not _service_topic(text) \
            and not _COMPARES.search(text) and not re.search(r"和|跟|与|比", text):
        # 对了我之前退的那罐奶粉钱退回来没 → 行 奶粉还是看刚才那个价的进口的 有DHA的吗 · 还是那个价 荣耀的怎么样:
        # the order told, the search taken up again, with what it asks for now
        return _shopping(wanted, state, "back to the search after an order")
    if not (state.cards_shown or state.product_in_focus or state.order_in_focus or state.awaiting_order) \
            and not about_order and intent in _WEAK_INTENTS | {"ask_promotion"} and not _PROMOTION.search(text) \
            and not _ANGER.search(text):
        # nothing on the screen, and the NLU heard no shopping: a model or line named outright is what is asked of
        if _PRICE_OF_IT.search(text) and (names_a_model(text) or names_a_line(text)) \
                and not _PRICE_OF_A_DEAL.search(text):
            # 15pm现在什么价 (heard as a promotion): the price of the model named, which its card tells
            return Understanding("ask_product_info", "asks the price of a model named")
        if names_a_line(text) \
                and (not _ASKS.search(text) or _ASKS_FOR_SOME.search(text) or _ASKS_OF_A_NAMED_ONE.search(text)) \
                and not _service_topic(text) and not _WANTS_PERSON.search(text) and not _ORDER_WORDS.search(text) \
                and intent != "deny" and not _LINE_REFUSED.search(text):
            # 空军一号 (heard as a yes) · AF1有没有 空军一号 (heard as a promotion): a product line asked for by its
            # name (芭比那个大房子多大 asks a property of it)
            return _shopping(wanted, state, "a product line asked for by its name")
    if (state.cards_shown or state.product_in_focus) and not state.order_in_focus and not about_order \
            and intent != "request_human" and not _ANGER.search(text) and not _WANTS_PERSON.search(text):
        if _GONE.search(text) and intent in _SHOWN_PRODUCT_INTENTS | _SHOPPING_INTENTS \
                and (names_a_product(text) or "brand" in wanted):
            # nova12没了? · mate60下架了吗 · 经典创意那盒呢 没看到: whether a product named is still sold
            return Understanding("check_stock", "asks whether a product named is gone")
        if (names_a_model(text) or names_a_line(text)) and not wanted - {"brand"} \
                and _ASKS_OF_A_NAMED_ONE.search(text) and not _ASKS_FOR_SOME.search(text) \
                and intent in _SHOWN_PRODUCT_INTENTS | _SHOPPING_INTENTS | _WEAK_INTENTS \
                and not _SETS_AGAINST.search(text) and not _service_topic(text) and not _PROMOTION.search(text):
            # 就一个? 拯救者呢 · 天选有货吗 · 利拉德8呢 (heard as goodbye): the product named, not a search
            return Understanding("check_stock", "asks about a product named")
        if _OTHER_COLOURS.search(text) and "color" not in wanted and state.product_in_focus:
            # (heard as an exchange: 还有别的 · 换); with several products and none asked about, other products
            return Understanding("check_stock", "还有别的颜色不: the colours of the products shown")
    if (state.cards_shown or state.product_in_focus) and not state.order_in_focus and not about_order \
            and intent not in ORDER_INTENTS | {"request_human"} and not _ANGER.search(text) \
            and not _WANTS_PERSON.search(text):
        if _BODY_SAID.search(text) and (_FIT_QUESTION.search(text) or _WHICH_SIZE.search(text)):
            # 泡泡袖那条 我胯宽能穿吗 · 磨脚吗 我脚背高 · 我平时M 会不会勒: will it fit this body, a size question
            return Understanding("ask_size_advice", "asks whether a product shown fits the body described")
        topic = _service_topic(text)
        gift = re.search(_GIFT_WITH_PURCHASE, text)  # 有没有送勺子: a gift named, no kind wanted
        # (就oppo那个吧 · 那要美赞臣的，多买几罐有优惠不: a brand pointed at or wished for, and a rule asked)
        # (一千多有点肉疼 能分期不: the price of what is shown, said before asking how to pay it)
        spread = topic == "ask_payment" and wanted <= {"brand", "budget"}
        if topic and (pointing or wanted <= {"brand"} or gift or spread) \
                and (_ASKS.search(text) or _RULE_QUESTION.search(text)) \
                and (gift or not _SHOPPING_WORDS.search(text)) and not _ALERT_WORDS.search(text):
            # 就oppo那个吧 今天能发不 · 有学生价吗 我大一 · 有没有送勺子或者试用装啥的: a rule of the shop, asked of
            # the products on the screen
            return Understanding(topic, "a rule of the shop asked of the products shown")
        if _TAKES_A_QUANTITY.match(text.strip()) and intent in _WEAK_INTENTS | _SHOPPING_INTENTS:
            # 来两包 · 要三瓶 · 拍两件吧: the product on the screen taken, so many of it
            return Understanding("affirm", "takes so many of a product shown")
        if _TAKES_SHOWN.search(text) and wanted <= {"brand", "color"} and not _ASKS.search(text):
            # 那就欧莱雅那个吧 谢了哈: one of the products shown chosen by its brand or colour
            return Understanding("affirm", "takes a product shown")
        if _TAKES_BY_ITS_PRICE.search(text) and wanted <= {"brand", "budget"} and not _ASKS.search(text):
            # 百草味那个一百五十九的就挺好 谢谢: the product shown at that price taken, no budget to search by
            return Understanding("affirm", "takes the product shown at the price said")
    if state.cards_shown and not state.order_in_focus and not about_order:
        if intent == "ask_product_info" and _WHICH_OF_SHOWN.search(text):
            return Understanding("compare_products", "这几件哪件最透气: the products shown set against each other")
        if asks_other_brand(text) and "brand" not in wanted:
            return Understanding(REQUEST_MORE, "the same products from other brands")
        if _MORE.search(text) and not (wanted - {"budget", "product_category"}) and not _VARIANTS.search(text) \
                and all(state.searched_kind and same_kind(str(e.get("value") or ""), state.searched_kind)
                        for e in entities if e.get("entity") == "product_category"):
            # (手表 · 讲个笑话呗 →) 手表再换几款看看: the kind searched, named again, is no new search
            return Understanding(REQUEST_MORE, "more products under the same conditions")
        if _MORE_OF_KIND.search(text) and not (wanted - {"budget", "product_category"}) \
                and not _VARIANTS.search(text):
            return Understanding(REQUEST_MORE, "more of the kind searched, named again")
        if _SALE_EVENT.search(text) and intent in ("inform_preference", "request_recommendation", "ask_product_info"):
            return Understanding("ask_promotion", "asks whether a sale will make it cheaper")
        if condition_shift(text) in (BIGGER, SMALLER) and _SHOULD_I.search(text):
            # 我脚有点宽 要不要买大半码: whether to, asked; not a bigger size wanted yet
            return Understanding("ask_size_advice", "asks whether to take another size")
        if intent == "check_stock" and "budget" in kept_conditions(text) and wanted & {"size", "color"}:
            # 还是这个价 44码 蓝色: the budget kept and a size or colour added, a search (not of one card)
            return Understanding("inform_preference", "the budget kept, a size or colour added")
        if _BETTER_THAN_SHOWN.search(text) and _ASKS_FOR_OTHERS.search(text) and not _COMPARES.search(text) \
                and intent in _WEAK_INTENTS | _SHOWN_PRODUCT_INTENTS | {"compare_products"}:
            # 比上面这几台还轻的有吗 · 有没有比刚才那几件更保暖的 · 和第二双价格差不多的 但缓震好点的有么: other
            # products, set against those shown, not a comparison of them
            return Understanding("inform_preference", "other products, better than those shown in some way")
        if intent in _SHOWN_PRODUCT_INTENTS | _SHOPPING_INTENTS and _WHICH_OF_THEM_ARE.search(text) \
                and (names_attribute or wanted) and not _COMPARES.search(text.replace("哪些", "")):
            # 请问其中进口的有哪些？ · 这几款哪些是无糖的: the products shown, narrowed to those with it
            return Understanding("inform_preference", "which of the products shown have a quality")
        if intent in _WEAK_INTENTS and _MORE_OF_A_QUALITY.search(text) and not pointing:
            # 有屏幕再大点的没 · 续航更长的有吗: more of a quality than the products shown have
            return Understanding("inform_preference", "more of a quality than the products shown")
        if condition_shift(text) and not pointing and not _PROMOTION.search(text) and not _ALERT_WORDS.search(text) \
                and not (intent == "ask_size_advice" and _SIZE_QUESTION.search(text)):
            return Understanding("inform_preference", "moves a condition of the products shown")
        if (names_a_model(text) or names_a_line(text)) and not wanted - {"brand"} and not rejected \
                and not (wish and names_attribute) and (_ASKS.search(text) or _RULE_QUESTION.search(text)) \
                and not _ASKS_FOR_SOME.search(text) \
                and not _COMPARES.search(text) and not _SETS_AGAINST.search(text) and not asks_about_size(text) \
                and not _service_topic(text) and not _PROMOTION.search(text) \
                and intent not in ("request_human", "subscribe_alert"):
            # 得宝那桶多少块 · 那天选那个能带动黑神话不 · 经典创意那盒呢 没看到: a question about the product named
            stock = intent == "check_stock" or _GONE.search(text) or _STOCK_ASKED.search(text)
            return Understanding("check_stock" if stock else "ask_product_info", "a question about a product named")
        if intent in ORDER_INTENTS and (wanted or rejected or _REFINE.search(text) or wish or mentions_product_words) \
                and not (intent == "cancel_order" and _CANCEL_SAID.search(text) and not _ALERT_WORDS.search(text)
                         and not re.search(r"筛选|条件|限制|颜色|品牌|价格|预算|尺码", text)):
            # (a kind or a property the NLU marked no entity for counts: 还是看看羽绒服 is no exchange; 那个399的不要了
            # 取消吧: cards are never cancelled, an order is)
            return Understanding("inform_preference", "a refinement of the products shown, not about an order")
        if (dropped_conditions(text) or goes_back_to_earlier_budget(text)) \
                and (intent in _SHOWN_PRODUCT_INTENTS | _FAQ_INTENTS | _WEAK_INTENTS
                     or (intent == "compare_products" and not pointing and not re.search(r"[俩两]", text))):
            # (不看价格 最好的是哪个: the best with the budget let go, not the shown ones compared)
            # 颜色无所谓了 · 什么色都可以 · 牌子无所谓 · 还是刚才那个价位吧: a condition let go or taken back
            return Understanding("inform_preference", "lets a condition of the products shown go")
        if rejected and not pointing and intent in _SHOWN_PRODUCT_INTENTS | _FAQ_INTENTS | _WEAK_INTENTS:
            # 不要海飞丝 用过没效果 · 科颜氏不要 (heard as a product or price question): a refusal of what is shown
            return Understanding("inform_preference", "refuses a brand, colour or kind of the products shown")
        if intent in _SHOWN_PRODUCT_INTENTS and not pointing and not (intent == "check_stock" and names_a_model(text)):
            # (k70有吗 · KT9还有货吗 ask about that model: the action looks it up, or says the shop has none)
            if wanted & {"brand", "product_category"}:
                return Understanding("inform_preference", "a brand or category filter over the products shown")
            several = max((all_wanted.count(name) for name in ("color", "size")), default=0) > 1
            if "budget" in wanted or (wanted & {"color", "size"} and (wish or not state.product_in_focus)
                                      and not several):
                return Understanding("inform_preference", "a colour, size or budget filter over the products shown")
        if intent in _SHOWN_PRODUCT_INTENTS and not pointing and wish:
            return Understanding("inform_preference", "a wanted property, said as a wish")
        if intent == "ask_promotion" and pointing and wanted & {"color", "size"} and not _PROMOTION.search(text):
            # 最便宜那个有粉色吗: 便宜 points at a product shown, the colour is asked of it
            return Understanding("check_stock", "asks a colour or size of a product pointed at by its price")
        if intent == "ask_promotion" and not _PROMOTION.search(text) and (wish or names_attribute) and not pointing:
            return Understanding("inform_preference", "小新呢 要轻薄点的: a wish, no promotion asked")
        if intent in _SHOWN_PRODUCT_INTENTS and not pointing and names_attribute and not _ASKS.search(text):
            return Understanding("inform_preference", "屏幕要OLED的 · 还得带帽子: a wanted property, no question")
        if intent == "complain" and pointing and _ASKED_YES_OR_NO.search(text) and not _ANGER.search(text):
            # ZARA那条微喇的 腿粗穿着显胖不: a question about the card pointed at, no grievance
            return Understanding("ask_product_info", "asks yes or no about a product pointed at")
        if intent == "complain" and not _ANGER.search(text):
            return Understanding("inform_preference", "续航得长 别一天一充: a wish about the products shown")
        if intent == "subscribe_alert" and (wanted or rejected or wish or names_attribute or _SHOPPING_WORDS.search(text)) \
                and not _ALERT_WORDS.search(text) and not ASKS_ALERT.search(text):
            return Understanding("inform_preference", "藏青也不要了，还是黑色 · 来点豆子吧: conditions, no alert asked for")
        if intent == "compare_products" and wish and (wanted or names_attribute) and _BEST_SELLING.search(text) \
                and not re.search(r"和|跟|与|比", text):
            # 国产的就行 哪个卖得好: a condition for other products, then which of them sell (the cards say)
            return Understanding("inform_preference", "a condition, then the best sellers among its products")
        if intent == "compare_products" and not _COMPARES.search(text) \
                and not re.search(r"和|跟|与|比|两|俩|更|值|一样|差不多|哪个|区别", text) \
                and POINTING.search(text) and (_ASKS.search(text) or _ASKED_YES_OR_NO.search(text)) \
                and _distinct_values(entities, "brand") <= 1:
            # 清扬那个女生能用不: a question of the one card pointed at, nothing set against it
            return Understanding("ask_product_info", "a question of one card pointed at, nothing compared")
        if intent == "compare_products" and (wanted or wish) and not _COMPARES.search(text) \
                and not re.search(r"和|跟|与|比", text) \
                and _distinct_values(entities, "brand") <= 1 and _distinct_values(entities, "product_category") <= 1:
            # 还是白的吧 · 换成ysl吧 · 良品铺子的呢 · 最好是坚果类的 · 续航要长 一周一充那种: one condition
            # or wish for the search, nothing set against anything
            return Understanding("inform_preference", "a condition or wish for the products shown, no comparison")
        if intent == "ask_size_advice" and not pointing and "color" in wanted and _HAS_THAT_COLOUR.search(text) \
                and not _WHICH_SIZE_ASKED.search(text):
            return Understanding("inform_preference", "有卡其色的吗我穿L码: a colour asked for, in one's size")
        if intent == "ask_size_advice" and not pointing and wish and (names_attribute or wanted - {"size"}) \
                and not _SIZE_QUESTION.search(text):
            return Understanding("inform_preference", "a wanted property, said as a wish")
        if intent == "ask_size_advice" and ("size" in wanted or wanted & {"color", "budget"}
                                            or re.search(r"[0-9]", text)) and not _SIZE_QUESTION.search(text):
            return Understanding("inform_preference", "gives a size, colour or budget for the products shown")
        if intent in ("inform_preference", "request_recommendation") and _ASKS_SIZE.search(text):
            return Understanding("ask_size_advice", "asks which size of the products shown")
        if intent in _WEAK_INTENTS and _SIZE_GIVEN.search(text.strip()):
            return Understanding("inform_preference", "gives a size for the products shown")
        if wanted == {"budget"} and intent not in ("request_recommendation", "inform_preference") \
                and intent not in _SERVICE_INTENTS and not _ALERT_WORDS.search(text) and not _PROMOTION.search(text):
            return Understanding("inform_preference", "a new budget for the products shown")
        if intent == "nlu_fallback" and (_ASKS.search(text) or _ASKED_YES_OR_NO.search(text)) \
                and not wanted and not rejected and not wish \
                and not mentions_product_words and not _TALKS_TO_BOT.search(text) and not _service_topic(text):
            # 东北冬天够穿吗: a question the NLU could not place, asked of the products on the screen
            # (answered from their descriptions, or honestly not)
            return Understanding("ask_product_info", "a question about the products shown")
    if state.order_in_focus and _WHEN_IN_DIALECT.search(text) \
            and intent not in ORDER_INTENTS | {"request_human"}:
        # (洗发水买了一天了还不发货 →) 算了 帮我看下好久能发: 好久 is 多久 in Sichuan, when it ships
        return Understanding("query_order_status", "asks when it ships, in dialect")
    if intent in _RETURN_OR_EXCHANGE and state.order_in_focus and _ASKS_HOW_TO_SEND_BACK.search(text) \
            and not re.search(r"退|换", text):
        # (换货申请已提交 → 藏青L有货) 好 那这条要我先寄回去吗: how the request under way goes, no new return
        return Understanding(ASK_AFTER_SALES_POLICY, "asks how to send back what the request is for")
    if not state.cards_shown and intent in _SHOWN_PRODUCT_INTENTS | _SHOPPING_INTENTS | _WEAK_INTENTS \
            and _NOT_AS_SHOWN.search(text) and asked_of_an_owned_item(text) == "exchange" \
            and (_RECEIVED.search(text) or "实物" in text or _POINTS_AT_A_PURCHASE.search(text)
                 or re.match(r"(?:那|这)(?:条|件|双|个|台|支|瓶)", text.strip())) \
            and not _ASKED_OF_THE_LOOKS.search(text) \
            and not re.search(r"会|如果|要是|万一|担心|怕|听说|评论|评价", text):  # (你们会发错货吗: a worry)
        # 那条李维斯牛仔裙 实物颜色比图上浅太多了 我想要藏青那个色的 能弄吗: what came is not as shown, the
        # colour shown is wanted instead
        return Understanding("request_exchange", "not as shown, another variant wanted")
    if not state.cards_shown and not about_order \
            and intent in ("inform_preference", "request_recommendation", "nlu_fallback") \
            and named_kind and _asks_which_size(text) and not _SHOULD_BUY.search(text):
        # 我平时穿42 耐克跑鞋选多大: which size of that kind, before any is shown (the answer is the kind's)
        return Understanding("ask_size_advice", "asks which size of a kind, none shown yet")
    if not state.cards_shown and not about_order and (
            intent in _NEEDS_CARDS_INTENTS or (intent in ORDER_INTENTS
                                               and (_SHOPPING_WORDS.search(text) or "budget" in wanted)
                                               and asked_of_an_owned_item(text) != "status")
            # 那帮我找件T恤 白色 M码: nothing to be alerted about, no alert word
            or (intent == "subscribe_alert" and not _ALERT_WORDS.search(text) and not ASKS_ALERT.search(text))):
        names_products = wanted & {"product_category", "brand"} or mentions_product_words
        model = names_a_model_to_buy(text, "budget" in wanted)
        asks_size = intent == "ask_size_advice" and _asks_a_size(text)
        wants_to_buy = bool(model and _WANTS_TO_BUY.search(text)) and not _ASKS.search(text)
        if ((names_products and not (intent in _SHOWN_PRODUCT_INTENTS and (model or pointing))) or wants_to_buy) \
                and not asks_size:  # 第二个防水吗 with nothing shown points at no product: no request either
            return Understanding("request_recommendation", "names products, none shown yet")
    topic = _service_topic(text)
    if intent in _SHOPPING_INTENTS and topic and not wanted and not named_kind and not mentions_product_words \
            and not pointing and not _SHOPPING_WORDS.search(text) and not _ALERT_WORDS.search(text):
        # 运费也太贵了吧 别家都包邮 就你们家抠 (heard as a wish): a shop rule, nothing to search for
        return Understanding(topic, "a shop rule grumbled about or asked, no product in it")
    if intent in _FAQ_INTENTS and named_kind \
            and (wish or _SHOPPING_WORDS.search(text) or _PURPOSE.search(text)
                 or ("budget" in wanted and not _ASKS.search(text) and not _RULE_WORDS.search(text))) \
            and not _FAQ_WORDS.search(text) and not re.search(_GIFT_WITH_PURCHASE, text) \
            and not about_order:  # (买两罐奶粉送点啥 asks for the free gift)
        # (咖啡要挂耳的 100以内, heard as payment: a kind and a budget)
        return _shopping(wanted | {"product_category"}, state,
                         "a product and a wish, no question about delivery, payment or offers")
    if state.cards_shown and intent in _SHOWN_PRODUCT_INTENTS and wanted & {"brand", "product_category"} \
            and _AT_THIS_PRICE.search(text) and not state.order_in_focus:
        # 苹果的笔记本有这个价吗: that brand's products within the budget of the cards, not a question about a card
        return Understanding("inform_preference", "another brand's products asked for at the price shown")
    if intent == "compare_products" and not _COMPARES.search(text) and _service_topic(text):
        # 咖啡和零食一起下单能一起发吗: two kinds named in a question about shipping or paying, nothing weighed
        return Understanding(_service_topic(text), "two products named in a service question")
    if not state.cards_shown and intent == "compare_products" and not _COMPARES.search(text) \
            and (names_a_model(text) or wanted & {"product_category", "brand"} or _SHOPPING_WORDS.search(text)):
        return Understanding("request_recommendation", "names one product to buy, nothing to compare")
    if not state.cards_shown and intent == "compare_products" and wanted & {"product_category", "brand"} \
            and _WHICH_IS_BEST.search(text) and not names_a_model(text) and all_wanted.count("brand") <= 1 \
            and not re.search(r"和|跟|与|还是|vs|对比|相比|比较|比起", text, re.IGNORECASE):
        return Understanding("request_recommendation", "红米手机哪款性价比高: which to buy, nothing shown to compare")
    if intent == "complain" and (wanted or mentions_product_words or ((state.shopping or state.cards_shown) and wish)) \
            and not _ANGER.search(text) and not about_order and not _AWAITED.search(text) \
            and not _WHAT_CAME_JUDGED.search(text):  # (白色羽绒服实物有点发黄啊: what came, not what to buy)
        return _shopping(wanted, state, "a condition, not a complaint")
    if intent in ("complain", "out_of_scope", "nlu_fallback") and names_attribute and _ASKS_FOR_SOMETHING.search(text) \
            and not _ANGER.search(text) and not about_order and not _TALKS_TO_BOT.search(text):
        # 每天挤地铁太吵了 想隔绝一下噪音 · 头皮屑好多 头还痒 用啥洗: a need in one's own words, and something
        # asked for it (the recommender reads the kind from the need when no kind is named)
        return _shopping(wanted, state, "a need in one's own words, something asked for it")
    if intent in ("nlu_fallback", "out_of_scope") and names_a_product(text) and _WISHED_FOR.search(text) \
            and not _ASKS.search(text) and not about_order:
        # 闺女4岁 吵着要芭比那个大房子: a product line named and wished for
        return _shopping(wanted, state, "a product line named and wished for")
    if intent == "bot_challenge" and (names_attribute or names_category) and not _ASKS.search(text) \
            and not _TALKS_TO_BOT.search(text):
        # 8岁男孩生日 喜欢能变形的机器人: a toy robot liked, no question whether a robot answers
        return _shopping(wanted, state, "a robot that is a product, not the bot")
    in_the_open = not (state.cards_shown or state.product_in_focus or state.order_in_focus or state.awaiting_order
                       or _OWN_PURCHASE.search(text) or _POINTS_AT_A_PURCHASE.search(text)
                       or ORDER_REFERENCE.search(text))
    need_may_overrule = intent in INTENTS_A_NEED_MAY_OVERRULE and not (
        # 去东北滑雪 女生穿啥不冻 L码: a size told, not asked (165 穿啥码不冻脚 asks it)
        intent == "ask_size_advice" and _asks_a_size(text)) and (
        intent not in _READINGS_A_NEED_OVERRULES_IN_THE_OPEN or in_the_open) and (
        intent not in _SHOP_QUESTIONS_A_NEED_OVERRULES_UNASKED or not (_ASKS.search(text) or _service_topic(text)))
    if need_may_overrule and wants_another_kind and not _ANGER.search(text) \
            and not _OWN_PURCHASE.search(text) and not _POINTS_AT_A_PURCHASE.search(text):
        # 孩子网课 一直用我手机上 屏幕太小了: the phone's smallness is no complaint about an order, the need
        # it leaves is what to buy for
        return _shopping(wanted, state, "a kind one has falls short, another is wanted")
    if need_may_overrule and needs_a_kind and not about_order \
            and not _ANGER.search(text) and not _TALKS_TO_BOT.search(text):
        # 下周去哈尔滨出差 零下二十几度 怕冻成狗 · 女儿三岁 天天在家拆家: a plight in one's own words that a kind
        # of product meets, nobody blamed, nothing asked: what to buy for it
        return _shopping(wanted, state, "a need one or two kinds of product meet")
    if intent in _WEAK_INTENTS and not about_order and not _TALKS_TO_BOT.search(text):
        # out_of_scope is the model's own judgement: words alone overrule it only while shopping
        if intent == "out_of_scope" and (_NOT_A_PRODUCT.search(text) or not (
                state.shopping or state.cards_shown or wanted - {"budget"}
                or (names_category and (_SHOPPING_WORDS.search(text) or GIFT_WORDS.search(text)
                                        or _DESCRIBES_SOMEONE.search(text) or _WHAT_IS_THERE.search(text)
                                        or _WANTS_SOME.search(text) or _BY_ITS_USE.search(text)
                                        or "budget" in wanted))
                # 侄子8岁生日 喜欢变形金刚: someone's liking for something the shop sells, a present
                or (names_attribute and _DESCRIBES_SOMEONE.search(text) and _PRESENT_FOR.search(text)))):
            return Understanding(intent)
        if wanted or rejected or mentions_product_words or names_a_model(text) \
                or (names_attribute and _DESCRIBES_SOMEONE.search(text)):
            return _shopping(wanted, state, "names products or conditions")
        if intent == "greet" and _SHOPPING_WORDS.search(text):
            # 在不在 想买双小白xie👟: the greeting opens a request (the action asks which kind if unclear)
            return _shopping(wanted, state, "a greeting and a wish to buy")
        if (state.shopping or state.cards_shown) and (_PURPOSE.search(text) or _THAT_KIND.search(text)):
            # 过年走亲戚拎的那种: what it is for, or the sort of thing meant
            return Understanding("inform_preference", "says what it is for")
        if _BROWSING.search(text) and not (state.cards_shown and _THANKS.search(text)):
            # (okk 我先看看 谢谢哈 after cards: the cards shown are looked at, with thanks)
            return Understanding("request_recommendation", "just browsing")
        if intent == "nlu_fallback" and BUYS_ANEW.search(text):
            return Understanding("request_recommendation", "算了 我重新买一支: buys anew")
        if intent in ("nlu_fallback", "out_of_scope") and _PRAISE.search(text) and len(text) <= 16:
            return Understanding("thank", "praises the bot")
    if intent in ORDER_INTENTS and not about_order and not state.awaiting_order and _BROWSING.search(text):
        # 老婆预产期快到了 想提前备点东西: getting things ready, no order of hers
        return Understanding("request_recommendation", "just browsing")
    if declines_person and intent in _PERSON_INTENTS | {"request_human"} and about_order \
            and re.search(r"没|吗|呢|[?？]", text):
        # 不用转人工 你帮我看下那个耳塞的订单付款了没: no person, the order is what is asked
        return Understanding("query_order_status", "declines a person, asks after an order")
    if declines_person and intent in _PERSON_INTENTS | {"request_human"}:
        return Understanding("greet", "mentions a person without wanting one now")
    if intent == "request_recommendation" and not named_kind and not conditions_said and not names_attribute \
            and not _SHOPPING_WORDS.search(text) and (_MY_ORDER.search(text) or _OWN_PURCHASE.search(text)):
        # 我是用手机号下的单 138开头的: about an order placed, nothing to buy
        return Understanding(state.last_intent if state.last_intent in ORDER_INTENTS else "query_order_status",
                             "speaks of an order placed, names nothing to buy")
    if intent == "nlu_fallback" and state.last_intent == "query_order_status" and not conditions_said \
            and not named_kind and not _TALKS_TO_BOT.search(text):
        # (查订单 → 请先登录 / 哪一单) 我没账号啊 用手机号下的 (unclear): still the order, asked again how to find it;
        # never a change (a cancellation is made only when asked for)
        return Understanding("query_order_status", "unclear right after an order was asked about: the same question")
    return Understanding(intent)


_SECOND_CLAUSE = re.compile(r"(?:另外|顺便(?:问下|问一下|问问)?|还有个问题|还想问(?:下|一下)?|对了)[，,、:： ]*(.{2,40})$")


# Where one message holds two requests: between its clauses, or at the words that start the second.
# (apple watch: a space inside a name is no break)
_CLAUSE_BREAK = re.compile(r"[，,。；;！!？?]+|(?<![A-Za-z])\s+|\s+(?![A-Za-z])|顺便|另外|对了|然后|还有")
_CHECK_FOR_ME = re.compile(r"(?:帮我|给我)?查(?:一)?下|帮我查|给我查")
_DISPATCH_ASKED = re.compile(r"(?:啥|什么)时候(?:能|才)?发(?:货|出)|发货了(?:吗|没)|发了(?:吗|没)|到了(?:吗|没)")


def _another_order_request(intent: str, text: str, state: DialogueState) -> bool:
    """那单地址写错了 能改吗 · 那单现在到哪了, asked which order to cancel: another request about an order,
    never the awaited one carried out (a return and an exchange, which the NLU confuses, count as one)."""
    if intent not in ORDER_INTENTS or intent == state.last_intent:
        return False
    if intent == "query_order_status":  # the NLU's reading of many answers (就是上周到的那个): only a question
        return bool(STATUS_QUESTION.search(text))
    return not (intent in _RETURN_OR_EXCHANGE and state.last_intent in _RETURN_OR_EXCHANGE)


def order_asked_beside_products(text: str) -> Optional[str]:
    """我上周买的东西发货了吗？顺便想看看蓝牙耳机 → 我上周买的东西发货了吗: the clause asking where the
    customer's own order is, when another clause asks for products; else None."""
    clauses = [clause for clause in _CLAUSE_BREAK.split(text) if clause]
    # (帮我查下华为手机到哪了 · 帮我查下快递: asked of a parcel, so one's own; apple watch啥时候发货啊 顺便看看手机: a
    # thing's dispatch asked beside a search for another kind, one's own order; 口红什么时候发货 想买一支 · 42码的什么
    # 时候能发货 · 帮我查下快递能到新疆吗 ask before buying)
    mine = next((clause for clause in clauses
                 if (_OWN_PURCHASE.search(clause) or _MY_ORDER.search(clause)) and _WHERE_IS_IT.search(clause)), None)
    if mine is not None and len(clauses) > 1:
        return mine if _SHOPPING_WORDS.search(text.replace(mine, "")) else None
    # (the parcel named less plainly, with the products asked for in a clause of their own: 我孙子给我买了个东西 也不知道
    # 到哪了 你帮我瞅瞅 asks no products)
    asked = next((clause for clause in clauses
                  if ((_CHECK_FOR_ME.search(clause) or tracks_a_parcel(clause)) and _WHERE_IS_MINE.search(clause))
                  or re.search(r"查(?:一)?下(?:我的)?(?:快递|物流|订单|包裹)$", clause)
                  or _dispatch_of_another_kind(clause, text)), None)
    wished = asked is not None and any(
        _PRODUCTS_WISHED.search(clause) and not _NOT_WISHED.search(clause)
        and (kinds_mentioned(clause) or unsold_kind_in(clause)) for clause in clauses if clause != asked)
    return asked if wished else None


def _dispatch_of_another_kind(clause: str, text: str) -> bool:
    """apple watch啥时候发货啊 (顺便看看两千以内的手机): when a kind ships, asked beside a search for another kind."""
    named, searched = kinds_mentioned(clause), kinds_mentioned(text.replace(clause, ""))
    return bool(_DISPATCH_ASKED.search(clause) and not _BUYING_NOW.search(text) and named and searched
                and not named & searched)


def unsold_kind_asked(text: str, products_in_view: bool) -> Optional[str]:
    """有充电宝吗 · 你们卖不卖洗衣机 · 想买个手机壳 · 充电宝呢 → 充电宝 · 洗衣机 · 手机壳: a kind the shop does not sell, asked
    for right after a verb of having, buying or looking, or said alone with 有吗 · 呢; None for one only mentioned (还得
    带帽子 · 前置摄像头多少像素 · 开封后要放冰箱吗 · 怎么没有充电器), one's own purchase, and an accessory asked of the
    products in view without a verb of buying (有充电器吗 · 充电器要单独买吗: what comes in the box)."""
    found = unsold_kind_at(text)
    if not found or _OWN_PURCHASE.search(text) or NAMES_AN_ORDER.search(text) or _ANGER.search(text) \
            or _SOMETHING_MISSING.search(text):
        return None
    unsold, start, end = found
    folded = fold(text)
    before, after = folded[:start], folded[end:]
    bought = _BUYS_RIGHT_BEFORE.search(before)
    if products_in_view and (is_accessory(unsold) or not bought):
        return unsold if bought and is_accessory(unsold) and not _COMES_WITH.match(after) else None
    alone = _NOTHING_BEFORE.fullmatch(before) and _ASKS_IF_HAD_AFTER.fullmatch(after)
    return unsold if bought or _HAS_RIGHT_BEFORE.search(before) or alone else None


def unsold_brand_asked(text: str) -> Optional[str]:
    """有没有戴森的 · 戴森的呢 · 想看看大疆 → 戴森 · 大疆: a brand the shop does not sell asked for (bot/catalog/
    common_brands.yml); None for one only mentioned or one's own purchase."""
    brand = unsold_brand_in(text)
    if not brand or _OWN_PURCHASE.search(text) or NAMES_AN_ORDER.search(text) or _ANGER.search(text):
        return None
    asked = re.search(r"买|卖|推荐(?!了)|想要|看看|看下|有没有|有(?:[^，。,.!?！？]{0,8})(?:吗|么|嘛)|的(?:呢|吗|么|嘛)", text)
    return brand if asked else None


# 想看看一千以内的降噪耳机 · 顺便推荐个篮球鞋 · 再买个手机: products wished for (不想买 · 朋友推荐了 · 买个手机怎么这么麻烦 ·
# 有没有都无所谓了 are none)
_PRODUCTS_WISHED = re.compile(r"(?<![不没])(?<!不想)(?:想看看|看看|看下|瞅瞅|推荐(?!了)|想买|再买|买个|买双|买件|买台|来个|来双|有没有)")
_NOT_WISHED = re.compile(r"不想|再也不|无所谓|麻烦|烦|不买|别推荐")


# The requests beside which products asked for are searched after the order's answer (beside an exchange or a return,
# 有没有43的 asks after the replacement).
ORDER_CHANGES_BESIDE_PRODUCTS = frozenset({"cancel_order", "change_order_info"})


def products_asked_beside(text: str) -> Optional[str]:
    """我待付款那个bose耳塞帮我取消了吧 太贵了 想看看一千以内的降噪耳机 → 想看看一千以内的降噪耳机: the rest of the message
    from a later clause asking for a kind of product with no word of an order in it; None when none does."""
    clauses = [clause for clause in _CLAUSE_BREAK.split(text) if clause]
    asking = next((clause for clause in clauses[1:]
                   if _PRODUCTS_WISHED.search(clause) and not _ORDER_WORDS.search(clause)
                   and not _NOT_WISHED.search(clause) and (kinds_mentioned(clause) or unsold_kind_in(clause))), None)
    return text[text.find(asking):] if asking else None


def second_question(text: str) -> Optional[str]:
    """降噪耳机有推荐的嘛，另外能开发票不 → 能开发票不 · 想买个ipad 学生用 能分期吗 → 能分期吗: a question
    asked after the request, if any (a last clause on a service topic counts without 另外)."""
    found = _SECOND_CLAUSE.search(text)
    if found:
        return found.group(1).strip()
    asked_first = re.match(r"([^？?]+[？?])(.+)", text.strip())
    if asked_first and (_ASKS_SERVICE_HOURS.search(asked_first.group(1)) or _service_topic(asked_first.group(1))):
        return asked_first.group(1).strip()  # 人工客服几点上班？…今天先帮我看看耳机: asked first, answered after the cards
    clauses = [clause for clause in re.split(r"[\s，,。；;!！]+", text.strip()) if clause]
    last = clauses[-1] if len(clauses) > 1 else ""
    return last if last and _service_topic(last) and _ASKS.search(last) else None


# The words around a child's age said alone: whose it is and how (我家宝宝才十个月大呀).
_AROUND_AN_AGE = re.compile(r"我家|我们家|朋友家|他家|她家|宝宝|宝贝|孩子|小孩|娃|他|她|儿子|女儿|闺女|外甥女?|侄子|侄女|孙子|孙女"
                            r"|小?男孩子?|小?女孩子?|男宝|女宝|男生|女生|今年|现在|已经|刚刚|刚|才|快|满|大|了|多|啦|呀|啊|哦|的|吧|是|其实"
                            r"|[\s，,。.!！~～]")


def _asks_only_a_variant(text: str, entities: Iterable[Mapping[str, Any]]) -> bool:
    """那藏青的M呢 · 黑色42有吗: a colour or size asked, and nothing else."""
    core = re.sub(r"^(?:那|那么|那就|还有)", "", text.strip())
    core = re.sub(r"(?:的)?(?:呢|有吗|有没有|还有吗|有货吗|有货没)?[？?。.!！\s]*$", "", core)
    return bool(core) and _only_a_variant(core, entities, text)


def _only_a_variant(tail: str, entities: Iterable[Mapping[str, Any]], text: str) -> bool:
    """Whether ``tail``, the last words of ``text``, holds nothing but the colours and sizes marked in it
    (粉色38 · 黑的42码), not another question (多少钱 · 有什么优惠)."""
    tail_start = text.rfind(tail)
    covered = [(entity["start"], entity["end"]) for entity in entities if entity.get("entity") in ("color", "size")
               and isinstance(entity.get("start"), int) and isinstance(entity.get("end"), int)]
    left = "".join(char for index, char in enumerate(tail)
                   if not any(start <= tail_start + index < end for start, end in covered))
    return tail_start >= 0 and bool(covered) and not re.sub(r"[的码号色]", "", left)


def _distinct_values(entities: Iterable[Mapping[str, Any]], name: str) -> int:
    """How many different values of entity ``name`` are wanted (我同事说特步的不错 就看特步吧: one brand, said twice)."""
    return len({entity.get("value") for entity in entities
                if entity.get("entity") == name and not entity.get(REJECTED)})


def _own_parcel_asked(intent: str, text: str, state: DialogueState) -> bool:
    """手表啥时候发 · 面包服粉色显黑 能换个白色吗 with nothing searched yet (the kind named by this message alone):
    one's own parcel asked after or sent back, not conditions of a search."""
    if state.cards_shown or state.searched or _SHOPPING_WORDS.search(text):
        return False
    return (intent == "query_order_status" and bool(STATUS_QUESTION.search(text))) or (
        intent in ("request_exchange", "request_return_refund") and bool(_DISLIKES_WHAT_CAME.search(text)))


def asks_before_buying(text: str) -> bool:
    """今天下单几号能到 · 现在买什么时候发: a delivery asked of a purchase still to make, not of a parcel."""
    return bool(_BUYING_NOW.search(text))


def says_only_a_childs_age(text: str) -> bool:
    """十个月大 · 宝宝十个月 · 他三岁了: a child's age and nothing else."""
    return child_age_in_months(text) is not None and not _AROUND_AN_AGE.sub("", child_ages_removed(text))


def _shopping(wanted: set, state: DialogueState, reason: str) -> Understanding:
    if "product_category" in wanted or not (state.shopping or state.cards_shown):
        return Understanding("request_recommendation", reason)
    return Understanding("inform_preference", reason)
