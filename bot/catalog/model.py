"""Catalog data model (商品目录模型): products, brand and category vocabularies, the catalog.

Everything here is immutable: a catalog is built once (from the shipped demo
data or a shop's import) and then shared by the NLU, the recommender and the
actions, so nothing may change under a reader's feet.  Rows are validated by
``bot.catalog.importer``; the types here trust what they are given.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping, Optional

import yaml

from bot.language.negation import said_not_done
from bot.language.normalize import respelled_words, to_simplified

CATALOG_DATA_DIR = Path(__file__).resolve().parent / "data"
BRANDS_FILE = CATALOG_DATA_DIR / "brands.yml"
CATEGORIES_FILE = CATALOG_DATA_DIR / "categories.yml"
DEMO_CATALOG_FILE = CATALOG_DATA_DIR / "demo_catalog.jsonl"
DOMESTIC_BRANDS_FILE = CATALOG_DATA_DIR / "domestic_brands.yml"
MODEL_NICKNAMES_FILE = CATALOG_DATA_DIR / "model_nicknames.yml"


@lru_cache(maxsize=1 << 16)  # catalog titles and tags are folded on every search; OpenCC is not free
def fold(text: str) -> str:
    """Lookup key for what customers type: full-width ``ＮＩＫＥ`` and ``nike`` both become ``nike``; traditional
    characters and the homophones a pinyin keyboard offers read as the shop's words (羽容服 · 耐可 · 口紅)."""
    folded = unicodedata.normalize("NFKC", text).strip().casefold()
    return folded if folded.isascii() else respelled_words(to_simplified(folded))


@lru_cache(maxsize=1)
def _model_nicknames() -> tuple:
    data = yaml.safe_load(MODEL_NICKNAMES_FILE.read_text("utf-8")) or {}
    found = []
    for nickname, title_words in data.items():
        nickname, title_words = fold(str(nickname)), fold(str(title_words))
        latin = re.fullmatch(r"[a-z0-9]+", nickname) is not None
        pattern = rf"(?<![a-z0-9]){re.escape(nickname)}(?![a-z0-9])" if latin else re.escape(nickname)
        found.append((re.compile(pattern), title_words))
    return tuple(found)


@lru_cache(maxsize=4096)  # (asked per product title by Catalog.named: once per name)
def with_model_names(text: str) -> str:
    """``text`` folded, the nicknames shoppers give models written as their titles write them (af1 → air force 1
    空军一号 · 飞马40 → pegasus 40 · 15pm → iphone 15 pro max), so a title lookup finds the model."""
    folded = fold(text)
    for nickname, title_words in _model_nicknames():
        if title_words not in folded:  # (spaced: 飞马40 is pegasus 40, two words as the title writes them)
            folded = nickname.sub(f" {title_words} ", folded)
    return folded


# Tokens of a model name (mate60 · x100 · 14) that say nothing of which model: units, common suffixes.
_MODEL_TOKEN = re.compile(r"[a-z]*[0-9]+[a-z0-9]*|[a-z]{2,}")
_NOT_MODELS = frozenset({"gb", "tb", "ml", "mah", "ok", "pro", "max", "plus", "mini", "ultra", "air", "lite"})


def model_tokens(name: str) -> set[str]:
    return {token for token in _MODEL_TOKEN.findall(fold(name)) if token not in _NOT_MODELS}


def title_names(name: str, title: str, brand_words: frozenset = frozenset()) -> bool:
    """Whether a product title is the model ``name`` (小米平板6 · iPhone15 · 赤兔6): every model token
    of the name is a word of the title (or two neighbouring words written together: iphone15), and a
    Chinese name's words are in it too (小米14 is no MateBook 14).  Tokens in ``brand_words`` (vans,
    a brand the title writes as 万斯) are not asked of the title."""
    name = with_model_names(name)
    tokens = model_tokens(name) - brand_words
    if not tokens:
        return False
    folded = fold(title)
    chinese = "".join(re.findall(r"[\u4e00-\u9fff]+", name))
    pieces = {chinese[i:i + 2] for i in range(len(chinese) - 1)}
    if pieces and not any(piece in folded for piece in pieces):
        return False
    words = re.findall(r"[a-z0-9]+", folded)
    # iphone15 (two words written together), mate60pro (three), xm5 for wh-1000xm5 (a word's end)
    said_as = set(words) | {"".join(words[i:i + n]) for n in (2, 3) for i in range(len(words) - n + 1)}
    return all(token in said_as or (len(token) >= 3 and any(word.endswith(token) for word in words))
               for token in tokens)


