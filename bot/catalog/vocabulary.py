"""Words of the catalog (商品词表): brands and aliases, categories, loose category words, tags.

The tokenizer adds them to its dictionary so that ``蓝牙耳机`` or ``李维斯`` stay
one token; the NLU and the recommender read brands and categories from the
same files, so what is understood is what can be found.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, Iterable, Optional, Sequence, Set

import yaml

from bot.catalog.model import (CATALOG_DATA_DIR, KINDS_JOINER, BrandVocabulary, Catalog, fold, load_brands,
                               load_categories, load_demo_catalog)
from bot.catalog.needs import kinds_instead_of_owned, kinds_meeting_needs, owned_at
from bot.language.entity_repair import part_of_another_word
from bot.language.negation import is_rejected


def catalog_words(data_dir: Path = CATALOG_DATA_DIR) -> Set[str]:
    data_dir = Path(data_dir)
    words: Set[str] = set()
    if (data_dir / "brands.yml").exists():
        for brand, aliases in load_brands(data_dir / "brands.yml").aliases.items():
            words.add(brand)
            words.update(aliases)
    if (data_dir / "categories.yml").exists():
        categories = load_categories(data_dir / "categories.yml")
        words.update(categories.leaves)
        words.update(categories.loose_words)
    catalog_file = data_dir / "demo_catalog.jsonl"
    if catalog_file.exists():
        # Only words are taken here; rows are validated by bot.catalog.importer.
        for line in catalog_file.read_text("utf-8").splitlines():
            if line.strip():
                product = json.loads(line)
                words.update(product.get("tags") or [])
                words.update(product.get("colors") or [])
    return {word.strip() for word in words if word and word.strip()}


# Words that name no kind of product, though the NLU may mark them as one (买点东西 · 有什么好产品).
GENERIC_PRODUCT_WORDS = frozenset({"东西", "商品", "产品", "宝贝", "货", "好物", "物品"})


@lru_cache(maxsize=1)
def category_words(data_dir: Path = CATALOG_DATA_DIR) -> FrozenSet[str]:
    """Words that name a kind of product (跑步鞋 · 运动鞋 · 护肤), lower-case, two characters or longer.

    A single character (鞋) is part of too many other words to mean shopping on its own.
    """
    categories = load_categories(Path(data_dir) / "categories.yml")
    return _two_or_more(set(categories.leaves) | set(categories.loose_words))


@lru_cache(maxsize=1)
def attribute_words(data_dir: Path = CATALOG_DATA_DIR) -> FrozenSet[str]:
    """The products' tags (降噪 · 无硅油 · 油皮), lower-case, two characters or longer."""
    words: Set[str] = set()
    catalog_file = Path(data_dir) / "demo_catalog.jsonl"
    if catalog_file.exists():
        for line in catalog_file.read_text("utf-8").splitlines():
            if line.strip():
                words.update(json.loads(line).get("tags") or [])
    return _two_or_more(words)


@lru_cache(maxsize=1)
def _shipped_catalog() -> Catalog:
    return load_demo_catalog()


def kinds_for_needs(text: str) -> tuple:
    """The kinds of the shipped catalog (whose words the vocabulary holds) that the needs in ``text`` point
    to (下周去哈尔滨 怕冻成狗 → 羽绒服); () when none or a guess among more (bot/catalog/needs.py)."""
    catalog = _shipped_catalog()
    return kinds_meeting_needs(text, catalog.categories_with_tags, catalog.categories())


def shipped_product_line(word: str):
    """The brand and kinds of the shipped catalog's product line ``word`` names (小米14 → 小米 · 手机), or None."""
    return _shipped_catalog().product_line(word)


def kind_of_a_line_named(words: Iterable[str], current_kinds: Sequence[str]) -> Optional[str]:
    """The one kind of a product line among ``words`` (what the NLU marked as brands: macbook air → 笔记本电脑 ·
    空军一号 → 休闲鞋) when it is not among the kinds searched so far or narrows them; None otherwise (a brand's
    own name covers all its kinds, and with no kind searched the recommender reads the line itself)."""
    for word in words:
        line = shipped_product_line(word)
        if line and current_kinds and fold(word) != fold(line[0]) and len(line[1]) == 1 \
                and (line[1][0] not in current_kinds or len(current_kinds) > 1):
            return line[1][0]
    return None


