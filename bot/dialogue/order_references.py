"""Which of the customer's listed orders a reply means (订单指代): ``第一个`` · ``最近那单`` ·
``还没发货的那个`` · ``笔记本那单``.

After the bot lists a customer's orders and asks which one, people answer with a
position, with recency, with the order's state or with what they bought, rarely with the
number.  ``referenced_order`` reads those answers; None when the text names no order.
"""

from __future__ import annotations

import re
import time
from decimal import Decimal
from typing import Optional, Sequence

from bot.catalog.model import fold, with_model_names
from bot.catalog.vocabulary import kinds_in_words, kinds_mentioned, kinds_of_item, leaves_named
from bot.dialogue.references import referenced_positions
from bot.language.budget import amounts_said, find_budget, parse_budget
from bot.orders.models import CANCELLED, Order

_RECENT = re.compile(r"最近|最新|刚(?:才|刚)?(?:下|买|拍|付)?的?(?:那|这)?(?:个|单|笔)?|上一单|就是刚才|新下的"
                     r"|上周|上个月|前几天|前两天|昨天")
# What the customer says of an order's state, and the states it fits.
_STATE_WORDS = (
    (re.compile(r"没(?:有)?发货|未发货|待发货|还没发|还不发|不发货|没发的"), ("待发货",)),
    (re.compile(r"没(?:有)?付|未付|待付款|没付款"), ("待付款",)),
    (re.compile(r"在路上|运输|发了货|已发货|已经发|发出|发货了|还没到|没收到|没到"), ("已发货",)),
    (re.compile(r"(?<!没)签收|(?<!没)收到了|(?<!没)到了的|已收货"), ("已签收",)),
    (re.compile(r"退款中|在退|寄回|退回去|退款(?:的|那)"), ("退款中",)),
)
# 那单到哪了 · 物流呢 · 发货了吗: where an order stands, asked (not said of the order meant: 就是还没到的那个)
STATUS_QUESTION = re.compile(r"到哪|物流|运单|单号(?:是)?多少|什么时候(?:能)?到|啥时候(?:能)?到|几天(?:能)?到|发货了?(?:吗|没)"
                             r"|发了(?:吗|没)|(?:什么|啥)时候(?:能|可以|才能|才)?发(?:货|出|(?=[吗呀啊呢?？\s]|$))"
                             r"|签收了(?:吗|没)|(?:什么|啥)时候签收|哪天签收|签收人|谁签(?:收)?的|进度|状态|到没到|发没发"
                             # 我的order ship了没 · tracking number是多少: typed with English words (能track睡眠吗 is a watch's)
                             r"|(?<![a-z])(?:(?:ship|deliver)(?:了|没)|shipped|delivered|tracking|track(?:一下|下|了))",
                             re.IGNORECASE)
# What a question about where things stand asks of, when the customer names no order: the only order in
# transit (我的快递到哪了), the only one waiting to ship (怎么还没发货), the only refund under way.
_ASKED_STATES = (
    (re.compile(r"退款|退钱|钱(?:什么时候|啥时候|多久)?(?:退|到账)"), ("退款中",)),
    (re.compile(r"到哪|物流|快递|运单|派送|派件|什么时候(?:能)?到|啥时候(?:能)?到|几天(?:能)?到|还没(?:到|收到)|没收到"),
     ("已发货",)),
    (re.compile(r"发货|还没发|不发|什么时候发|啥时候发|发了(?:吗|没)"), ("待发货",)),
)
# Which listed order a reply means: 最近那单 · 第一个 · 就那个已经寄回去的 · 上周买的那双.
ORDER_REFERENCE = re.compile(
    r"第\s*[一二两三四五1-5]\s*[个单笔]|最近|最新|刚(?:才|刚)?|上周|上个月|前几天|昨天|那单|这单|那一单|这一单|那笔|那个|那双|那件|那台|那条|那瓶|那罐|那部|那支"
    r"|已经|还没发货|没发货|寄回(?:去|来)?的")
# 另一单呢 · 别的订单: another of the customer's orders than the one just told, not yet named
ANOTHER_ORDER = re.compile(r"另(?:一|外一?)(?:单|个订单|笔|个单)|别的(?:订单|单)|其[他它](?:订单|的单|那单)")
# 买耳机那单 · 这笔: words only an order is called by (a kind beside them is what the order holds).
# The couriers' names as customers say them (顺丰速运 is 顺丰)
COURIERS = r"顺丰|中通|圆通|韵达|申通|京东快递|极兔|邮政|EMS|德邦"
# (order之后几天能到: to order, no order of one's own)
NAMES_AN_ORDER = re.compile(r"[那这哪]一?单|[那这]笔|订单|单子|(?:我的|这个|那个|那笔|的)\s*order(?![a-z])|order\s*(?:号|number|id)",
                            re.IGNORECASE)