def variant_key(color: str, size: Optional[str]) -> str:
    """Key of ``Product.variant_stock``: ``颜色/尺码`` for sized products, ``颜色`` otherwise."""
    return color if size is None else f"{color}/{size}"


def _empty_counts() -> Mapping[str, int]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Product:
    """One product (商品) with the fields of the catalog contract."""

    id: str
    title: str
    category: str
    brand: str
    price: float
    colors: tuple[str, ...]
    sizes: tuple[str, ...]
    stock: int
    rating: float
    sales: int
    tags: tuple[str, ...]
    description: str
    image: str = ""
    consumable: bool = False
    # A read-only mapping cannot be hashed; equality still compares it.
    variant_stock: Mapping[str, int] = field(default_factory=_empty_counts, hash=False)

    def __post_init__(self) -> None:
        # Callers may pass lists and dicts; copy them so the product stays frozen for real.
        object.__setattr__(self, "price", float(self.price))
        object.__setattr__(self, "rating", float(self.rating))
        for name in ("colors", "sizes", "tags"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        object.__setattr__(self, "variant_stock", MappingProxyType(dict(self.variant_stock)))

    def in_stock(self, color: Optional[str] = None, size: Optional[str] = None) -> bool:
        """Whether the product can be bought in this colour and size (None: any)."""
        if (color is not None and color not in self.colors) or (size is not None and size not in self.sizes):
            return False  # a variant the product does not come in is never in stock
        if not self.variant_stock or (color is None and size is None):
            return self.stock > 0
        colors = self.colors if color is None else (color,)
        sizes: tuple[Optional[str], ...] = (size,) if size is not None else (self.sizes or (None,))
        return any(self.variant_stock.get(variant_key(c, s), 0) > 0 for c in colors for s in sizes)

    CARD_FIELDS = ("id", "title", "category", "brand", "price", "image", "colors", "sizes", "stock")

    def to_card(self, reason: str) -> dict[str, Any]:
        """The product card of a ``product_cards`` payload (catalog-and-cards.md)."""
        fields = self.to_dict()
        return {**{name: fields[name] for name in self.CARD_FIELDS}, "reason": reason}

    def to_dict(self) -> dict[str, Any]:
        """All fields as plain JSON values: one line of a catalog ``.jsonl`` file."""
        return {
            "id": self.id,
            "title": self.title,
            "category": self.category,
            "brand": self.brand,
            "price": self.price,
            "colors": list(self.colors),
            "sizes": list(self.sizes),
            "stock": self.stock,
            "variant_stock": dict(self.variant_stock),
            "rating": self.rating,
            "sales": self.sales,
            "tags": list(self.tags),
            "consumable": self.consumable,
            "description": self.description,
            "image": self.image,
        }


@dataclass(frozen=True)
class BrandVocabulary:
    """Canonical brand names and the aliases customers type for them (brands.yml)."""

    aliases: Mapping[str, tuple[str, ...]]
    _canonical_by_key: Mapping[str, str] = field(init=False, repr=False, compare=False)
    _longest_first: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        aliases = {str(name): tuple(str(alias) for alias in names) for name, names in self.aliases.items()}
        index: dict[str, str] = {}
        for canonical, names in aliases.items():
            for name in (canonical, *names):
                owner = index.setdefault(fold(name), canonical)
                if owner != canonical:
                    raise ValueError(f"brand alias {name!r} names both {owner!r} and {canonical!r}")
        object.__setattr__(self, "aliases", MappingProxyType(aliases))
        object.__setattr__(self, "_canonical_by_key", MappingProxyType(index))
        # leading() is asked on many messages, and the longest alias that fits must win
        object.__setattr__(self, "_longest_first",
                           tuple(sorted((key for key in index if len(key) >= 2), key=len, reverse=True)))

    def canonical(self, text: str) -> Optional[str]:
        return self._canonical_by_key.get(fold(text))

    @property
    def words(self) -> frozenset:
        """Every brand name and alias, folded."""
        return frozenset(self._canonical_by_key)

    def leading(self, text: str) -> Optional[tuple[str, str]]:
        """(brand, the rest) when ``text`` starts with a brand name or alias: nike空军一号 → (耐克, 空军一号)."""
        folded = fold(text)
        for key in self._longest_first:
            if folded.startswith(key) and len(folded) > len(key):
                return self._canonical_by_key[key], folded[len(key):].strip()
        return None

    def spans_in(self, text: str) -> list:
        """``(start, end, brand)`` of every brand name or alias in ``text``, longest first where two overlap
        (阿迪达斯, not 阿迪); a Latin alias only as a whole word.  ``text`` must be folded already, one
        character for one (bot.language.normalize.normalize), so the offsets are the customer's."""
        found: list = []
        for key in self._longest_first:
            latin = re.fullmatch(r"[a-z0-9 .&'-]+", key) is not None
            pattern = rf"(?<![a-z]){re.escape(key)}(?![a-z])" if latin else re.escape(key)
            for match in re.finditer(pattern, text):
                if not any(match.start() < end and start < match.end() for start, end, _ in found):
                    found.append((match.start(), match.end(), self._canonical_by_key[key]))
        return sorted(found)

    def named_in(self, text: str) -> Optional[str]:
        """The brand whose longest name or alias ``text`` holds (跟阿迪ultraboost比 → 阿迪达斯); a Latin
        alias only as a whole word (no "on" inside "iphone")."""
        folded = fold(text)
        for key in self._longest_first:
            latin = re.fullmatch(r"[a-z0-9 .&'-]+", key) is not None
            if (re.search(rf"(?<![a-z]){re.escape(key)}(?![a-z])", folded) if latin else key in folded):
                return self._canonical_by_key[key]
        return None

    def spelled_out(self, text: str, part: str) -> Optional[str]:
        """The brand whose name of several words (canada goose) ``text`` holds and ``part`` is a word of.

        The tokenizer never makes one token across a space, so the NLU tags such a name as two brands.
        """
        folded, word = fold(text), fold(part)
        for key, canonical in self._canonical_by_key.items():
            if " " in key and word in key.split() and re.search(rf"(?<![a-z]){re.escape(key)}(?![a-z])", folded):
                return canonical
        return None

    def including(self, names: Iterable[str]) -> BrandVocabulary:
        """This vocabulary plus a shop's own brands, each its own canonical name."""
        return BrandVocabulary({**self.aliases, **{name: () for name in names if self.canonical(name) is None}})


# Joins the words of several kinds offered together (跑鞋篮球鞋都行 → 跑鞋、篮球鞋) into one category condition.
KINDS_JOINER = "、"


@dataclass(frozen=True)
class CategoryVocabulary:
    """Leaf categories and the loose words customers use for them (categories.yml)."""

    leaves: tuple[str, ...]
    loose_words: Mapping[str, tuple[str, ...]]
    # Kinds a word also covers, searched only when none of its own kinds fits (电脑 → 平板电脑: to shoppers
    # 电脑 is a laptop, but 两三千的电脑 学生用 is answered with tablets before the budget is loosened).
    wider_words: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    _leaves_by_key: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        leaves = tuple(str(leaf) for leaf in self.leaves)
        loose = {str(word): tuple(str(leaf) for leaf in targets) for word, targets in self.loose_words.items()}
        index = {fold(word): targets for word, targets in loose.items()}
        # A leaf's own name wins over a loose word that folds to the same key.
        index.update({fold(leaf): (leaf,) for leaf in leaves})
        object.__setattr__(self, "leaves", leaves)
        object.__setattr__(self, "loose_words", MappingProxyType(loose))
        object.__setattr__(self, "wider_words", MappingProxyType(
            {fold(str(word)): tuple(str(leaf) for leaf in targets) for word, targets in self.wider_words.items()}))
        object.__setattr__(self, "_leaves_by_key", MappingProxyType(index))

    def leaves_for(self, word: str) -> tuple[str, ...]:
        """The leaves a category word covers; for several kinds offered together (跑鞋、篮球鞋) those of each."""
        found = self._leaves_by_key.get(fold(word), ())
        if found or KINDS_JOINER not in word:
            return found
        parts = [self._leaves_by_key.get(fold(part), ()) for part in word.split(KINDS_JOINER)]
        return tuple(dict.fromkeys(leaf for leaves in parts for leaf in leaves)) if all(parts) else ()


class Catalog:
    """An immutable set of products with the vocabulary to look up brands and categories."""

    def __init__(self, products: Iterable[Product], brands: BrandVocabulary, categories: CategoryVocabulary):
        self._products = tuple(products)
        self._by_id = {product.id: product for product in self._products}
        if len(self._by_id) != len(self._products):
            raise ValueError("product ids must be unique")
        self._brands = brands.including(product.brand for product in self._products)
        self._categories = categories
        self._tags: Optional[frozenset[str]] = None  # built on first use
        self._titles: Optional[list] = None  # folded titles, built on first use (product_line)
        self._other_text: Optional[list] = None  # folded descriptions and tags, built on first use (line_in_words)
        self._line_lookup: Optional[tuple] = None  # titles and the words that name no line (line_in_words)
        self._line_names: Optional[dict] = None  # Chinese line names and their products (line_names)
        self._version = self._content_hash()

    @property
    def version(self) -> str:
        """Changes whenever products or vocabulary change, so caches can be keyed by it."""
        return self._version

    def __len__(self) -> int:
        return len(self._products)

    def __iter__(self) -> Iterator[Product]:
        return iter(self._products)

    def by_id(self, product_id: str) -> Optional[Product]:
        return self._by_id.get(product_id)

    def with_products(self, changed: Iterable[Product]) -> "Catalog":
        """The same catalog with these products replaced (stock updates from the order system)."""
        replaced = {product.id: product for product in changed}
        return Catalog((replaced.get(product.id, product) for product in self._products), self._brands,
                       self._categories)

    def as_jsonl(self) -> bytes:
        """The products as a catalog ``.jsonl`` file (what the importer reads back into this catalog)."""
        return "\n".join(json.dumps(product.to_dict(), ensure_ascii=False) for product in self._products
                         ).encode("utf-8")

    def tags_in(self, text: str) -> frozenset[str]:
        """The products' tags that ``text`` names (想要降噪的 → 降噪), two characters or longer."""
        if self._tags is None:
            self._tags = frozenset(fold(tag) for product in self._products for tag in product.tags
                                   if len(tag) >= 2)
        folded = fold(text)
        return frozenset(tag for tag in self._tags if tag in folded and not said_not_done(folded, tag))

    def categories_with_tags(self, tags: Iterable[str]) -> tuple[str, ...]:
        """Leaf categories of the products carrying any of ``tags`` (去屑 → 洗发水), in vocabulary order."""
        wanted = {fold(tag) for tag in tags}
        found = {product.category for product in self._products if wanted & {fold(tag) for tag in product.tags}}
        return tuple(leaf for leaf in self._categories.leaves if leaf in found)

    def cheapest_in_stock(self, category: str) -> Optional[float]:
        """The lowest price of the in-stock products of leaf ``category`` (最便宜的有货商品), or None."""
        prices = [product.price for product in self._products if product.category == category and product.in_stock()]
        return min(prices) if prices else None

    def categories(self) -> tuple[str, ...]:
        """Leaf categories that have products, in vocabulary order."""
        present = {product.category for product in self._products}
        return tuple(leaf for leaf in self._categories.leaves if leaf in present)

    def brand_categories(self, brand: str) -> tuple[str, ...]:
        """Leaf categories the brand has products in (佳明 → 智能手表), in vocabulary order."""
        made = {product.category for product in self._products if product.brand == brand}
        return tuple(leaf for leaf in self._categories.leaves if leaf in made)

    def canonical_brand(self, text: str) -> Optional[str]:
        return self._brands.canonical(text)

    def leading_brand(self, text: str) -> Optional[tuple[str, str]]:
        return self._brands.leading(text)

    def brand_spelled_out(self, text: str, part: str) -> Optional[str]:
        return self._brands.spelled_out(text, part)

    def named(self, name: str, limit: int = 5) -> list[Product]:
        """The products whose titles are the model ``name`` (any stock: 小米平板6有货吗 asks of one sold out);
        with no model named, a brand's products of the kind named (雅诗兰黛面霜到货告诉我: its one face cream)."""
        brand_words = self._brands.words
        found = [product for product in self._products if title_names(name, product.title, brand_words)]
        if found:
            # 15pm (iphone 15 pro max): the title holding most of the name's words first, not iPhone 15 itself
            words = set(fold(with_model_names(name)).split())
            return sorted(found, key=lambda product: -len(words & set(fold(product.title).split())))[:limit]
        brand, folded = self._brands.named_in(name), with_model_names(name)
        line = self.line_name_in(folded)
        if line and (brand is None or brand == line[1][0].brand):  # 经典创意那盒 · 拯救者 · 爱他美经典版
            return list(line[1][:limit])
        kinds = {leaf for leaf in self._categories.leaves if fold(leaf) in folded} | {
            leaf for word, leaves in self._categories.loose_words.items() if len(word) >= 2 and fold(word) in folded
            for leaf in leaves}
        if brand is None or not kinds:
            return []
        return [product for product in self._products if product.brand == brand and product.category in kinds][:limit]

    def product_line(self, word: str, whole_word: bool = False) -> Optional[tuple[str, tuple[str, ...]]]:
        """A product line or model word (ThinkPad · 赤兔 · 詹姆斯 · Mate60) as its brand and kinds of
        product: those of the products whose titles name it, when they are all of one brand.
        ``whole_word``: only a word of a title counts (kt is 安踏 KT, not a piece of another word)."""
        folded = with_model_names(word).strip()
        # (飞马40 is the pegasus40 of its title; two Latin words asked as one whole name stay two: apple watch)
        folded = folded if whole_word and re.fullmatch(r"[a-z][a-z0-9]+ [a-z][a-z0-9]+", folded) \
            else folded.replace(" ", "")
        if len(folded) < 2:
            return None
        # a word of the title first (501 names Levi's 501, not the X50 12GB written X5012GB without spaces),
        # then anywhere in the title without spaces (mate60 names Mate 60 Pro)
        word_pattern = re.compile(rf"(?<![a-z0-9]){re.escape(folded)}(?![a-z0-9])")
        named = [product for title, product in self._folded_titles() if word_pattern.search(title)]
        if not named and not whole_word:
            named = [product for title, product in self._folded_titles() if folded in title.replace(" ", "")]
        brands = {product.brand for product in named}
        if len(brands) != 1:
            return None
        kinds = {product.category for product in named}
        return brands.pop(), tuple(leaf for leaf in self._categories.leaves if leaf in kinds)

    def line_in_words(self, text: str) -> Optional[tuple[str, tuple[str, ...]]]:
        """The product line a Latin word of ``text`` names (有KT的吗 → 安踏 篮球鞋 · 要ultraboost), or three to six
        Chinese characters of titles (想要双空军一号 → 耐克 休闲鞋), when
        the word is a whole word of titles of one brand only and no other brand's product mentions it
        anywhere (gps is Apple's title word and Garmin's description word: no line).  Brand names are
        left out (the NLU reads them, and their refusals), and so are common English words (all · fit)."""
        folded = with_model_names(text)
        latin = [word for word in re.findall(r"(?<![a-z0-9])[a-z][a-z0-9]+(?![a-z0-9])", folded)
                 if word not in _GENERIC_LATIN_WORDS and not self._brands.canonical(word)]
        # apple watch (aw): two words that name a line together, each alone a brand or several brands' word
        pairs = [pair for pair in re.findall(r"(?<![a-z0-9])(?=([a-z][a-z0-9]+ [a-z][a-z0-9]+)(?![a-z0-9]))", folded)
                 if not set(pair.split()) <= _GENERIC_LATIN_WORDS]  # (pro max · watch ultra name no line)
        for word in [*latin, *pairs, *self._chinese_title_words(folded)]:
            line = self.product_line(word, whole_word=True)
            if line is not None and self._only_its_brand_mentions(word, line[0]):
                return line
        named = self.line_name_in(folded)  # 得宝 · 天选: two characters, or a brand's alias (拯救者)
        if named and self._only_its_brand_mentions(named[0], named[1][0].brand):
            kinds = {product.category for product in named[1]}
            return named[1][0].brand, tuple(leaf for leaf in self._categories.leaves if leaf in kinds)
        return None

    def line_name_in(self, text: str) -> Optional[tuple[str, tuple[Product, ...]]]:
        """The longest Chinese line name ``text`` holds (得宝 · 经典创意 · 拯救者 · 卓萃) and its products, or None.

        A line name is the word a title puts right after the brand (乐高 得宝系列 10914 …, 系列 left out),
        when it holds no kind (旁氏 米粒净透洁面乳 names a face wash: a description, not a line), is no tag
        or generic title word, and only one brand's titles have it."""
        if self._line_names is None:  # asked on many requests: built once per catalog
            self.tags_in("")
            # (经典 alone is generic; 经典创意 · 经典版 name lines)
            unfit = {fold(word) for word in (*self._categories.leaves, *self._categories.loose_words)
                     if len(word) >= 2} | (_GENERIC_CHINESE_WORDS - {"经典"})
            names: dict = {}
            for product in self._products:
                words = fold(product.title).split()
                name = re.sub("系列$", "", words[1]) if len(words) > 2 else ""
                if re.fullmatch(r"[\u4e00-\u9fff]{2,8}", name) and name not in self._tags \
                        and not any(word in name for word in unfit):
                    names.setdefault(name, []).append(product)
            # (MAC 魅可 …: the brand's own Chinese name, on all its titles, names the brand, not a line)
            self._line_names = {
                name: tuple(found) for name, found in sorted(names.items(), key=lambda item: -len(item[0]))
                if all(other.brand == found[0].brand for title, other in self._folded_titles() if name in title)
                and not (self._brands.canonical(name) == found[0].brand
                         and all(name in title for title, other in self._folded_titles()
                                 if other.brand == found[0].brand))}
        folded = fold(text)
        return next(((name, found) for name, found in self._line_names.items() if name in folded), None)

    def _only_its_brand_mentions(self, word: str, brand: str) -> bool:
        if self._other_text is None:
            self._other_text = [(fold(f"{product.description} {' '.join(product.tags)}"), product.brand)
                                for product in self._products]
        pattern = re.compile(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])")
        return all(other == brand for text, other in self._other_text if pattern.search(text))

    def _folded_titles(self) -> list:
        if self._titles is None:  # asked on many requests: the titles are folded once per catalog
            self._titles = [(fold(product.title), product) for product in self._products]
        return self._titles

    def _chinese_title_words(self, folded: str) -> list[str]:
        """空军一号 · 熊猫鞋 · 小金条: runs of three to six Chinese characters of ``folded`` that titles hold,
        longest first, once the words that name no line are blanked out: brands, tags (游戏本 · 高保湿 are
        wishes), kinds (休闲板鞋 is no 休闲板) and generic title words (多功能)."""
        if self._line_lookup is None:  # asked on every request naming no brand: built once per catalog
            if self._tags is None:
                self.tags_in("")
            kind_words = {fold(word) for word in (*self._categories.leaves, *self._categories.loose_words)
                          if len(word) >= 2}
            blanks = sorted(kind_words | self._tags | _GENERIC_CHINESE_WORDS, key=len, reverse=True)
            self._line_lookup = ("\n".join(title for title, _ in self._folded_titles()),
                                 re.compile("|".join(map(re.escape, blanks))))
        titles, blanks = self._line_lookup
        for start, end, _ in self._brands.spans_in(folded):  # 三只松鼠的坚果: a brand's name is no line's
            folded = folded[:start] + " " * (end - start) + folded[end:]
        folded = blanks.sub(lambda found: " " * len(found.group()), folded)
        words = []
        for run in re.findall(r"[\u4e00-\u9fff]{3,}", folded):
            for length in range(min(len(run), 6), 2, -1):
                words += [run[start:start + length] for start in range(len(run) - length + 1)
                          if run[start:start + length] in titles]
        return words

    def leaf_categories_for(self, word: str) -> tuple[str, ...]:
        return self._categories.leaves_for(word)

    def wider_categories_for(self, word: str) -> tuple[str, ...]:
        """The kinds ``word`` also covers when none of its own fits (categories.yml ``wider_words``)."""
        return self._categories.wider_words.get(fold(word), ())

    def _content_hash(self) -> str:
        content = {
            "products": [product.to_dict() for product in self._products],
            "brands": {name: list(aliases) for name, aliases in self._brands.aliases.items()},
            "leaves": list(self._categories.leaves),
            "loose_words": {word: list(leaves) for word, leaves in self._categories.loose_words.items()},
            "wider_words": {word: list(leaves) for word, leaves in self._categories.wider_words.items()},
        }
        # ASCII-only JSON hashes the same on every platform, whatever the text holds.
        encoded = json.dumps(content, sort_keys=True, ensure_ascii=True).encode("ascii")
        return hashlib.sha256(encoded).hexdigest()[:16]