def names_a_line(text: str) -> bool:
    """Whether ``text`` names a product line of the shipped catalog without its brand (空军一号白色的多少钱 ·
    有KT的吗), the way the recommender reads it (``Catalog.line_in_words``)."""
    return _shipped_catalog().line_in_words(text) is not None


def without_brand_words(need: str) -> str:
    """The pieces of a customer's need (messages joined by spaces) that name no brand and no product line:
    after 韦德之道11 43码 → 不限牌子 一千以内, the line said before no longer picks 李宁 from the words."""
    return " ".join(piece for piece in need.split()
                    if not (shipped_brands().named_in(piece) or _shipped_catalog().line_in_words(piece)))


# iphone13 · apple watch · mate60: the Latin model words that follow a brand
_MODEL_TAIL = re.compile(r"[A-Za-z0-9]*(?:\s+[A-Za-z]+[0-9]*)*")
# 兰蔻菁纯 · 海飞丝好几年了: a few more characters of the same piece still belong to what is owned
_OWNED_PIECE_TAIL = 4


def without_owned(text: str, spans) -> str:
    """``text`` with the brands and models the customer already has (``spans`` of their brand entities) blanked,
    with the words that say so: 我自己用的iphone13 想给我妈换个手机 → 想给我妈换个手机, so neither the brand nor
    its model line becomes a condition of the search (bot/catalog/needs.py: owned_brand_at)."""
    chars = list(text)
    for start, end in spans:
        stop = _MODEL_TAIL.match(text, end).end()
        piece_end = next((at for at in range(stop, len(text)) if text[at].isspace()), len(text))
        if piece_end - stop <= _OWNED_PIECE_TAIL:
            stop = piece_end
        piece_start = next((at + 1 for at in range(start - 1, -1, -1) if text[at].isspace()), 0)
        chars[piece_start:stop] = " " * (stop - piece_start)
    return "".join(chars)


@lru_cache(maxsize=1)
def shipped_brands() -> BrandVocabulary:
    """The brands of brands.yml and their aliases (跟nike的比 names a brand, not a model), read once."""
    return load_brands()


def kinds_wanted_instead(text: str) -> tuple:
    """The kinds wanted where the kinds ``text`` names are what the customer has (一直用我手机上 屏幕太小了
    孩子网课 → 平板电脑); () when a kind is named as wanted or none is owned (bot/catalog/needs.py)."""
    return kinds_instead_of_owned(text, leaves_named, category_words(), lambda: kinds_for_needs(text))


def _two_or_more(words: Set[str]) -> FrozenSet[str]:
    return frozenset(word.strip().lower() for word in words if len(word.strip()) >= 2)


@lru_cache(maxsize=1)
def _category_vocabulary(data_dir: Path = CATALOG_DATA_DIR):
    return load_categories(Path(data_dir) / "categories.yml")


# 想买个包 · 有没有茶: a lone character asked for as a thing to buy (the bot then says whether it is sold)
_ASKED_FOR = re.compile(r"(?:买|个|款|只|件|看看|看下|有没有|推荐|要)$")


def names_a_kind_at(text: str, start: int, end: int) -> bool:
    """Whether the words the NLU marked as a category can name one: a word the catalog knows, any word of
    two characters or more (手机壳 is then said to be unsold), a lone character asked for as a thing to buy;
    not the 汗 of 跑一身汗."""
    word = text[start:end].strip()
    return len(word) >= 2 or bool(_category_vocabulary().leaves_for(word)) or bool(_ASKED_FOR.search(text[:start]))


def sold_kinds() -> tuple:
    """The leaf categories the shop sells, in categories.yml's order."""
    return _category_vocabulary().leaves


def leaves_named(word: str) -> tuple:
    """The leaf categories a category word covers (平板 → 平板电脑 · 鞋 → 跑步鞋 · 篮球鞋 · 休闲鞋)."""
    return _category_vocabulary().leaves_for(word)