# 刚才那两台电脑哪个好 · 这几款: several products at once are those on the screen (an order is meant alone).
_SEVERAL_SHOWN = re.compile(r"[这那](?:两|几|俩|2)(?![天日周星月年])(?:个|台|款|双|件|部|支|条|瓶)?|哪(?:个|款|台|双|件|部|支)(?:更|最|比较)?好")
# 不退了 · 先不换了 · 不是换货: the request the bot asked an order for is withdrawn (or was none), whatever
# else is said.
WITHDRAWS = re.compile(r"不(?:退|换|取消|改|查)了|先不(?:退|换|取消|改|查)|不用(?:退|换|取消|改|查)|不想(?:退|换|取消|改)了"
                       r"|(?:退货|退款|换货)(?:等会|待会|回头|以后)再?说"
                       r"|不是(?:要)?(?:换货|退货|退款|退换)")  # 换款 不是换货哈: said to be no after-sales at all
# 算了 我重新买一支 · 那就再来一罐君乐宝的: a new one bought, not an order already placed.
BUYS_ANEW = re.compile(r"重新买|再(?:买|来|拿|要|囤)一?[支瓶个双件台部条盒套罐袋箱]")
# 算了 · 等下 · 先帮我看看…: something else first, unless an order is named too.
# 77块那个面霜 · 388那个 · 2699那单: the sum an order was paid, pointed at (no budget)
_SUM_POINTED = re.compile(r"[0-9零一二两三四五六七八九十百千万.]+\s*(?:块钱|块|元)?(?:的)?那(?:个|单|笔|件|双|瓶|台)")
_PUTS_OFF = re.compile(r"算了|等(?:下|一下|会儿?)|先(?:帮我)?(?:看|挑|找)|另外")
# 接着看刚才的 · 继续挑: back to the products shown before; 刚才 there is no order.
RESUMES_SHOPPING = re.compile(r"(?:接着|继续|回去|回头)(?:看|挑|逛|选|找)|(?:回(?:到)?|接着|继续)(?:刚才|刚刚)(?!.{0,10}(?:单|退|换|问题|发货|发了|快递|物流|到哪|第.个))"
                              r"|看回(?:刚才|刚刚)"
                              # 奶粉还是看刚才那个价的进口的: the search taken up again
                              r"|还是看(?!不|看不|.{0,10}(?:单|退|换|问题|物流|快递))"
                              # 嗯 刚才的电脑 要笔记本 · 刚才的手机 有没有小米的: the products looked at before, not an
                              # order (刚才的耳机要退 is one)
                              r"|刚才(?:的|看的)(?!单|那单|订单|包裹|快递|物流|退款)[\u4e00-\u9fff]{1,4}\s*"
                              r"(?:要|看|挑|选|有没有|有没|还有)(?!退|换|取消|改)")
# 好 手机那个看看蓝色的 · 面霜要保湿的，干皮用: products to look at or wished for, not an order.
_BROWSES = re.compile(r"(?:看看|看下|瞅瞅|瞧瞧|康康)[^，。,.]{0,4}(?:色|款|码)(?:的|吧|呢)?|要(?!退|换|取消|改)[\u4e00-\u9fff]{1,4}的")
# Words of an item title that say what it is (笔记本 · 奶粉 · 耳机), two characters or longer.
_TITLE_WORD = re.compile(r"[\u4e00-\u9fff]{2,}|[a-z0-9]{3,}")


# Orders nothing more can be asked of: refunded or being refunded, cancelled; and the words that ask about them.
_DONE_WITH = frozenset({"退款中", CANCELLED})
_SAYS_DONE = re.compile(r"退|取消|撤")
# 跟它一起买的鞋呢 · 同一单里的T恤: an item of the order just talked about
_BOUGHT_TOGETHER = re.compile(r"一起(?:买|下单|拍|订|付)|一块儿?(?:买|下单|拍)|同一(?:单|个订单|笔)|那单里|这单里")


