"""What the customer reads about alerts (提醒)."""

from __future__ import annotations

from typing import Sequence

from bot.alerts.subscriptions import KIND_LABELS, Subscription


def _money(amount: float) -> str:
    return f"¥{amount:.2f}".replace(".00", "")


def price_dropped(title: str, old_price: float, new_price: float) -> str:
    return f"【降价提醒】您关注的{title}降价了：{_money(old_price)} → {_money(new_price)}。点卡片就能看看～回复“退订降价提醒”可取消。"


def restocked(title: str, variant: str) -> str:
    which = f"（{variant}）" if variant else ""
    return f"【到货提醒】您关注的{title}{which}到货了，库存有限，喜欢的话尽快下手哦～"


def new_arrival(title: str, price: float, about: str) -> str:
    return f"【上新提醒】{about}上新了：{title}，{_money(price)}。回复“退订上新提醒”可取消。"


def subscribed(subscription: Subscription, is_new: bool, quiet: str) -> str:
    head = "好的，已为您设置" if is_new else "这个提醒已经设置过了："
    return (f"{head}{subscription.describe()}。有变化我会在这里通知您（{quiet} 不打扰，之后再发）。"
            "说“我的提醒”可以查看，说“退订提醒”可以取消。")


def which_product() -> str:
    return "想关注哪一款呢？先让我给您推荐几款，看中了说“这款降价了通知我”或“这款到货提醒我”就好。"


def which_category() -> str:
    return "想关注哪类商品或哪个品牌的上新呢？比如“跑步鞋上新了告诉我”或“耐克有新款通知我”。"


LISTING_HEAD = "您设置的提醒："


def listing(subscriptions: Sequence[Subscription]) -> str:
    if not subscriptions:
        return "您现在没有设置提醒。看中的商品可以说“降价了通知我”或“到货提醒我”。"
    lines = [f"{number}. {sub.describe()}" for number, sub in enumerate(subscriptions, 1)]
    return LISTING_HEAD + "\n" + "\n".join(lines) + "\n说“退订第1个提醒”、“退订降价提醒”或“退订全部提醒”可以取消。"


def is_listing(bot_text: str) -> bool:
    """The bot's message listed the customer's alerts (a reply may then mean one of them)."""
    return bot_text.startswith(LISTING_HEAD)


def cancelled(subscriptions: Sequence[Subscription], kind: str = "") -> str:
    if not subscriptions:
        what = KIND_LABELS.get(kind, "提醒")
        return f"您目前没有{what}，不用退订啦。"
    return f"好的，已为您取消 {len(subscriptions)} 个提醒：" + "；".join(sub.describe() for sub in subscriptions) + "。"


def unavailable() -> str:
    return "抱歉，提醒暂时没设置成功，请稍后再试一次。"
