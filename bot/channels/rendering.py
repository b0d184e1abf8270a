"""The one rendering layer: bot replies → what each channel can show.

The bot answers with Rasa's message dicts, as an output channel receives them
(``{"text": ...}``, ``{"text": ..., "buttons": [{"title", "payload"}]}``,
``{"custom": {"type": "product_cards", "products": [...], "relaxed": [...]}}``,
``{"image": ...}``).  This module turns them

* into channel-neutral blocks (:func:`to_blocks`): text, choices, product cards;
* into plain text for text-only channels such as WeChat (:func:`plain_text`),
  where every choice (a button or a product card) gets a number and the
  customer answers with that number (:func:`choice_for_reply` maps it back);
* into Telegram messages (:func:`telegram_messages`): text with an inline
  keyboard whose buttons carry the choice's payload.

No channel formats bot replies itself.  Everything here is plain functions on
plain data, tested without Rasa (``tests/unit/test_rendering.py``).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple, Union

PRODUCT_CARDS = "product_cards"

# What the loosened conditions of a "relaxed" payload are called for customers.
RELAXED_NAMES = {
    "budget": "预算",
    "price": "预算",
    "brand": "品牌",
    "color": "颜色",
    "size": "尺码",
    "category": "品类",
    "product_category": "品类",
    "stock": "库存",
}

MAX_CARDS = 10
MAX_BUTTONS = 10


@dataclass(frozen=True)
class Choice:
    """Something the customer can pick: a button, or "this product" on a card."""

    title: str
    payload: str


@dataclass(frozen=True)
class ProductCard:
    id: str
    title: str
    price: Optional[float] = None
    brand: str = ""
    category: str = ""
    colors: Tuple[str, ...] = ()
    sizes: Tuple[str, ...] = ()
    stock: Optional[int] = None
    reason: str = ""
    image: Optional[str] = None  # absolute URL, or None when the channel cannot reach it

    @property
    def choice(self) -> Choice:
        return Choice(self.title, card_choice_payload(self))


@dataclass(frozen=True)
class TextBlock:
    text: str


@dataclass(frozen=True)
class ChoicesBlock:
    """Buttons under a text (the text itself is the preceding :class:`TextBlock`)."""

    choices: Tuple[Choice, ...]


@dataclass(frozen=True)
class CardsBlock:
    cards: Tuple[ProductCard, ...]
    relaxed: Tuple[str, ...] = ()


Block = Union[TextBlock, ChoicesBlock, CardsBlock]


def card_choice_payload(card: ProductCard) -> str:
    """What choosing a product card says to the bot: a sentence the NLU understands."""
    return f"我想了解这款：{card.title}（{card.id}）"


def public_base_url(environ: Mapping[str, str] = os.environ) -> Optional[str]:
    base = (environ.get("PUBLIC_BASE_URL") or "").strip().rstrip("/")
    return base if base.startswith(("http://", "https://")) else None


def absolute_image(image: Any, base_url: Optional[str]) -> Optional[str]:
    """An image a remote client can fetch: absolute URLs as they are, server paths under ``base_url``."""
    if not isinstance(image, str) or not image.strip():
        return None
    image = image.strip()
    if image.startswith(("http://", "https://")):
        return image
    if base_url and image.startswith("/"):
        return base_url + image
    return None


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _strings(value: Any) -> Tuple[str, ...]:
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(str(item) for item in value if isinstance(item, (str, int, float)) and str(item).strip())


def _number(value: Any) -> Optional[float]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def parse_card(product: Any, base_url: Optional[str] = None) -> Optional[ProductCard]:
    """One product of a ``product_cards`` payload, or None when it has no id or title."""
    if not isinstance(product, Mapping):
        return None
    card_id, title = _text(str(product.get("id") or "")), _text(product.get("title"))
    if not card_id or not title:
        return None
    stock = product.get("stock")
    return ProductCard(
        id=card_id,
        title=title,
        price=_number(product.get("price")),
        brand=_text(product.get("brand")),
        category=_text(product.get("category")),
        colors=_strings(product.get("colors")),
        sizes=_strings(product.get("sizes")),
        stock=stock if isinstance(stock, int) and not isinstance(stock, bool) else None,
        reason=_text(product.get("reason")),
        image=absolute_image(product.get("image"), base_url),
    )


def parse_choices(buttons: Any) -> Tuple[Choice, ...]:
    result = []
    for button in buttons if isinstance(buttons, (list, tuple)) else ():
        if not isinstance(button, Mapping):
            continue
        title = _text(button.get("title"))
        payload = button.get("payload")
        payload = payload.strip() if isinstance(payload, str) and payload.strip() else title
        if title:
            result.append(Choice(title, payload))
    return tuple(result[:MAX_BUTTONS])


def to_blocks(messages: Iterable[Mapping[str, Any]], base_url: Optional[str] = None) -> List[Block]:
    """Rasa bot messages → channel-neutral blocks, in order; unknown parts are left out."""
    blocks: List[Block] = []
    for message in messages:
        if not isinstance(message, Mapping):
            continue
        text = _text(message.get("text"))
        if text:
            blocks.append(TextBlock(text))
        choices = parse_choices(message.get("buttons") or message.get("quick_replies"))
        if choices:
            blocks.append(ChoicesBlock(choices))
        custom = message.get("custom")
        if isinstance(custom, Mapping) and custom.get("type") == PRODUCT_CARDS:
            products = custom.get("products")
            cards = [parse_card(p, base_url) for p in products] if isinstance(products, list) else []
            cards = [card for card in cards if card is not None][:MAX_CARDS]
            if cards:
                blocks.append(CardsBlock(tuple(cards), _strings(custom.get("relaxed"))))
        elif isinstance(custom, Mapping) and isinstance(custom.get("text"), str) and custom["text"].strip():
            blocks.append(TextBlock(custom["text"].strip()))
        image = absolute_image(message.get("image"), base_url)
        if image:
            blocks.append(TextBlock(f"图片：{image}"))
    return blocks


def _price(price: Optional[float]) -> str:
    if price is None:
        return ""
    return f"¥{price:.0f}" if float(price).is_integer() else f"¥{price:.2f}"


def relaxed_note(relaxed: Sequence[str]) -> str:
    names = []
    for key in relaxed:
        name = RELAXED_NAMES.get(key, key)
        if name not in names:
            names.append(name)
    return f"没有完全符合条件的商品，以下放宽了{'、'.join(names)}：" if names else ""


def card_lines(card: ProductCard, number: Optional[int] = None) -> List[str]:
    """A product card as a few lines of text (title, price, options, reason)."""
    head = f"{number}. " if number is not None else ""
    title = f"{head}{card.title}"
    price = _price(card.price)
    lines = [f"{title}  {price}" if price else title]
    details = []
    if card.colors:
        details.append("颜色：" + "/".join(card.colors[:6]))
    if card.sizes:
        details.append("尺码：" + "/".join(card.sizes[:8]))
    if card.stock is not None:
        details.append("有货" if card.stock > 0 else "暂时缺货")
    indent = "   " if number is not None else ""
    if details:
        lines.append(indent + "  ".join(details))
    if card.reason:
        lines.append(indent + "推荐理由：" + card.reason)
    if card.image:
        lines.append(indent + "图片：" + card.image)
    return lines


@dataclass
class PlainText:
    """A reply for a text-only channel, and the payloads its numbers stand for."""

    text: str
    choices: List[Choice] = field(default_factory=list)


def plain_text(blocks: Sequence[Block]) -> PlainText:
    """Blocks → one text; choices (buttons and cards) numbered 1, 2, … across the reply."""
    parts: List[str] = []
    choices: List[Choice] = []
    for block in blocks:
        if isinstance(block, TextBlock):
            parts.append(block.text)
        elif isinstance(block, ChoicesBlock):
            lines = []
            for choice in block.choices:
                choices.append(choice)
                lines.append(f"{len(choices)}. {choice.title}")
            parts.append("\n".join(lines))
        elif isinstance(block, CardsBlock):
            lines = [relaxed_note(block.relaxed)] if block.relaxed else []
            for card in block.cards:
                choices.append(card.choice)
                lines.extend(card_lines(card, len(choices)))
            parts.append("\n".join(lines))
    if choices:
        parts.append("回复数字即可选择，例如回复“1”。")
    return PlainText("\n\n".join(part for part in parts if part), choices)


_NUMBER = re.compile(r"^\s*(?:第\s*)?([0-9０-９]{1,2})\s*(?:个|款|号)?\s*[.。!！]?\s*$")


def is_number_reply(text: str) -> bool:
    return bool(_NUMBER.match(text or ""))


def choice_for_reply(text: str, choices: Sequence[Choice]) -> Optional[Choice]:
    """The choice a customer picked by answering its number ("2", "第2个", "２"), if any."""
    match = _NUMBER.match(text or "")
    if not match or not choices:
        return None
    digits = match.group(1).translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    index = int(digits)
    return choices[index - 1] if 1 <= index <= len(choices) else None


def split_utf8(text: str, max_bytes: int) -> List[str]:
    """Pieces of ``text`` of at most ``max_bytes`` UTF-8 bytes, cut at line ends where possible."""
    pieces: List[str] = []
    current: List[str] = []
    size = 0
    for line in text.splitlines(keepends=True):
        line_size = len(line.encode("utf-8"))
        if current and size + line_size > max_bytes:
            pieces.append("".join(current))
            current, size = [], 0
        if line_size <= max_bytes:
            current.append(line)
            size += line_size
            continue
        for char in line:  # one line longer than the limit: cut it between characters
            char_size = len(char.encode("utf-8"))
            if size + char_size > max_bytes:
                pieces.append("".join(current))
                current, size = [], 0
            current.append(char)
            size += char_size
    if current:
        pieces.append("".join(current))
    return [piece.strip() for piece in pieces if piece.strip()]


@dataclass(frozen=True)
class TelegramMessage:
    """One Telegram message: text and the inline keyboard rows under it."""

    text: str
    keyboard: Tuple[Tuple[Choice, ...], ...] = ()


TELEGRAM_MAX_TEXT = 4096


def telegram_messages(blocks: Sequence[Block]) -> List[TelegramMessage]:
    """Blocks → Telegram messages: buttons as an inline keyboard under the text before them,
    every product card as its own message with a "choose this one" button."""
    result: List[TelegramMessage] = []
    pending: List[str] = []

    def flush(keyboard: Tuple[Tuple[Choice, ...], ...] = ()) -> None:
        text = "\n\n".join(pending).strip()
        pending.clear()
        if not text and keyboard:
            text = "请选择："
        if text:
            pieces = split_utf8(text, TELEGRAM_MAX_TEXT) or [text[:TELEGRAM_MAX_TEXT]]
            for piece in pieces[:-1]:
                result.append(TelegramMessage(piece))
            result.append(TelegramMessage(pieces[-1][:TELEGRAM_MAX_TEXT], keyboard))

    for block in blocks:
        if isinstance(block, TextBlock):
            pending.append(block.text)
        elif isinstance(block, ChoicesBlock):
            rows = [block.choices[i:i + 2] for i in range(0, len(block.choices), 2)]
            flush(tuple(tuple(row) for row in rows))
        elif isinstance(block, CardsBlock):
            if block.relaxed:
                pending.append(relaxed_note(block.relaxed))
            flush()
            for card in block.cards:
                pending.append("\n".join(card_lines(card)))
                flush(((Choice(f"选这款：{_short(card.title)}", card.choice.payload),),))
    flush()
    return result


def _short(title: str, limit: int = 16) -> str:
    return title if len(title) <= limit else title[: limit - 1] + "…"


def render_plain(messages: Iterable[Mapping[str, Any]], environ: Mapping[str, str] = os.environ) -> PlainText:
    """Shortcut for text-only channels: Rasa messages → numbered plain text."""
    return plain_text(to_blocks(messages, public_base_url(environ)))


def render_telegram(
    messages: Iterable[Mapping[str, Any]], environ: Mapping[str, str] = os.environ
) -> List[TelegramMessage]:
    return telegram_messages(to_blocks(messages, public_base_url(environ)))


def as_dicts(messages: Iterable[TelegramMessage]) -> List[Dict[str, Any]]:
    """Telegram messages as JSON-ready dicts (for logs and tests)."""
    return [
        {"text": m.text, "keyboard": [[{"title": c.title, "payload": c.payload} for c in row] for row in m.keyboard]}
        for m in messages
    ]