def same_kind(word: str, other: str) -> bool:
    """Whether two category words share a leaf category (鞋 and 跑步鞋 · 运动鞋 and 篮球鞋), so that
    going from one to the other narrows a search rather than starting a new one."""
    vocabulary = _category_vocabulary()
    return bool(set(vocabulary.leaves_for(word)) & set(vocabulary.leaves_for(other)))


def adds_nothing_to(word: str, said: str, words_before: str = "") -> bool:
    """Whether the category word ``word``, said after ``said`` in one message, adds nothing to it: it holds every
    leaf of ``said`` and more (他家牛仔裤也看下 男装的), or it names no kind of the catalog, set apart by the
    ``words_before`` it (宝宝喝的奶粉 不是那种盒装牛奶哈); an unsold kind asked for next (奶粉看完了 再看看纸尿裤) is
    the search's, which says it is not sold."""
    vocabulary = _category_vocabulary()
    inner, outer = set(vocabulary.leaves_for(said)), set(vocabulary.leaves_for(word))
    return bool(inner) and (inner < outer or (not outer and _SET_APART.search(words_before) is not None))


# 不是那种盒装牛奶 · 不要那种: a word set apart from what is wanted
_SET_APART = re.compile(r"(?:不是|不要|别|并非|而不是)(?:那种|这种|那个|这个)?[^，。,.!?！？\s]{0,3}$")


def word_covering(kinds) -> str | None:
    """The category word naming the fewest kinds that still covers ``kinds`` (洗面奶 · 面霜 · 口红 → 化妆品;
    one kind is its own name), the first such word of categories.yml; None when no word covers them."""
    wanted = set(kinds)
    if len(wanted) == 1:
        return next(iter(wanted))
    covering = [(len(leaves), word) for word, leaves in _category_vocabulary().loose_words.items()
                if wanted <= set(leaves)]
    return min(covering, key=lambda found: found[0])[1] if covering else None


def kinds_in_words(text: str) -> tuple:
    """The leaf categories the longest category word in ``text`` covers (她喜欢听歌 → 蓝牙耳机 · 吃的吧 →
    零食 · 咖啡), for a kind said in words the NLU did not mark; () when none is named."""
    folded = fold(text)
    # 要玩的 奶粉家里有: a kind refused is no kind said
    named = [word for word in category_words() if word in folded and not _refused(folded, word)]
    # the longest; of as long ones, the first said (篮球鞋跟牛仔裤那单: 篮球鞋), whatever the set's order
    return leaves_named(max(named, key=lambda word: (len(word), -folded.index(word), word))) if named else ()


# 再给宝宝看个学步车 · 来个充电宝 · 想买台: a verb of looking or buying right before the kind's word.
_ASKED_FOR = re.compile(r"(?<![不别没])(?<!不想)(?<!不要)(?<!不是要)(?<!不是想)"
                        r"(?:看|买|挑|选|来|整|找|入|添|换)"
                        r"(?:个|双|件|台|部|条|款|瓶|罐|盒|套|支|只|点|些|一[个双件台部条款瓶罐盒套支只])?$")


def kind_asked_for(text: str) -> str | None:
    """The category word said right after a verb of looking or buying (再给宝宝看个学步车 → 学步车), the last one said
    and the longest there; None when none is (买个手机壳 · 想换个手机号 name no phone)."""
    folded = text.lower()
    asked = [(found.start(), len(word), word) for word in category_words()
             for found in re.finditer(re.escape(word), folded)
             if _ASKED_FOR.search(folded[:found.start()]) and not _refused(folded, word)
             and not part_of_another_word(folded[found.end():])]
    return max(asked)[2] if asked else None


COMMON_KINDS_FILE = Path(__file__).resolve().parent / "common_kinds.yml"