# English words titles use that say nothing about a product line (Chuck 70 *All* Star · *Air* Zoom).
# Chinese words titles use that name no product line (费雪 *多功能*学步车 · *男女同款*).
_GENERIC_CHINESE_WORDS = frozenset({
    "多功能", "同款", "男女", "男款", "女款", "男子", "女子", "男士", "女士", "男装", "女装", "低帮", "高帮", "中帮", "中长款",
    "短款", "长款", "连帽", "圆领", "短袖", "长袖", "套装", "系列", "经典", "英寸", "毫米", "婴幼儿", "配方",
})
_GENERIC_LATIN_WORDS = frozenset({
    "all", "air", "book", "pro", "max", "mini", "plus", "ultra", "lite", "light", "new", "one", "fit", "find", "force",
    "note", "old", "se", "series", "star", "usb", "wlan", "zoom", "og", "sl", "ep", "dri", "vol", "gt", "gel", "buds",
    "type", "go", "top", "run", "pad", "watch", "phone", "band", "sport", "slim", "classic", "low", "high", "mid", "ml",
})


def load_brands(path: Path = BRANDS_FILE) -> BrandVocabulary:
    data = yaml.safe_load(Path(path).read_text("utf-8")) or {}
    return BrandVocabulary({name: aliases or () for name, aliases in data.items()})


@lru_cache(maxsize=4)
def load_domestic_brands(path: Path = DOMESTIC_BRANDS_FILE) -> frozenset[str]:
    """The brands made in China (国产 · 国货), canonical names; none when the shop lists none."""
    path = Path(path)
    return frozenset(str(name) for name in (yaml.safe_load(path.read_text("utf-8")) or ())) if path.exists() \
        else frozenset()


def load_categories(path: Path = CATEGORIES_FILE) -> CategoryVocabulary:
    data = yaml.safe_load(Path(path).read_text("utf-8")) or {}
    return CategoryVocabulary(tuple(data.get("leaf_categories") or ()), data.get("loose_words") or {},
                              data.get("wider_words") or {})


def load_demo_catalog() -> Catalog:
    """The shipped demo catalog, checked by the same rules as a shop's import."""
    # Imported here because the importer builds on this module.
    from bot.catalog.importer import import_catalog

    report = import_catalog(DEMO_CATALOG_FILE)
    if report.catalog is None:
        raise ValueError(f"the shipped demo catalog is invalid: {report.summary()}")
    return report.catalog