def referenced_order(text: str, orders: Sequence[Order], now: Optional[float] = None,
                     focus: Optional[str] = None, unique: bool = False, asked_with: str = "") -> Optional[Order]:
    """The order of ``orders`` (as listed to the customer, newest first) the text refers to; ``focus``: the id
    of the order talked about just before; ``asked_with``: the request the bot asked which order for (我要退货
    鞋子磨脚 → 就是已经签收的那双: the signed-for order with shoes).

    ``unique``: None rather than the newest when the words fit several orders equally (羽绒服 with two
    down jackets bought): a change such as a cancellation is made only on the order the customer chose.
    """
    if not orders:
        return None
    focused = next((order for order in orders if order.id == focus), None)
    if focused is not None and _BOUGHT_TOGETHER.search(text):
        return focused
    rows = [{"title": " ".join(item.title for item in order.items), "brand": ""} for order in orders]
    positions = referenced_positions(text, rows)
    named = _best_named(text, orders, asked_with)
    if len(positions) == 1 and (not named or orders[positions[0]] in named):
        return orders[positions[0]]  # 空军一号 names an item, not the first order
    amounts = amounts_said(text)
    priced = [order for order in orders if amounts & _sums_of(order)]
    about = _ABOUT_A_SUM.search(text)
    sums = parse_budget(about.group(1)) if about and not priced else None
    if sums is not None and sums.low is not None and sums.high is not None:
        # 200多那单 · 一千左右那个: the order paid about that much
        priced = [order for order in orders if sums.low <= Decimal(str(order.total)) <= sums.high]
    if priced:
        # 2699那个订单 · 77块那个面霜: the order paid that much, or holding an item of that price
        priced = [order for order in priced if order in named] or priced
        return None if unique and len(priced) > 1 else priced[0]
    by_courier = [order for order in orders if order.courier and order.courier[:2] in text]
    if by_courier and not named:
        # 圆通那个: the parcel that courier carries (顺丰速运 is said 顺丰)
        return None if unique and len(by_courier) > 1 else by_courier[0]
    days = _days_ago(text)
    received = _RECEIVED.search(text) is not None and not _NOT_RECEIVED.search(text)
    if unique or not _SAYS_DONE.search(text):
        # 昨天买的空军一号发货没, with a pair refunded and one bought again: the open one (退款的那个 asks for the
        # other); a change is only ever made on an open order
        orders = [order for order in orders if order.state not in _DONE_WITH] or orders
        named = [order for order in named if order.state not in _DONE_WITH] or named
    for pattern, states in _STATE_WORDS:
        if pattern.search(text) or (received and "已签收" in states):
            fitting = [order for order in orders if order.state in states]
            if named and not set(named) & set(fitting):
                break  # 退款的洗面奶钱还没到: the item named decides, 没到 is said of the money
            if fitting:
                hinted = [] if named or not asked_with else _best_named(asked_with, fitting)
                fitting = [order for order in fitting if order in named] or hinted or fitting
                return _nearest_in_time(fitting, days, received, now) if days is not None else fitting[0]
    if named:
        if days is not None:
            return _nearest_in_time(named, days, received, now)
        return None if unique and len(named) > 1 else named[0]
    if days is not None:  # 上周买的那个: the order of that time, not simply the newest
        return _nearest_in_time(orders, days, received, now)
    if _RECENT.search(text):
        return max(orders, key=lambda order: order.created_at)
    return None


# 昨天 · 前几天 · 上周 · 半个月前 · 10天前: how many days ago the customer places an order
_DAYS_AGO = ((re.compile(r"昨天|昨儿"), 1), (re.compile(r"前天"), 2), (re.compile(r"前几天|前两天|这几天"), 3),
             (re.compile(r"上周|上个?星期|上个?礼拜|一周前|一个星期前"), 7), (re.compile(r"半个月"), 15),
             (re.compile(r"上个?月|一个月前"), 30))
_N_DAYS_AGO = re.compile(r"([0-9]{1,2}|[一二两三四五六七八九十]{1,2})\s*天(?:前|之前|以前)")
_N_WEEKS_AGO = re.compile(r"([0-9]|[一二两三四五六七八九十])\s*(?:周|个星期|个礼拜)(?:前|之前|以前)")
_CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
# 上周到的那个 · 收到的那单: an order delivered (签收), not one still under way (还没到的)
_RECEIVED = re.compile(r"到的|到了的|收到的|签收的")
_NOT_RECEIVED = re.compile(r"没(?:有)?(?:收|到|签)")


# 200多那单 · 一千左右的那个 · 三百来块那笔: a sum said roughly, naming an order
_ABOUT_A_SUM = re.compile(r"((?:[0-9]+|[一二两三四五六七八九十百千万]+)(?:多|来|左右|出头)(?:块|元)?(?:钱)?)(?:的)?(?:那|这)")