@lru_cache(maxsize=1)
def _unsold_words() -> tuple:
    """The kinds (and accessories) of common_kinds.yml this shop does not sell: no category word covers them and
    no product's title or tags hold them (饮料 is sold where a coffee drink is; 润唇膏 where a lipstick is); and
    one pattern finding them and the sold kinds' words, the longest first."""
    data = yaml.safe_load(COMMON_KINDS_FILE.read_text("utf-8")) or {}
    described = " ".join(f"{product.title} {' '.join(product.tags)}" for product in _shipped_catalog()).lower()

    def unsold(words):
        return frozenset(fold(word) for word in words or () if not leaves_named(word) and fold(word) not in described)
    kinds, accessories = unsold(data.get("kinds")), unsold(data.get("accessories"))
    words = sorted(kinds | accessories | category_words(), key=len, reverse=True)
    return kinds, accessories, re.compile("|".join(re.escape(word) for word in words))


# 香水味 · 红酒色 · 水果干 · 足球鞋 · 电视剧 · 跑步机上穿: the word is part of another, or a setting
_PART_OF_MORE = re.compile(r"味|色|干|溶豆|鞋|剧|款式|风格|系列|上|里")


def unsold_kind_at(text: str) -> Optional[tuple]:
    """The kind of product the words name that the shop does not sell, with where it stands in the folded words
    (有充电宝吗 → 充电宝 · 手机壳有吗 → 手机壳); None when they name none, refuse it (不要充电宝), or name a kind the
    shop sells as well (手机和充电宝).  Of words that overlap the longest counts: 手机壳 is no 手机, 跑步机 no 跑步."""
    folded = fold(text)
    kinds, accessories, kind_words = _unsold_words()
    found = [match for match in kind_words.finditer(folded) if not _PART_OF_MORE.match(folded, match.end())]
    if not any(match.group(0) in kinds | accessories for match in found) \
            or any(match.group(0) in category_words() for match in found):
        return None
    named = [match for match in found if not is_rejected(folded, match.start(), match.end())]
    return (named[0].group(0), named[0].start(), named[0].end()) if named else None


def unsold_kind_in(text: str) -> Optional[str]:
    """The kind of product the words name that the shop does not sell (unsold_kind_at), or None."""
    found = unsold_kind_at(text)
    return found[0] if found else None


COMMON_BRANDS_FILE = Path(__file__).resolve().parent / "common_brands.yml"


@lru_cache(maxsize=1)
def _unsold_brands() -> re.Pattern:
    """One pattern finding the brands of common_brands.yml the shop does not sell (brands.yml names none of them),
    the longest first."""
    data = yaml.safe_load(COMMON_BRANDS_FILE.read_text("utf-8")) or {}
    unsold = sorted((fold(brand) for brand in data.get("brands") or () if not shipped_brands().named_in(brand)),
                    key=len, reverse=True)
    return re.compile("|".join(re.escape(brand) for brand in unsold) or "(?!)")


def unsold_brand_in(text: str) -> Optional[str]:
    """A brand the words name that the shop does not sell (有没有戴森的 → 戴森), None when they name none, refuse it, or
    name a brand the shop sells as well."""
    folded = fold(text)
    found = next((match for match in _unsold_brands().finditer(folded)
                  if not is_rejected(folded, match.start(), match.end())), None)
    return found.group(0) if found and not shipped_brands().named_in(text) else None


def is_accessory(word: str) -> bool:
    """Whether ``word`` is a thing that comes with a product (充电器 · 表带): 有充电器吗 may ask what is in the box."""
    return fold(word) in _unsold_words()[1]


# 零食或者咖啡 · 洗面奶或洗发水: either of two kinds, said outright; 跑鞋篮球鞋都行 · 跑鞋和篮球鞋也行: with 都行 after.
_EITHER = re.compile(r"^\s*(?:或者|或是|或)\s*$")
_BOTH_WILL_DO_BETWEEN = re.compile(r"^\s*(?:和|跟|与|还是|、|/|，|,)?\s*$")
_BOTH_WILL_DO = re.compile(r"^[的\s]{0,2}(?:都行|都可以|都好|都ok|都成|也行|也可以|均可|随便)")
_REFUSED_AFTER = re.compile(r"^[的\s]{0,2}(?:都|也)?(?:不要|不考虑|不看|算了|pass)")


