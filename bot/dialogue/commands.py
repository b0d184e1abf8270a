"""Customer commands the NLU taxonomy has no intent for: 我的工单 · 我的提醒 / 退订 · 忘掉我的偏好 · 关闭个性化推荐.

nlu-taxonomy.md is binding, so the NLU reads these as whatever intent is nearest, at
times out_of_scope or a greeting. The words decide: the actions answer them first
(actions/commands.py), and UnderstandingPolicy sends them to an action that does
even where the NLU's intent would get a canned reply.
"""

from __future__ import annotations

import re

# 我的工单怎么样了 / 售后进度 / TK2026…: a question about tickets (工单), not about an order.
ASKS_ABOUT_TICKETS = re.compile(r"工单|TK\d{6,}|售后(?:单|申请)?的?(?:进度|怎么样|处理)|投诉.{0,6}(?:怎么样|进度|结果|处理(?:得|的)?(?:怎么样|如何|到哪|好了|了吗|了没))",
                                re.IGNORECASE)
# 忘掉我的偏好 / 清除我的浏览记录 / 别记我的尺码了 — not 删除聊天记录 (that is all of the customer's data)
FORGETS = re.compile(r"(?:忘掉|忘记|清除|清空|删掉|删除|别记|不要记).{0,6}(?:偏好|喜好|习惯|浏览记录|看过的|尺码|预算|记住的)"
                     # 把我的喜好记录清了: the thing first, then what is done to it
                     r"|(?:偏好|喜好|浏览记录)(?:记录)?(?:都|也|给我|帮我)?(?:清了|清掉|清空|清除|删了|删掉|删除)"
                     # 我之前搜过的那些 都清掉
                     r"|(?:搜过|看过|浏览过)的[^，。！？,.!?]{0,6}(?:都|也|给我|帮我)?(?:清了|清掉|清空|清除|删了|删掉)"
                     r"|(?:不想|不要|别)(?:让)?(?:你们|你)?记(?:住|着)我")  # 我不想让你们记住我
# 以后别根据我买过的东西推荐了 · 关闭个性化推荐 (个人信息保护法: a customer may refuse being targeted) · 打开个性化推荐
STOPS_PERSONALISING = re.compile(
    r"(?:关闭|关掉|取消|不要|不想要|别|停止?)(?:用)?个性化(?:推荐)?"
    # 别老根据我看过的给我推手机了 · 我不想你们根据我买过的东西给我推荐 · 别按我搜过的东西给我推荐了
    r"|(?:别|不要|不用|别再|不要再|不想(?:让)?(?:你们)?)(?:再|老|总)?(?:根据|按照?|参考|用)[^，。！？,.!?]{0,10}"
    r"(?:买过|看过|搜过|浏览|记录|喜好|偏好|习惯|历史)[^，。！？,.!?]{0,6}(?:推荐|推|猜)")
RESUMES_PERSONALISING = re.compile(r"(?:打开|开启|恢复|重新开|开一下)(?:用)?个性化(?:推荐)?")
# 退订降价提醒 / 取消全部提醒 / 不要再提醒了 / 提醒都不要了 · 我的提醒 / 我设了哪些提醒 / 看看我的降价提醒
CANCELS_ALERTS = re.compile(r"退订(?!单)|(?:取消|关掉|关闭).{0,6}(?:提醒|通知)|(?:不要|不用|别).{0,4}(?:再)?(?:提醒|通知)"
                            r"|(?:提醒|通知)[^，。！？,.!?]{0,4}(?:不要了|不用了|取消|删掉|删了|删除|关掉|关了|关闭|停了|停掉"
                            r"|别发了|不要发了)"
                            # 把上新的那个取消了 · 取消降价那个: an alert named by its kind
                            # (取消订单 还没到货的那个 is an order cancelled: no 单 between)
                            r"|(?:取消|删掉|关掉|不要)[^，。！？,.!?单]{0,4}(?<!没)(?<!没有)(?:上新|到货|补货|降价)(?:的|那个|通知|提醒)(?!.*单)"
                            r"|(?<!没)(?:上新|到货|补货|降价)(?:的|那个)[^，。！？,.!?单]{0,3}(?:取消|不要了|删了|删掉)")
LISTS_ALERTS = re.compile(r"我的.{0,4}提醒|(?:哪些|什么|几个)提醒|提醒(?:列表|有哪些)|查看.{0,2}提醒"
                          r"|(?:订阅|订|关注)了(?:啥|什么|哪些|几个)")
# 提醒怎么取消: how to cancel is asked, the list (which says how) answers it
ASKS_HOW = re.compile(r"怎么|如何|咋")
# 算了 把那个取消吧 · 小米那个不要了 删掉: said just after the list of alerts, one of them is cancelled
CANCELS_ONE = re.compile(r"取消|删掉|删了|删除|不要了|退订|不要它|去掉")

# 上回投诉的那个事后来处理好了 谢谢: news for the shop, not a question about a ticket.
_SETTLED = re.compile(r"处理好了|解决了|搞定了|已经好了|处理完了")
_COMMANDS = (FORGETS, STOPS_PERSONALISING, RESUMES_PERSONALISING, CANCELS_ALERTS, LISTS_ALERTS)


def asks_about_tickets(text: str) -> bool:
    return ASKS_ABOUT_TICKETS.search(text) is not None and _SETTLED.search(text) is None


def is_command(text: str) -> bool:
    """The message is one of the commands above, whatever intent the NLU gave it."""
    return asks_about_tickets(text) or any(pattern.search(text) for pattern in _COMMANDS)
