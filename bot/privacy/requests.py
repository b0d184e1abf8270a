"""The customer's rights in the chat: 导出我的数据 and 删除我的数据, each after a confirmation.

Handled by the conversation gate (bot/channels/conversation_gate.py) before
the bot sees the message, whatever the NLU would make of it (the taxonomy has
no intent for this, and 请删除我的聊天记录 is not a request for a person).  So
neither the request nor the confirmation is written by the turn: erasure runs
under the conversation's lock and nothing of that turn is saved after it.

Whose data (customer-identity.md): a proven customer's whole data, every chat
they wrote from; a guest's own chat.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import unicodedata
from typing import Awaitable, Callable, Mapping, Optional

from bot.privacy.erasure import Eraser, Subject
from bot.privacy.export import Exporter
from bot.privacy.questions import (EXPORT_HOW_EXPLAINED, FAMILY_ORDERS_EXPLAINED, MARKETING_EXPLAINED, NOT_PERSONAL,
                                   OBJECTS_FOR_FAMILY, SOMEONE_ELSES_ORDERS_EXPLAINED, privacy_answer,
                                   privacy_explained)
from bot.privacy.retention import RetentionPolicy
from bot.store.privacy_records import EXPORT_TTL_SECONDS, PrivacyRecords
from bot.store.sealing import default_sealer

logger = logging.getLogger(__name__)

# (上回跟你聊的那些帮我清掉: what was said in the chat)
_DATA = (r"(?:数据|聊天记录|记录|个人信息|信息|资料|隐私|(?:存的|保存的)?(?:收货)?地址|账号|账户|(?:以前|之前|原来)(?:存|记|保存)的"
         r"|聊的(?:那些|这些|内容|东西|话)|聊天内容|对话|(?i:(?<![a-z])(?:data|info|information)(?![a-z])))")
ASKS_ERASURE = re.compile(
    r"(?<!不)(?<!别)(?<!不要)(?<!不想)(?:删除|删掉|删了|删去|清除|清空|清掉|抹掉|抹去|销毁|注销)[^，。！？,.!?]{0,10}" + _DATA
    # 请delete我的personal information · 我想delete my account info: English words take more letters
    + r"|(?i:(?<![a-z])(?:delete|erase|remove))[^，。！？,.!?]{0,20}"
    + _DATA
    # (删出: 删除 mistyped)
    + r"|" + _DATA + r"[^，。！？,.!?]{0,8}(?:删除|删出|删掉|删了|清除|清空|清掉|抹掉|销毁|注销|别留着|不要留着|别保留|不要保留"
    + r"|(?i:(?<![a-z])(?:delete|erase|remove)(?![a-z]))"
    + r"|(?:能|可以)删(?:吗|嘛|么|不|没)?)")  # 地址能删不
ASKS_EXPORT = re.compile(
    r"(?:导出|下载|拷贝|复制|备份|打包|(?i:(?<![a-z])export))[^，。！？,.!?]{0,10}" + _DATA
    + r"|(?:要|给我|发我)[^，。！？,.!?]{0,4}(?:一份|副本)[^，。！？,.!?]{0,8}" + _DATA
    + r"|" + _DATA + r"[^，。！？,.!?]{0,6}(?:导出|副本)"
    # 我要查看你们保存的我的个人资料 (看一下保存的收货地址是哪个 asks which address an order has)
    + r"|(?:查看|看看|看一下|看下)[^，。！？,.!?]{0,2}你们(?:保存|存|收集)(?:的|了)[^，。！？,.!?]{0,4}"
      r"(?:个人资料|个人信息|数据)")
# 帮我删掉 · 那清空一下 · 全删了吧 · 给我导一份, just after a privacy answer: the request it described
FOLLOWS_WITH_ERASURE = re.compile(r"^[^，。！？,.!?]{0,4}(?:删掉|删了|删除|清空|清除|清掉|全删|都删|删)(?:吧|一下|了吧|掉吧)?[。.!！~～]*$")
FOLLOWS_WITH_EXPORT = re.compile(r"^[^，。！？,.!?]{0,4}(?:导出|导一份|发我一份|给我一份)(?:来)?(?:吧|一下)?"
                                 r"(?:给我)?(?:看看|瞧瞧)?(?:吗|不|么|嘛)?[。.!！?？~～]*$")  # 能导出来给我看看不
# 能发我邮箱吗 · 删完跟我说一声, while a confirmation is awaited: about the request, not a reply to it
ABOUT_THE_REQUEST = re.compile(r"邮箱|邮件|发给我|发我|删完|导完|好了(?:跟|告诉|通知)我|多久|多长时间|怎么(?:下载|拿)"
                               r"|格式|也一起|一起删|也删|也要删|包括")
# 那以后下单是不是要重新填, while an erasure waits for its confirmation: what it leaves alone
# (全部 购物记录也算 · 算了购物记录先留着 就删聊天的: the orders, which the shop's system keeps either way)
_ACCOUNT_LEFT = re.compile(r"重新填|重新输|还得填|还要填|下单[^，。！？,.!?]{0,6}(?:地址|填)|账号还在|还能登|购物记录|订单记录|买过的")
ERASURE_LEAVES_THE_ACCOUNT = ("删除的是聊天记录、记住的偏好和提醒；店铺账号、收货地址和订单由店铺的系统保存，不受影响，下单不用重新填。"
                              "回复“确认删除”就删除，回复其他内容就不删除。")
# 存多久 · 那地址呢 · 拿这些干嘛用, right after the privacy answer: a short question on the data just explained
ASKS_ABOUT_THE_DATA = re.compile(r"存|保存|留着|删|导出|格式|地址|手机号|电话|号码|身份证|记录|数据|信息|隐私|干嘛用|"
                                 r"做什么用|多久|谁能看|给谁|卖|聊天")
FOLLOW_UP_LENGTH = 12
# 物流的短信还有没 · 推送也没了吗: which messages the customer still gets
_MESSAGES_ASKED = re.compile(r"(?:短信|推送|广告|通知)[^。！？.!?]{0,6}(?:还有|还会|还发|没了|也没|也停|也关)")
# 那我以后都不买了是不是就自动删了 · 我不想存 每次自己手填行不行: a longer question on whether it is kept
_KEPT_OR_GONE_ASKED = re.compile(r"(?:删|存|留着|备份)[^。！？.!?]{0,12}(?:吗|么|嘛|不|是不是|行不行|没|呢|[?？])"
                                 r"|是不是[^。！？.!?]{0,12}(?:删|存|留着)")
# 确认 · 好的 · 嗯: a yes alone; 好的删吧 · 对 就那个 删 · 嗯 导吧 · 可以 导出来 · 清吧: the deed named with a yes or alone
# (对了 · 行了行了 · 都行 · 嗯嗯 那个: no yes to an erasure)
_YES = r"确认|确定|是的?|对的?|好的?|好滴|好嘞|嗯+|可以|行|没问题|yes|ok|y"
_DEED = r"删除|删掉|删了|全删|都删|删|清除|清空|清掉|清|导出来|导出|导一份|导"
_FILLER = r"[\s，,。.!！~～]|吧|的|啊|呀|哈|就|那就|就那个|掉|一下|给我|帮我|来"
CONFIRMS = re.compile(rf"^(?:{_FILLER})*(?:{_YES}|{_DEED})(?:{_FILLER}|{_YES}|{_DEED})*$", re.IGNORECASE)
DECLINES = re.compile(r"^\s*(?:不|别|算了|取消|不用|不要|先不|no|n)\b|^\s*(?:不|别|算了|取消|不用|不要|先不)",
                      re.IGNORECASE)

ASK_ERASE_CUSTOMER = ("确认要删除您的个人数据吗？会删除您在本店所有聊天窗口的聊天记录、记住的偏好和提醒，"
                      "工单里您的个人信息也会抹去（订单本身由店铺订单系统保存，不在此列）。删除后无法恢复。"
                      "确认请回复“确认删除”，回复其他内容就不删除。")
LOG_IN_FOR_ONES_DATA = ("导出或删除个人数据之前要先确认是您本人：请在店铺网站登录后再跟我说（微信、Telegram 里先绑定店铺账号）。"
                        "没登录时的聊天记录会在保存期限到了以后自动删除。")
_CHAT_DATA = re.compile(r"数据|聊天记录|聊天内容|个人信息|个人资料")
_ERASURE_ORDERED = re.compile(r"(?:全|都)(?:给我)?删(?:了|掉|除)?(?:吧|了吧|掉吧)?|删(?:了|掉|除)吧")
_ASKED = re.compile(r"吗|么|[?？]|会不会|还在|还能|能不能|是不是|怎么|咋|要不要|为什么|为啥")
_ORDERS_THEMSELVES_DELETED = re.compile(r"(?:删除?|删掉|清空)(?:了)?(?:我的)?订单|订单(?:删|数据|被删)")
ASK_EXPORT = ("可以为您导出一份数据副本（聊天记录、记住的偏好、提醒和工单；订单记录由店铺订单系统保存，在“我的订单”里查看），"
              "生成后24小时内可以下载。"
              "确认请回复“确认导出”。")
CANCELLED = "好的，没有删除也没有导出，您的数据保持不变。"
HOW_IT_GOES = {"erase": "删除是立刻完成的：回复“确认删除”后，我马上删除并在这里告诉您结果。回复其他内容就不删除。",
               "export": EXPORT_HOW_EXPLAINED}
UNAVAILABLE = "抱歉，数据处理暂时不可用，您的数据没有任何改动。请过几分钟再试，或联系人工客服。"
EXPORT_UNAVAILABLE = "抱歉，本店还没有开通数据导出的下载，您的数据没有任何改动。请联系人工客服为您导出。"


def erased_reply(chats: int) -> str:
    where = f"{chats}个聊天窗口" if chats > 1 else "这个聊天窗口"
    return (f"已删除：{where}的聊天记录、记住的偏好和提醒都已清除，工单中的个人信息已抹去。"
            "之后如果继续聊天，会作为新的对话开始。")


def exported_reply(url: str) -> str:
    hours = EXPORT_TTL_SECONDS // 3600
    return f"您的数据副本已生成，{hours}小时内可以下载（JSON 文件）：{url}"


def confirms(text: str, pending: str) -> bool:
    """Whether ``text`` says yes to the ``pending`` request (erase · export); naming the other deed is no yes."""
    other = r"导" if pending == "erase" else r"删|清"
    return CONFIRMS.match(text) is not None and re.search(other, text) is None


# 这个聊天会被录下来？？马上删了: the chat just spoken of, its deletion demanded
_DELETION_DEMANDED = re.compile(r"(?:马上|立刻|立即|赶紧|给我|全都|全部|都)(?:给我)?删(?:了|掉|除)")
_CHAT_SPOKEN_OF = re.compile(r"聊天|对话|录下来|录音|记录")


def privacy_request(text: str) -> Optional[str]:
    """``erase`` / ``export`` when the message asks for it, else None."""
    text = unicodedata.normalize("NFKC", text or "")
    if _DELETION_DEMANDED.search(text) and _CHAT_SPOKEN_OF.search(text) and not NOT_PERSONAL.search(text):
        return "erase"
    if NOT_PERSONAL.search(text):
        # 导出我的聊天记录和订单 · 我的数据能导出吗 包括订单: the chat's data asked for, orders beside it (the
        # confirmation says orders stay with the order system)
        # 把我账号里的个人信息全删了吧 订单 地址 手机号都删: the same for an erasure ordered outright (orders stay, as its
        # confirmation says); 删了数据订单还在吗 · 我的订单数据怎么被删除了 ask, they order nothing
        if _CHAT_DATA.search(text) and ASKS_ERASURE.search(text) and _ERASURE_ORDERED.search(text) \
                and not _ASKED.search(text) and not _ORDERS_THEMSELVES_DELETED.search(text):
            return "erase"
        return "export" if _CHAT_DATA.search(text) and ASKS_EXPORT.search(text) else None
    if ASKS_ERASURE.search(text):
        return "erase"
    if ASKS_EXPORT.search(text):
        return "export"
    return None


# What the chat's pending privacy record holds just after a privacy question was answered (no request yet).
TOLD = "told"
TOLD_OF_OTHERS_ORDERS = "told_of_others_orders"  # someone else's orders were asked for and refused
Tell = Callable[[str], Awaitable[None]]
RunLocked = Callable[[Callable[[], Awaitable[str]]], Awaitable[str]]


class PrivacyDesk:
    """Answers privacy requests; ``download_url`` turns an export token into the link the customer gets."""

    def __init__(self, eraser: Eraser, exporter: Exporter, download_url: Callable[[str], str]) -> None:
        self.eraser = eraser
        self.exporter = exporter
        self.records = eraser.records
        self.download_url = download_url

    async def answer(self, chat: str, customer_id: Optional[str], text: str, tell: Tell,
                     locked: RunLocked) -> bool:
        """Whether the message was a privacy request or its confirmation (then it was answered through ``tell``)."""
        pending = await self.records.pending(chat)
        normalized = unicodedata.normalize("NFKC", text or "")
        if pending in (TOLD, TOLD_OF_OTHERS_ORDERS):
            # the privacy answer before said how to erase or export: 帮我删掉 asks for it
            await self.records.answered(chat)
            follow_up = "erase" if FOLLOWS_WITH_ERASURE.match(normalized) else (
                "export" if FOLLOWS_WITH_EXPORT.match(normalized) else None)
            if follow_up:
                return await self._ask(chat, customer_id, follow_up, tell)
            if pending == TOLD_OF_OTHERS_ORDERS and len(normalized.strip()) <= 2 * FOLLOW_UP_LENGTH \
                    and OBJECTS_FOR_FAMILY.search(normalized):
                await self.records.ask(chat, TOLD_OF_OTHERS_ORDERS)
                await tell(FAMILY_ORDERS_EXPLAINED)
                return True
            if len(normalized.strip()) <= 2 * FOLLOW_UP_LENGTH and _MESSAGES_ASKED.search(normalized):
                # (别给我发营销短信了 →) 关了以后物流的短信还有没: which messages still come
                await self.records.ask(chat, TOLD)
                await tell(MARKETING_EXPLAINED)
                return True
            if (len(normalized.strip()) <= FOLLOW_UP_LENGTH and ASKS_ABOUT_THE_DATA.search(normalized)) or (
                    len(normalized.strip()) <= 2 * FOLLOW_UP_LENGTH and _KEPT_OR_GONE_ASKED.search(normalized)):
                # 存多久 · 那地址呢 · 导出来是啥格式: a question on what was just explained
                await self.records.ask(chat, TOLD)
                await tell(HOW_IT_GOES["export"] if "导出" in normalized
                           else privacy_explained(RetentionPolicy.from_env()))
                return True
        elif pending:
            if pending == "erase" and _ACCOUNT_LEFT.search(normalized):
                await tell(ERASURE_LEAVES_THE_ACCOUNT)  # still awaiting the confirmation
                return True
            if ABOUT_THE_REQUEST.search(normalized) and not confirms(normalized, pending):
                await tell(HOW_IT_GOES[pending])  # still awaiting the confirmation
                return True
            await self.records.answered(chat)
            if normalized.strip() and confirms(normalized, pending) and not DECLINES.match(normalized):
                if pending == "erase":
                    await tell(await locked(lambda: self._erase(chat, customer_id)))
                else:
                    await tell(await self._export(chat, customer_id))
                    await self.records.ask(chat, TOLD)  # (导出来的文件发到哪 next is a question on it)
                return True
            if DECLINES.match(normalized):
                await tell(CANCELLED)
                return True
        request = privacy_request(text)
        if request is None:
            answer = privacy_answer(text, customer_id, RetentionPolicy.from_env())
            if answer is None:
                return False
            await self.records.ask(chat, TOLD_OF_OTHERS_ORDERS if answer == SOMEONE_ELSES_ORDERS_EXPLAINED else TOLD)
            await tell(answer)
            return True
        return await self._ask(chat, customer_id, request, tell)

    async def _ask(self, chat: str, customer_id: Optional[str], request: str, tell: Tell) -> bool:
        """Asks to confirm an erasure or export (the next message answers it); a guest is asked to log in first,
        as a chat's sender id proves nobody (customer-identity.md: export and erasure only for a proven customer)."""
        if not customer_id:
            await self.records.ask(chat, TOLD)  # (好的删吧 · 那就这次聊天的呢 next are answered as follow-ups)
            await tell(LOG_IN_FOR_ONES_DATA)
            return True
        await self.records.ask(chat, request)
        await tell(ASK_EXPORT if request == "export" else ASK_ERASE_CUSTOMER)
        return True

    async def _erase(self, chat: str, customer_id: Optional[str]) -> str:
        subject = await self.eraser.subject(customer_id, chat)
        report = await self.eraser.erase(subject, "customer")
        return erased_reply(report.chats)

    async def _export(self, chat: str, customer_id: Optional[str]) -> str:
        if self.records.sealer is None:
            return EXPORT_UNAVAILABLE
        subject: Subject = await self.eraser.subject(customer_id, chat)
        token = secrets.token_urlsafe(24)
        await self.records.keep_export(token, await self.exporter.document(subject))
        await self.records.audit("export", "customer", subject.audit_name, {"chats": len(subject.chats)})
        return exported_reply(self.download_url(token))


DOWNLOAD_PATH = "/shop/my-data/"


def download_url(token: str, environ: Optional[Mapping[str, str]] = None) -> str:
    """The export's link: under ``PUBLIC_BASE_URL`` when the shop set it, else a path the widget's page opens."""
    base = ((environ or os.environ).get("PUBLIC_BASE_URL") or "").strip().rstrip("/")
    return f"{base}{DOWNLOAD_PATH}{token}"


def privacy_desk(client, key_prefix: str) -> PrivacyDesk:
    """The desk of a rasa server: its Redis, the shop's privacy key from the environment."""
    records = PrivacyRecords(client, key_prefix, default_sealer())
    return PrivacyDesk(Eraser(client, key_prefix, records), Exporter(client, key_prefix, records), download_url)


__all__ = ["DOWNLOAD_PATH", "PrivacyDesk", "download_url", "privacy_desk", "privacy_request"]