def kinds_offered_together(text: str) -> Optional[str]:
    """Two or more kinds offered as alternatives in one breath (跑鞋篮球鞋都行 · 洗面奶或者洗发水 有氨基酸的吗), as
    one category condition joining their words (跑鞋、篮球鞋); None when fewer than two kinds are offered so."""
    folded = text.lower()
    spans = []
    for word in sorted(category_words(), key=len, reverse=True):
        for found in re.finditer(re.escape(word), folded):
            if not any(found.start() < end and start < found.end() for start, end, _ in spans) \
                    and not is_rejected(folded, found.start(), found.end()):
                spans.append((found.start(), found.end(), word))
    spans.sort()
    offered, either = spans[:1], True
    for (_, end, _), (start, after, word) in zip(spans, spans[1:]):
        gap = folded[end:start]
        if not (_EITHER.match(gap) or _BOTH_WILL_DO_BETWEEN.match(gap)):
            break
        either = either and bool(_EITHER.match(gap))
        offered.append((start, after, word))
    rest = folded[offered[-1][1]:] if offered else ""
    # 跑鞋、篮球鞋、板鞋都行: 都行 after the last of them; 跑鞋或者篮球鞋都不考虑 refuses them
    if not (either or _BOTH_WILL_DO.match(rest)) or _REFUSED_AFTER.match(rest):
        return None
    leaves = [set(leaves_named(word)) for _, _, word in offered]
    if len(offered) < 2 or any(first & second for place, first in enumerate(leaves) for second in leaves[place + 1:]) \
            or any(owned_at(folded, start, end) for start, end, _ in offered):
        return None  # 鞋或者跑鞋: one kind within the other; 家里有跑鞋，篮球鞋也行: one kind is had
    return KINDS_JOINER.join(word for _, _, word in offered)


def kinds_of_item(title: str, category: Optional[str] = None) -> frozenset:
    """The kinds a bought item is (订单商品的品类): the catalog's category when the order system gives it, and
    the kinds its title's words name (三只松鼠 每日坚果 names none; its category 零食 does)."""
    return frozenset(kinds_in_words(title)) | ({category} if category else frozenset())


def kinds_mentioned(text: str) -> frozenset:
    """Every leaf category that a category word in ``text`` covers, refused or not (手表不想要了 → 智能手表): the
    kinds of things talked about, bought ones included."""
    folded = fold(text)
    return frozenset(kind for word in category_words() if word in folded for kind in leaves_named(word))


def _refused(text: str, word: str) -> bool:
    start = text.index(word)
    return is_rejected(text, start, start + len(word))


# 国产的就行 · 支持国货 · 不要国产的: where the brand is from, wanted or refused
_MADE_IN_CHINA = re.compile(r"国产|国货")


# 国产和进口都行 · 国产的也行: either will do; 这个是国产的吗: a question; 国产的别推了 · 国产的质量不行: refused
_EITHER_WILL_DO = re.compile(r"^[的]?(?:和|跟|或)?[^，。,.]{0,4}(?:都行|也行|都可以|也可以|无所谓)")
_ASKED_OF_IT = re.compile(r"^[的]?[^，。,.]{0,3}(?:吗|么|嘛|不[?？]?$|[?？])")
_FOUND_WANTING = re.compile(r"^[的]?(?:都)?(?:别推|不行|不好|不靠谱|不要了|算了|(?:质量|做工)(?:不行|一般|差))")


def made_in_china_wanted(text: str) -> Optional[bool]:
    """True when the words want a brand made in China (国产的就行 · 支持国货), False when they refuse one (不要国产的 ·
    国产的别推了), None when they say nothing of it, leave it open (国产的也行) or ask (这个是国产的吗); the last
    said counts (不要国产的 … 算了国产的就行)."""
    folded = fold(text)
    said = list(_MADE_IN_CHINA.finditer(folded))
    if not said:
        return None
    last, after = said[-1], folded[said[-1].end():]
    if _EITHER_WILL_DO.match(after) or _ASKED_OF_IT.match(after):
        return None
    return not (is_rejected(folded, last.start(), last.end()) or _FOUND_WANTING.match(after))