def _sums_of(order: Order) -> set:
    """What a customer may remember an order by: what was paid, and each item's price."""
    return {Decimal(str(order.total))} | {Decimal(str(item.price)) for item in order.items}


def _days_ago(text: str) -> Optional[float]:
    counted = _N_DAYS_AGO.search(text)
    if counted:
        return float(_number(counted.group(1)))
    weeks = _N_WEEKS_AGO.search(text)
    if weeks:
        return 7.0 * _number(weeks.group(1))
    return next((float(days) for pattern, days in _DAYS_AGO if pattern.search(text)), None)


def _number(word: str) -> int:
    """12 · 三 · 十 · 十二 · 二十."""
    if word.isdigit():
        return int(word)
    tens, _, units = word.partition("十")
    if "十" not in word:
        return _CHINESE_DIGITS[word]
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[units] if units else 0)


def _nearest_in_time(orders: Sequence[Order], days: float, received: bool, now: Optional[float]) -> Order:
    """The order bought (or, ``received``, signed for) closest to ``days`` ago."""
    now = time.time() if now is None else now

    def distance(order: Order) -> float:
        at = order.signed_at if received and order.signed_at else order.created_at
        return abs((now - at) / 86400 - days)
    return min(orders, key=distance)


def order_asked_about(text: str, orders: Sequence[Order]) -> Optional[Order]:
    """我的快递到哪了 with one order in transit: that order; None when the question fits none or several."""
    for pattern, states in _ASKED_STATES:
        if pattern.search(text):
            fitting = [order for order in orders if order.state in states]
            return fitting[0] if len(fitting) == 1 else None
    return None


# 牛仔裤 · 那件白色T恤 · 篮球鞋那单: an item alone, said when the bot asked which order (the order holding it)
_ITEM_ALONE = re.compile(r"(?:就是|是)?(?:那|这)?(?:件|双|条|个|台|部|瓶|支|款|单|罐)?[^\s，。,.!！?？]{1,8}?"
                         r"(?:那单|那个|那件|那双|那条|的|吧)?[。.!！]?")
_NOT_AN_ANSWER = re.compile(r"推荐|想买|想要|看看|看下|来个|来双|来件|有没有|买|要|多少钱|吗|呢|么|啥|什么")


def names_only_an_item(text: str) -> bool:
    """The message is a kind of product and nothing else (牛仔裤 · 那件白色T恤): an answer to which order."""
    text = text.strip()
    return bool(_ITEM_ALONE.fullmatch(text)) and not _NOT_AN_ANSWER.search(text) and bool(kinds_in_words(text))


def leaves_order_request(text: str, intent: str) -> bool:
    """While the bot waits to hear which order: does this message turn to something else?

    算了不退了 帮我看看连衣裙 · 行 另外想买瓶控油的洗发水 · 等下 先帮我看看羽绒服 name products
    that may also be in an order; read as an answer, they would carry out a refund nobody asked for.
    行 接着看刚才的 44码 goes back to the products: its 刚才 means them, not the newest order.
    """
    if WITHDRAWS.search(text) or RESUMES_SHOPPING.search(text) or BUYS_ANEW.search(text) \
            or (find_budget(text) and not _SUM_POINTED.search(text)) or _BROWSES.search(text) \
            or _SEVERAL_SHOWN.search(text):
        return True  # 预算别超过500: a budget is said of products to buy, never of an order bought
    if ORDER_REFERENCE.search(text) or names_only_an_item(text):
        return False
    # a stock question or a comparison is about products to buy, never an answer to which order
    return bool(_PUTS_OFF.search(text)) or intent in ("request_recommendation", "check_stock", "compare_products")


def holds_item_named(text: str, order: Order) -> bool:
    """Whether the text names one of the order's items (its kind, brand or words of its title)."""
    folded, kinds = with_model_names(text), set(kinds_in_words(text))
    return any(_item_score(folded, kinds, item) for item in order.items)


def names_an_item_by_title(text: str, order: Order) -> bool:
    """Whether the text names one of the order's items by its title (空军一号 · Precision), not by one piece of it
    that other words share (保暖 · 显瘦), or by the nickname shoppers give its model (AF1)."""
    folded = with_model_names(text)
    return any(_item_score(folded, set(), item) >= 2 for item in order.items)


def order_under_way_named(text: str, orders: Sequence[Order]) -> Optional[Order]:
    """The one order still under way (待发货 · 已发货) whose items the text names best: 平板电脑几天能到 is the
    tablet's parcel, not the laptop's that 电脑 also names; None when it names none, or several alike."""
    named = _best_named(text, [order for order in orders if order.state in ("待发货", "已发货")])
    return named[0] if len(named) == 1 else None


def item_talked_about(order: Order, texts: Sequence[str]):
    """The order's item named last: the texts newest first, each clause from its end (篮球鞋跟牛仔裤那单 裤子要退:
    the jeans); its only item when none is named; None when a clause fits several alike."""
    for text in texts:
        for clause in reversed(_CLAUSES.split(text or "")):
            folded, kinds = with_model_names(clause), set(kinds_in_words(clause))
            scores = [_item_score(folded, kinds, item) for item in order.items]
            best = max(scores, default=0)
            if best:
                return order.items[scores.index(best)] if scores.count(best) == 1 else None
    return order.items[0] if len(order.items) == 1 else None


_CLAUSES = re.compile(r"[\s，,。.！!？?；;]+")


def _best_named(text: str, orders: Sequence[Order], context: str = "") -> list:
    """The orders whose items the text names best (李宁羽绒服 · 白色那件羽绒服 over any down jacket), newest first;
    the kind of ``context`` counts where the text names none (羽绒服到了没 → 米色那件)."""
    folded = with_model_names(text)  # AF1那单 names the Air Force 1
    kinds = set(kinds_in_words(text) or kinds_in_words(context))
    # 羽绒服跟鞋那单: of the orders naming the down jacket as well, the one that also holds the shoes
    every_kind = set(kinds_mentioned(text)) | (set(leaves_named("鞋")) if "鞋" in folded else set())
    scores = [(max(_item_score(folded, kinds, item) for item in order.items),
               len(_kinds_held(order) & every_kind)) if order.items else (0, 0) for order in orders]
    best = max(scores, default=(0, 0))
    return [order for order, score in zip(orders, scores) if best[0] and score == best]


def _kinds_held(order: Order) -> frozenset:
    """The kinds of the order's items (a down jacket and shoes: 羽绒服 · 休闲鞋)."""
    return frozenset().union(*(kinds_of_item(item.title, item.category) for item in order.items))


_MODEL_WORD = re.compile(r"[a-z]+[0-9]+[a-z0-9]*")
# 想换S · 换成M · 要XL的: a size wanted, which names no item bought
_SIZE_WANTED_BEFORE = re.compile(r"(?:换|换成|换个|改成|改|要|想要|到)\s*$")


def _item_score(folded_text: str, kinds: set, item) -> int:
    """How much of an item the text names: pieces of its title, its kind (洗面奶 for a 洁面乳), its colour."""
    words = _TITLE_WORD.findall(fold(item.title))
    # 笔记本电脑 in a title is named by 笔记本 or 电脑: any two-character piece of a title word
    # digits name no item: 50 of 750ml is in a budget of 500 as much as in the title
    # a piece opening on 子 straddles two words (男子小白鞋 → 子小, met by 鞋子小了): 子 ends words, it rarely starts one
    pieces = {word[i:i + 2] for word in words for i in range(len(word) - 1)
              if word[i:i + 2] not in _COMMON_PIECES and not any(char.isdigit() for char in word[i:i + 2])
              and word[i] != "子"}
    score = sum(piece in folded_text for piece in pieces)
    # KT9 · mate60 · s9: a model's letters and number name the item outright
    score += 2 * sum(bool(re.search(rf"(?<![a-z0-9]){word}(?![a-z0-9])", folded_text))
                     for word in words if _MODEL_WORD.fullmatch(word))
    if kinds & kinds_of_item(item.title, item.category):
        score += 1
    if score and item.color and (item.color in folded_text or f"{item.color.rstrip('色')}的" in folded_text):
        score += 1  # a colour alone names no item: 白色的 is no order
    if score and item.size and any(not _SIZE_WANTED_BEFORE.search(folded_text[:found.start()]) for found in re.finditer(
            rf"(?<![a-z0-9]){re.escape(fold(item.size))}(?![a-z0-9])", folded_text)):
        score += 1  # 羽绒服那单想改下尺码 S换M: the down jacket bought in S, not the one in XXL (换M is wanted)
    return score


# Pieces of titles that name no product (男子 · 女装 · 新款 …; 男女同款 in a title, 同款还有吗 of another item).
_COMMON_PIECES = frozenset({"男子", "女子", "男士", "女士", "男装", "女装", "新款", "经典", "官方", "正品", "套装", "同款",
                            "男女", "系列", "一个", "那个", "这个", "的那", "那单", "这单", "订单"})
