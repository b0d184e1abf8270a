"""Actions of the shopping guide (导购): recommend, answer about shown products, stock, size, alerts."""

from __future__ import annotations

import abc
import logging
import re
from dataclasses import replace
from typing import Any, Dict, List, Optional, Sequence, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import slots
from actions.commands import commands_first
from actions.common import (
    alert_hours, brands, customer_of, last_bot_text, latest_entities, order_system, previous_user_text, recommender,
    rejected_entities, relaxed_on_screen, sender_of, slot_before_message, subscriptions, understood_intent,
    user_texts_since_cards,
)
from actions.memory import recommendation_customer, remember_search
from actions.service import (
    REFERABLE_ORDERS, handle_order_request, order_id_in, order_in_focus, order_meant,
    resume_pending_order, search_kept,
)
from bot.alerts import texts as alert_texts
from bot.catalog.model import Product, fold, load_domestic_brands, model_tokens, with_model_names
from bot.catalog.needs import needed_tags, owned_brand_at
from bot.catalog.vocabulary import (attribute_words, category_words, kind_asked_for, kind_of_a_line_named,
                                    kinds_in_words, kinds_mentioned, kinds_offered_together, kinds_wanted_instead,
                                    leaves_named, made_in_china_wanted, names_a_line, same_kind, shipped_product_line,
                                    without_brand_words, without_owned, word_covering)
from bot.dialogue.alert_requests import alert_kind_in, product_said_for_alert
from bot.dialogue.card_leads import cards_lead
from bot.dialogue.conditions import (
    CONDITION_LABELS, GIFT_KIND_WORDS, GIFT_WORDS, ShoppingConditions, another_kind_allowed, ask_for_category,
    ask_for_gift_category, asks_for_anything_else, asks_other_brand, combined_budget, corrects_the_kind,
    dropped_conditions, earlier_budget,
    goes_back_to_earlier_budget, is_gift_without_category, kept_conditions, kind_not_sold, mac_computer_meant,
    names_a_kind,
    names_the_price_complained_of, priced_like, raised_budget, shifted_budget, size_in_words,
)
from bot.dialogue.named_products import (name_fragments, names_a_chinese_model, names_a_model, names_a_model_to_buy,
                                        names_a_product, pick_named)
from bot.dialogue.product_answers import (
    answer_product_question, asks_about_size, available_pieces, compare, general_size_advice, size_advice, stock_answer,
    variant_label,
)
from bot.dialogue.order_references import holds_item_named, item_talked_about, referenced_order
from bot.dialogue.recommender_client import RecommenderRefused, RecommenderUnavailable
from bot.dialogue.references import POINTING, product_seen_before, referenced_positions
from bot.dialogue.understanding import (
    BIGGER, CHEAPER, INTENT_OF_KIND, ORDER_CHANGES_BESIDE_PRODUCTS, PRICIER, REQUEST_MORE, SMALLER,
    asked_of_an_owned_item, asks_again_for_a_bought_item, condition_shift, likens_to_a_bought_item,
    order_asked_beside_products,
    products_asked_beside, second_question, tracks_a_parcel, unsold_brand_asked, unsold_kind_asked,
)
from bot.language.budget import parse_budget
from bot.language.colors import color_family
from bot.language.sizes import canonical_size, next_size
from bot.orders.system import OrderSystemError

logger = logging.getLogger(__name__)

SORRY_RECOMMENDER_DOWN = "抱歉，商品推荐暂时有点忙，请稍等几秒再问我一次～您的条件我都记着。"
NOTHING_SHOWN = "我还没给您推荐商品呢～告诉我想买什么（比如“三百以内的跑步鞋”），我先帮您挑几款。"
# Conditions that belong to one kind of product: a new category starts them afresh.
CATEGORY_BOUND = ("brand", "color", "size", "budget")
# The loose word of categories.yml for what people give (口红 · 智能手表 · 零食…).
GIFT_KINDS = "礼物"
# How much of the customer's words the search keeps (the newest), and how many shown products
# 还有别的吗 skips.
NEED_LENGTH = 200
MAX_SEEN = 60


class ActionRecommendProducts(Action):
    """Collects conditions over turns, asks for the category when missing, shows product cards.

    What the message means comes from UnderstandingPolicy (``understood_intent``): a
    refinement of the cards, a request for other products (``request_more``) or a new
    request.  The customer's words since the search began (``shopping_need``: 降噪, 油皮,
    无硅油…) rank the products, so attributes said in one turn are not forgotten in the next.
    """

    def name(self) -> Text:
        return "action_recommend_products"

    @commands_first
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        said = tracker.latest_message.get("text") or ""
        products = products_asked_beside(said) if understood_intent(tracker) in ORDER_CHANGES_BESIDE_PRODUCTS else None
        if products:
            # (action_order_service has answered 那单帮我取消了吧 →) 想看看一千以内的降噪耳机: the products too
            return await self.search(dispatcher, tracker, domain, order_words=said[:said.find(products)])
        resumed = await resume_pending_order(dispatcher, tracker)
        if resumed is not None:  # 订单号 given as an answer, read as a condition by the NLU
            return resumed
        return await self.search(dispatcher, tracker, domain)

    async def search(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any],
                     order_words: str = "") -> List[Dict[Text, Any]]:
        """The cards the message asks for; ``order_words``: the part of it that asked about one's orders, which an
        order action has answered (我那个bose耳塞帮我取消了吧 想看看一千以内的降噪耳机)."""
        slot_values = dict(tracker.current_slot_values())
        events: List[Dict[Text, Any]] = [slots.offer_cleared()]
        mentioned = latest_entities(tracker)
        for name, value in rejected_entities(tracker).items():  # 蓝色不要了 · 不要耐克的
            if name not in mentioned and slot_values.get(name):
                slot_values[name] = None
                events.append(SlotSet(name, None))
        said = tracker.latest_message.get("text") or ""
        named_kind = mentioned.get(slots.PRODUCT_CATEGORY)
        if named_kind and slot_values.get(slots.PRODUCT_CATEGORY) != named_kind:
            # 他家牛仔裤也看下 男装的: the slot took the last kind word; the kind meant is the one the words name
            slot_values[slots.PRODUCT_CATEGORY] = named_kind
            events.append(SlotSet(slots.PRODUCT_CATEGORY, named_kind))
        if fold(mentioned.get("brand") or "") == "mac" and mac_computer_meant(said, mentioned.get("budget")):
            # 大学生 想买个mac 七千以内: Apple's computer, not the lipstick brand the NLU's entity names
            computer = {"brand": "苹果", slots.PRODUCT_CATEGORY: mentioned.get(slots.PRODUCT_CATEGORY) or "笔记本电脑"}
            mentioned.update(computer)
            slot_values.update(computer)
            events += [SlotSet(name, value) for name, value in computer.items()]
        owned = None if order_words else await _request_about_an_owned_item(tracker, said)
        if owned:
            # 奶粉咋还在路上 · 手表不想要了 · 裤子这码穿不了 腰太紧, heard as a search: the order holding it
            kind, order_id = owned
            # what the next message follows is this request (换来的要是还这样咋整 · 换XL还是L), not a search
            return await handle_order_request(dispatcher, tracker, kind, order_id) + search_kept(tracker) \
                + [SlotSet(slots.UNDERSTOOD_INTENT, INTENT_OF_KIND.get(kind, "query_order_status"))]
        in_view = bool(slot_values.get(slots.SHOWN_PRODUCTS) or slot_values.get(slots.FOCUS_PRODUCT))
        unsold = unsold_kind_asked(said, in_view)
        if unsold and not leaves_named(mentioned.get(slots.PRODUCT_CATEGORY) or ""):
            # 有充电宝吗 · 想买个手机壳 要苹果的: none of it here, said so; never another kind's cards as if they were it
            dispatcher.utter_message(text=kind_not_sold(unsold))
            if slot_values.get(slots.PRODUCT_CATEGORY):
                events.append(SlotSet(slots.PRODUCT_CATEGORY, None))
            parcel = None if order_words else order_asked_beside_products(said)
            if parcel:  # 帮我查下快递 再推荐个充电宝: the parcel too
                events += await handle_order_request(dispatcher, tracker, "status", order_id_in(tracker))
            return events
        unsold_brand = None if mentioned.get("brand") else unsold_brand_asked(said)
        if unsold_brand:
            # 有没有戴森的: a brand the NLU did not mark; the search says the shop has none, as of any brand it lacks
            mentioned["brand"] = slot_values["brand"] = unsold_brand
        if asks_for_anything_else(said) and not mentioned.get("brand"):
            # (手表 cards →) 你们这还有啥好东西 推荐推荐: another kind than the one looked at, which is asked; what
            # was said for the old kind would only mislead
            dispatcher.utter_message(text=ask_for_category(ShoppingConditions()))
            return events + [SlotSet(name, None) for name in (slots.PRODUCT_CATEGORY, "brand", "color", "size")
                             if slot_values.get(name)]
        # 我自己用的iphone13 想给我妈换个手机: what the customer has is no part of what is searched
        text = without_owned(said, [(entity["start"], entity["end"])
                                    for entity in tracker.latest_message.get("entities") or []
                                    if entity.get("entity") == "brand" and isinstance(entity.get("start"), int)
                                    and isinstance(entity.get("end"), int)
                                    and owned_brand_at(said, entity["start"], entity["end"])]).strip() or said
        asked_order = order_words or order_asked_beside_products(said)
        if asked_order:
            # 帮我查下华为手机到哪了 还有想买个蓝牙耳机: the order's words (华为 · 手机) are no condition of the search
            events += _conditions_beside_an_order(asked_order, tracker, slot_values, mentioned)
            text = text.replace(asked_order, " ").strip() or text
        new_category = mentioned.get("product_category")
        together = kinds_offered_together(text)
        if together:  # 跑鞋篮球鞋都行 · 洗面奶或者洗发水: either kind will do, both are searched
            new_category = mentioned["product_category"] = slot_values[slots.PRODUCT_CATEGORY] = together
            events.append(SlotSet(slots.PRODUCT_CATEGORY, together))
        instead = kinds_wanted_instead(text)
        if instead:
            # 孩子网课 一直用我手机上 屏幕太小了: the phone is what the child has; a tablet is what is wanted
            covering = word_covering(instead)
            new_category = covering if covering and set(leaves_named(covering)) == set(instead) else instead[0]
            mentioned["product_category"] = slot_values[slots.PRODUCT_CATEGORY] = new_category
            events.append(SlotSet(slots.PRODUCT_CATEGORY, new_category))
        searched = slot_values.get(slots.SEARCHED_CATEGORY)
        current_kinds = leaves_named(slot_values.get(slots.PRODUCT_CATEGORY) or searched or "")
        line_kind = None if new_category else kind_of_a_line_named(
            [said[entity["start"]:entity["end"]] for entity in tracker.latest_message.get("entities") or []
             if entity.get("entity") == "brand" and isinstance(entity.get("start"), int)
             and isinstance(entity.get("end"), int)], current_kinds)
        if line_kind:  # ipad → macbook air也看下: the NLU heard the brand 苹果; the line names another kind
            new_category = mentioned["product_category"] = slot_values[slots.PRODUCT_CATEGORY] = line_kind
            events.append(SlotSet(slots.PRODUCT_CATEGORY, line_kind))
            current_kinds = leaves_named(line_kind)
        asked = None if new_category else kind_asked_for(text)
        if asked and current_kinds and not set(leaves_named(asked)) & set(current_kinds):
            # (爱他美奶粉 →) 再给宝宝看个学步车: a kind the NLU did not mark, asked for by name
            new_category = mentioned["product_category"] = slot_values[slots.PRODUCT_CATEGORY] = asked
            events.append(SlotSet(slots.PRODUCT_CATEGORY, asked))
        said_kinds = kinds_in_words(text)
        narrowed = [kind for kind in current_kinds if kind in said_kinds]
        if not new_category and narrowed and len(narrowed) < len(current_kinds) and word_covering(narrowed):
            # 她喜欢听歌 · 吃的吧 in a search over several kinds (礼物 · 化妆品): a kind said in words the NLU
            # did not mark narrows it
            new_category = mentioned["product_category"] = slot_values[slots.PRODUCT_CATEGORY] = \
                word_covering(narrowed)
            events.append(SlotSet(slots.PRODUCT_CATEGORY, new_category))
        for name in dropped_conditions(text):  # 不限牌子 · 颜色无所谓了: whatever was said, now or before
            mentioned.pop(name, None)
            if slot_values.get(name):
                slot_values[name] = None
                events.append(SlotSet(name, None))
        like = priced_like(text) if "budget" not in mentioned else None
        like = like if like and names_a_product(like) else None  # (和第二双价格差不多的: the card's, below)
        named_like = await _named_rows(tracker, like) if like else []
        if named_like and named_like[0].get("price"):
            # 跟AirPods Pro差不多价位的: about its price; its brand named it, and is no condition
            mentioned["budget"] = slot_values["budget"] = f"{named_like[0]['price']:g}左右"
            events.append(SlotSet("budget", slot_values["budget"]))
            if slot_values.get("brand") == named_like[0].get("brand"):
                mentioned.pop("brand", None)
                slot_values["brand"] = None
                events.append(SlotSet("brand", None))
        kept_unset = {name for name in kept_conditions(text) & {"brand", "budget"}
                      if not mentioned.get(name) and not slot_values.get(name)}
        talked_about = await _product_talked_about(tracker, text) if kept_unset else None
        if talked_about:
            # 理肤泉这个孕妇能用吗 → 同牌子的洗面奶有吗 · (爱他美那单) → 还要这个牌子的2段 · (1599的平板那单) → 看看别的平板
            # 差不多价位: the brand or price of what was talked about
            found = {"brand": talked_about.get("brand"),
                     "budget": f"{talked_about['price']:g}左右" if talked_about.get("price") else None}
            for name in kept_unset:
                if found[name]:
                    slot_values[name] = found[name]
                    events.append(SlotSet(name, found[name]))
        earlier = earlier_budget(tracker.events, slot_values.get("budget")) \
            if goes_back_to_earlier_budget(text) and "budget" not in mentioned else None
        if earlier:  # 预算加到八百 → 算了还是刚才那个价位吧: the budget before that change
            mentioned["budget"] = slot_values["budget"] = earlier
            events.append(SlotSet("budget", earlier))
        worn = size_in_words(text)
        if worn and "size" not in mentioned:  # 腰围27的有吗 · 她穿37，五百以内
            mentioned["size"] = slot_values["size"] = worn
            events.append(SlotSet("size", worn))
        need = slot_values.get(slots.SHOPPING_NEED) or ""
        if "brand" in dropped_conditions(text) or "brand" in rejected_entities(tracker):
            need = without_brand_words(need)  # 不限牌子: a line named before would bring its brand back
        seen = list(slot_values.get(slots.SEEN_PRODUCTS) or [])
        kind_switched = bool(new_category and searched and new_category != searched
                             and not same_kind(new_category, searched))
        if kind_switched and fold(searched) in fold(need):  # 他爱打游戏 → 笔记本电脑 was the bot's reading
            # (fold: T恤 was searched for 速干t恤)
            before = _conditions_when_last_searched(tracker, new_category)
            earlier_kind = (before or {}).get(slots.SEARCHED_CATEGORY)
            if earlier_kind and (_GOES_BACK.search(text) or not _BROADENS.search(text)) \
                    and len(leaves_named(earlier_kind)) < len(leaves_named(new_category)):
                # 回到刚才的鞋 · 鞋再多给我看看 after 板鞋 and T恤: the kind looked at then, not every shoe (其他鞋也
                # 看看 widens)
                new_category = mentioned["product_category"] = slot_values[slots.PRODUCT_CATEGORY] = earlier_kind
                events.append(SlotSet(slots.PRODUCT_CATEGORY, earlier_kind))
            kept = kept_conditions(text) | ({"budget"} if corrects_the_kind(text) else set()) \
                | ({"budget", "size"} if another_kind_allowed(text) else set())
            for name in CATEGORY_BOUND:  # 换品类: the old brand, size or budget would only mislead
                if before is not None and name not in mentioned and name not in kept:
                    # 再回去看看跑鞋: back to a kind searched before, with what was said for it then
                    if slot_values.get(name) != before.get(name):
                        slot_values[name] = before.get(name)
                        events.append(SlotSet(name, before.get(name)))
                    continue
                if name in kept or (name in ("brand", "budget") and new_category in need):
                    # 同牌子 · 同样的预算 篮球鞋也看看 · 板鞋 一样的码和预算; 华为的平板跟手表都想瞅瞅 → 先平板吧 ·
                    # 耳机跟手表都想看看 一千以内 → 耳机呢: the brand or budget was said for this kind too
                    continue
                if name not in mentioned and slot_values.get(name):
                    slot_values[name] = None
                    events.append(SlotSet(name, None))
            # 咖啡要无糖的 → 零食就要坚果: kinds asked for together keep what was said for them all
            need, seen = (need if new_category in need else ""), []
        sort_switched = bool(new_category and searched and not kind_switched
                             and fold(new_category) != fold(searched) and fold(new_category) in attribute_words()
                             and fold(new_category) not in fold(need) and tuple(leaves_named(searched)) != (searched,))
        if sort_switched:
            # 挂耳咖啡 → 那再看看咖啡豆: another sort of the same kind, not more of the sort on the screen; the
            # sort looked at before and what was said for it (挂耳 · 办公室) go, the brand and budget stay
            need, seen = "", []
        understood = understood_intent(tracker)
        more = understood == REQUEST_MORE and not sort_switched
        other_brands: List[str] = []
        other_brand = more and asks_other_brand(text)  # 换个牌子看看: not the brands on the screen
        # 她喜欢听歌 names a kind in words the NLU did not mark: the recommender reads it from the words
        # 乐高有适合两岁宝宝的吗 → 牌子无所谓: the brand had narrowed 宝宝 to toys, which stay the kind
        loose_kind = "brand" in dropped_conditions(text) and len(current_kinds) > 1
        no_kind = (not slot_values.get(slots.PRODUCT_CATEGORY) or loose_kind) and not new_category \
            and slot_values.get(slots.SHOWN_PRODUCTS) and not names_a_kind(text, category_words())
        if other_brand or no_kind:
            try:
                shown_rows = await _shown_rows(tracker)
            except RecommenderUnavailable:
                shown_rows = []
            kinds = {row.get("category") for row in shown_rows}
            if no_kind and len(kinds) == 1 and None not in kinds:
                # 想要个乐高 → 别的牌子也看看吧 · 想入个sony的 → 便宜点的 一千五以内: the brand was all that
                # was said; the one kind on the screen stays, also when the brand has to be loosened
                kind = kinds.pop()
                slot_values[slots.PRODUCT_CATEGORY] = kind
                events.append(SlotSet(slots.PRODUCT_CATEGORY, kind))
            elif no_kind and not slot_values.get("brand") and None not in kinds and word_covering(kinds):
                # 兰蔻的 → 不一定要兰蔻，五百以内的: the brand that chose the kinds is dropped, its kinds on the
                # screen stay (洗面奶 · 面霜 · 口红 → 化妆品)
                slot_values[slots.PRODUCT_CATEGORY] = word_covering(kinds)
                events.append(SlotSet(slots.PRODUCT_CATEGORY, slot_values[slots.PRODUCT_CATEGORY]))
            if other_brand:
                other_brands = sorted({str(row["brand"]) for row in shown_rows if row.get("brand")})
                need = without_brand_words(need)  # 詹姆斯那双太贵了 → 别的牌子: the line would bring 耐克 back
                line = shipped_product_line(slot_values.get(slots.PRODUCT_CATEGORY) or "")
                if line:  # the same line, marked as the kind: its kinds, of any brand
                    kind = line[1][0] if len(line[1]) == 1 else word_covering(line[1])
                    slot_values[slots.PRODUCT_CATEGORY] = kind
                    events.append(SlotSet(slots.PRODUCT_CATEGORY, kind))
                if slot_values.get("brand"):
                    slot_values["brand"] = None
                    events.append(SlotSet("brand", None))
        origin = made_in_china_wanted(text)
        if origin is not None and "brand" not in mentioned and slot_values.get("brand") \
                and (brands().canonical(slot_values["brand"]) in load_domestic_brands()) != origin:
            # (惠氏两款差在哪 →) 有没有国产的 300以内: a brand from elsewhere than wanted is let go
            slot_values["brand"] = None
            events.append(SlotSet("brand", None))
        refused_brand = rejected_entities(tracker).get("brand")
        if refused_brand and "brand" not in mentioned:
            # 不要阿迪了 换个 · 耐克也算了: the brand is no longer wanted, and its products (the customer's own
            # favourites, ranked up) are not what is shown next
            other_brands = sorted({*other_brands, brands().canonical(refused_brand) or refused_brand})
            need = without_brand_words(need)
        if more:  # 预算再加一百 看看还有没有别的: more products, within the budget moved as it asks
            raised = raised_budget(text, slot_before_message(tracker, "budget") or slot_values.get("budget"))
            shifted = {"budget": raised} if raised else {}
        else:
            shifted = await _shifted_conditions(tracker, text, mentioned, slot_values, kind_switched)
        for name, value in shifted.items():
            if name in CONDITION_LABELS:
                slot_values[name] = value
                events.append(SlotSet(name, value))
        if not more:
            need = f"{need} {text}".strip()[-NEED_LENGTH:]
            seen = []
        if named_like:  # (the product the price is like would pick its own line's brand from the words)
            need = need.replace(like, " ")
        conditions = ShoppingConditions.from_slots(slot_values)
        if GIFT_WORDS.search(f"{need} {conditions.product_category or ''}") and names_a_kind(need, category_words()):
            # 想给老婆买个礼物 她喜欢听歌: the liking names the kind; 礼物 (six kinds) is the occasion
            if conditions.product_category and GIFT_WORDS.fullmatch(conditions.product_category):
                slot_values[slots.PRODUCT_CATEGORY] = None
                events.append(SlotSet(slots.PRODUCT_CATEGORY, None))
                conditions = ShoppingConditions.from_slots(slot_values)
            # (the occasion stays in the words as a verb that names no kind: 给一岁宝宝买个礼物 is a toy, not the
            # baby's milk that 宝宝 alone may be)
            need = GIFT_KIND_WORDS.sub(" 送 ", need)
        if not conditions.brand and is_gift_without_category(conditions.product_category, need, category_words()):
            # 送老婆生日礼物 · 给我爸买个礼物 三百以内 is an occasion, not a kind of product: the kinds people give,
            # narrowed by whom it is for (a child: toys, snacks; a grown-up: no toy; a man: no lipstick), within
            # the budget, and the question what TA likes, which narrows them next
            dispatcher.utter_message(text=ask_for_gift_category())
            conditions = replace(conditions, product_category=GIFT_KINDS)
            # the kinds of a present stay the search's until a liking names one (她喜欢听歌 → 蓝牙耳机)
            events.append(SlotSet(slots.PRODUCT_CATEGORY, GIFT_KINDS))
        if not (conditions.product_category or conditions.brand) and not names_a_kind(need, category_words()) \
                and last_bot_text(tracker) == ask_for_gift_category():
            # (送女朋友礼物 → TA喜欢什么？告诉我喜好和预算) → 三百左右: no liking said, so the bot picks, as it
            # offered, among the kinds people give (礼物 in categories.yml) within what was said
            conditions = replace(conditions, product_category=GIFT_KINDS)
        if not (conditions.product_category or conditions.brand) and not text.strip():
            dispatcher.utter_message(text=ask_for_category(conditions))
            return events + [SlotSet(slots.SHOPPING_NEED, need)]
        shown = list(slot_values.get(slots.SHOWN_PRODUCTS) or [])
        if names_a_model_to_buy(text, "budget" in mentioned or "size" in mentioned) \
                and not (conditions.brand and "brand" in mentioned):
            # 那就看看Mate60 · 想入一双飞电3: the model's brand and kind become the conditions (after iPhones, too:
            # 那看看mate60 绿色 leaves the brand said before)
            try:
                named = await _named_rows(tracker, text)
            except (RecommenderUnavailable, RecommenderRefused):
                named = []  # the search below still answers, or says the recommender is busy
            if named:
                found = {"brand": named[0]["brand"], "product_category": named[0]["category"]}
                conditions = ShoppingConditions.from_slots({**slot_values, **found})
                events += [SlotSet(name, value) for name, value in found.items()]
        if likens_to_a_bought_item(text):
            # 跟上次买的万斯那双差不多的: the kind of what was bought, of any brand (its brand named the purchase)
            bought = await _order_item_rows(tracker, text)
            if bought:
                its_kind = {"product_category": bought[0]["category"],
                            "brand": None if conditions.brand == bought[0]["brand"] else conditions.brand}
                conditions = ShoppingConditions.from_slots({**slot_values, **its_kind})
                events += [SlotSet(name, value) for name, value in its_kind.items()]
        if not conditions.brand or not conditions.product_category:
            # (连衣裙签收了 颜色跟图上差太多 要退 →) 帮我找条别的 L 蓝色 · 退完再拍件XL的 · 同款T恤再来件黑的: in
            # place of the item of the order just talked about, its kind (and its brand, asked for again)
            replaced = await _replaced_item(tracker, text, conditions)
            if replaced:
                conditions = ShoppingConditions.from_slots({**slot_values, **replaced})
                events += [SlotSet(name, value) for name, value in replaced.items()]
        if conditions.brand and not more:
            # the brand as the catalog names it: the NLU may have marked the model (Duramo) as a second brand
            await _say_model_unavailable(dispatcher, text, brands().named_in(text) or conditions.brand)
        # Without a category the recommender still reads the words (她喜欢护肤 → 护肤), or the brand alone
        # is enough; with neither, it asks.  More means other products than those on screen; cheaper
        # prefers other ones too, but shows cheaper ones seen before rather than none.
        events += await show_products(
            dispatcher, tracker, conditions, need or text,
            require_category=not (conditions.product_category or conditions.brand),
            exclude=seen or (shown if more or shifted.get("budget_shift") == CHEAPER else []), more=more,
            newest=[name for name in CONDITION_LABELS if name in mentioned or name in shifted],
            exclusion_optional=not more, exclude_brands=other_brands,
            # what the cards on the screen loosened and the customer let be; a budget only moved by 便宜点
            loosen_first=[name for name in relaxed_on_screen(tracker) if name not in mentioned]
            + (["budget"] if shifted.get("budget_shift") else []))
        if not order_words and order_asked_beside_products(said):  # 我上周买的东西发货了吗？顺便想看看蓝牙耳机: the order too
            # (the order is asked which, or named by its number: the search's words would point at an order of
            # the kind searched)
            return events + await handle_order_request(dispatcher, tracker, "status", order_id_in(tracker))
        await answer_second_question(dispatcher, text)
        return events


def _conditions_beside_an_order(clause: str, tracker: Tracker, slot_values: Dict[str, Any],
                                mentioned: Dict[str, Any]) -> List[Dict[Text, Any]]:
    """The conditions of a search asked for beside ``clause`` of the message, which asked about one's orders: what the
    NLU read only from the clause (华为 of 华为手机到哪了) is put back as it was before the message, what it read from the
    rest (一千以内 · 降噪耳机) is the search's, although the order's answer kept the search as it was; ``slot_values``
    and ``mentioned`` are updated in place."""
    said = tracker.latest_message.get("text") or ""
    start = said.find(clause)
    entities = [entity for entity in tracker.latest_message.get("entities") or []
                if entity.get("entity") in CONDITION_LABELS and isinstance(entity.get("start"), int)]
    outside = {entity["entity"]: entity.get("value") for entity in entities
               if not start <= entity["start"] < start + len(clause)}
    inside = {entity["entity"] for entity in entities if start <= entity["start"] < start + len(clause)}
    wanted = {**{name: slot_before_message(tracker, name) for name in inside - set(outside)}, **outside}
    events = []
    for name, value in wanted.items():
        if name in outside:
            mentioned[name] = value
        else:
            mentioned.pop(name, None)
        if slot_values.get(name) != value or tracker.get_slot(name) != value:
            slot_values[name] = value
            events.append(SlotSet(name, value))
    return events


# 那换成变形金刚吧 · 改成…: one thing wanted instead of what was said before.
_SWAPS_TO = re.compile(r"换成|改成|改要")  # (换个去屑的 after 欧莱雅 narrows the brand's products)
# 再拍 · 同款 · 一样的再来一件: the same product again, in another size or colour.
_SAME_AGAIN = re.compile(r"再拍|再买|重新拍|重新买|同款|一样的|再来(?:一)?[件双条个瓶]")


async def _request_about_an_owned_item(tracker: Tracker, text: str) -> Optional[tuple]:
    """(request kind, order id or None) when the words ask something of an item the customer bought rather than
    search for it: a kind not being searched, words no search uses, and (for a customer the shop knows) an order
    holding that kind; None otherwise."""
    asked = asked_of_an_owned_item(text)
    kinds = kinds_mentioned(text)  # a kind refused (手表不想要了) is still the item's kind here
    searched = slot_before_message(tracker, slots.SEARCHED_CATEGORY) or ""
    # 耐克的不要了 in a search refuses a brand; 跑鞋太紧了 while shoes are searched refines them
    if not asked or (searched and (not kinds or any(same_kind(kind, searched) for kind in kinds))
                     and not (asked == "status" and tracks_a_parcel(text))):
        return None
    customer = customer_of(tracker)
    if customer is None:  # a guest is asked to log in; 手表不想要了 may as well refuse a kind
        return (asked, None) if asked != "unwanted" and kinds else None
    try:
        orders = [order for order in (await order_system().orders_of(customer))[:REFERABLE_ORDERS]
                  if holds_item_named(text, order)]
    except OrderSystemError:
        return None
    if not orders:
        return None  # nothing of that kind bought: the words are the search's after all
    if asked == "unwanted":
        meant = referenced_order(text, orders, unique=True) or orders[0]
        asked = "cancel" if meant.state in ("待付款", "待发货") else "return_refund"
    return asked, None if asked == "status" else await order_meant(tracker, unique=True, kind=asked)


async def _order_item_rows(tracker: Tracker, text: str, bought_before: bool = False) -> list:
    """The product of the order's item talked about since the last cards, or named while the bot waits to hear
    which order, or (``bought_before``: 之前买的那双安踏 同款还有吗) named as bought; [] when none is meant."""
    customer, order_id = customer_of(tracker), order_in_focus(tracker)
    bought_before = bought_before or likens_to_a_bought_item(text)  # 跟上次买的万斯那双差不多的
    awaited = customer is not None and (bought_before or slots.order_kind_awaited(tracker) is not None)
    if not (customer and ((order_id and _order_named_after_cards(tracker)) or awaited)):
        return []
    try:
        if order_id and _order_named_after_cards(tracker) and not bought_before:
            order = await order_system().order_of(customer, order_id)
        else:
            # (换货 → 哪一单?) XL的还有吗 那件T恤: the bot waits to hear which order; the one holding the item named
            orders = (await order_system().orders_of(customer))[:REFERABLE_ORDERS]
            # (KT9 42码有点挤脚 能换43不 → 哪一单? →) 43的白色还有货吗: the item named in the messages before
            order = _order_holding_an_item_named([text, *user_texts_since_cards(tracker)], orders)
        if not order:
            return []
        # (雪中飞那件想换个码 → 换货运费谁出 →) L的还有吗: the item named since the order was, newest first
        item = item_talked_about(order, [text, *user_texts_since_cards(tracker)])
        rows = await recommender().products([bought.product_id for bought in order.items])
        color, size = _asked_variant(tracker)
        made = [row for row in rows if _made_in(row, color, size)] if color or size else []
        named = [row for row in rows if item and row["id"] == item.product_id]
        if len(made) == 1 and not (named and _made_in(named[0], color, size)):
            return made  # 37码有吗 of an order of a down jacket and shoes: the shoes, whichever was named
        return named
    except (OrderSystemError, RecommenderUnavailable, RecommenderRefused):
        return []


def _order_holding_an_item_named(texts: List[str], orders: list):
    """The one order holding the item named in the newest of ``texts`` that names one (None when none does)."""
    for said in texts:
        order = referenced_order(said, [o for o in orders if holds_item_named(said, o)], unique=True)
        if order:
            return order
    return None


def _made_in(row: dict, color: Optional[str], size: Optional[str]) -> bool:
    """Whether the product is made in the colour family and size asked (either may be None)."""
    return (not size or size in {canonical_size(s) for s in row.get("sizes") or ()}) \
        and (not color or color in {color_family(c) for c in row.get("colors") or ()})


async def _product_talked_about(tracker: Tracker, text: str) -> Optional[dict]:
    """The product talked about last: the card in focus, else the item of the order in view."""
    focus = tracker.get_slot(slots.FOCUS_PRODUCT)
    try:
        rows = (await recommender().products([focus]) if focus else []) or await _order_item_rows(tracker, text)
    except (RecommenderUnavailable, RecommenderRefused):
        return None
    return rows[0] if rows else None


def _order_named_after_cards(tracker: Tracker) -> bool:
    """Whether an order was talked about since the last product cards (牛仔裤要退 → 我160 52kg 穿啥码 → 女款直筒 29)."""
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("value"):
            if event.get("name") == slots.SHOWN_PRODUCTS:
                return False
            if event.get("name") == slots.ORDER_ID:
                return True
    return False


async def _replaced_item(tracker: Tracker, text: str, conditions: ShoppingConditions) -> Dict[str, str]:
    """The kind (and, asked again, the brand) of the item of the order talked about since the last cards, for a
    search naming neither; {} when no order was talked about since or no one item of it is meant."""
    names_kind = bool(conditions.product_category) or names_a_kind(text, category_words())
    if names_kind and not _SAME_AGAIN.search(text):
        return {}
    rows = await _order_item_rows(tracker, text)
    if not rows or (conditions.product_category and not same_kind(conditions.product_category, rows[0]["category"])) \
            or (conditions.brand and conditions.brand != rows[0]["brand"]):
        return {}  # 顺便再买罐 飞鹤的 2段 after a tablet's order: another product, named by its brand
    found = {} if names_kind else {"product_category": rows[0]["category"]}
    # (洗面奶退了 →) 重新买个洗面奶 油皮用 要控油的: another product, told by what it should be; 退完再拍件XL的:
    # the same one again
    if _SAME_AGAIN.search(text) and not conditions.brand and not needed_tags(text) \
            and not any(word in text.lower() for word in attribute_words()):
        found["brand"] = rows[0]["brand"]
    return found


async def _search_having(client, tracker: Tracker, text: str, given: Dict[str, Any], exclude: Sequence[str],
                         newest: Sequence[str], wanted: Sequence[str]) -> Optional[dict]:
    """The search for ``text`` when its cards hold the ``wanted`` attributes; else None."""
    try:
        body = await client.recommend(recommendation_customer(tracker), text, given, exclude=exclude, newest=newest)
    except (RecommenderUnavailable, RecommenderRefused):
        return None
    still_missing = set(body.get("wanted_tags_missing") or [])
    return body if body.get("products") and not still_missing & set(wanted) else None


async def answer_second_question(dispatcher: CollectingDispatcher, text: str) -> None:
    """降噪耳机有推荐的嘛，另外能开发票不: after the products, the shop's answer to the other question."""
    question = second_question(text)
    if not question:
        return
    try:
        found = (await recommender().search_knowledge(question, None)).get("match")
    except (RecommenderUnavailable, RecommenderRefused):
        found = None
    if found:
        dispatcher.utter_message(text=f"另外您问的“{question}”：{found['answer']}")


async def _shifted_conditions(tracker: Tracker, text: str, mentioned: Dict[str, str],
                              slot_values: Dict[str, Any], kind_switched: bool = False) -> Dict[str, Any]:
    """换个便宜点的 · 再贵点也行 · 有没有大一码的 · 预算再加一千: the budget or size moved from what was shown.
    A budget said with another kind (回到耳机 预算还是一千 after 手表 预算不限) is that kind's own."""
    earlier = slot_before_message(tracker, "budget")
    raised = raised_budget(text, earlier or slot_values.get("budget"))
    if raised:
        return {"budget": raised}
    combined = combined_budget(mentioned.get("budget"), earlier, text) \
        if "budget" in mentioned and not kind_switched else None
    if combined:
        return {"budget": combined}
    shift = condition_shift(text)
    prices: Optional[List[float]] = None
    if names_the_price_complained_of(text, mentioned.get("budget")):
        prices = await _shown_prices(tracker)  # 太贵了 一百多的有吗: a price well under those shown is wished for
        if names_the_price_complained_of(text, mentioned.get("budget"), prices):
            mentioned = {name: value for name, value in mentioned.items() if name != "budget"}
            shift = CHEAPER  # 两千多 有没有平替: the price on the screen, and a wish for cheaper
    if shift in (CHEAPER, PRICIER) and "budget" not in mentioned and not goes_back_to_earlier_budget(text):
        # (贵了点 算了 还是刚才那个价: the budget said before, which the loosened cards had gone past)
        if prices is None:
            prices = await _shown_prices(tracker)
        # 价格不限 · 预算不限: no bound at all, not one over the budget said before
        lifted = shift == PRICIER and "budget" in dropped_conditions(text)
        moved = None if lifted else shifted_budget(shift == CHEAPER, text, earlier, prices)
        if moved or shift == PRICIER:  # a pricier wish with nothing to go by lifts the budget
            return {"budget": moved, "budget_shift": shift}
    if shift in (BIGGER, SMALLER) and "size" not in mentioned and slot_values.get("size"):
        moved = next_size(str(slot_values["size"]), 1 if shift == BIGGER else -1)
        if moved:
            return {"size": moved}
    return {}


async def _shown_prices(tracker: Tracker) -> List[float]:
    """The prices of the products on the screen ([] when the recommender cannot say)."""
    try:
        rows = await _shown_rows(tracker)
    except RecommenderUnavailable:
        rows = []
    return [float(row["price"]) for row in rows if row.get("price") is not None]


async def show_products(dispatcher: CollectingDispatcher, tracker: Tracker, conditions: ShoppingConditions,
                        text: str, require_category: bool = False,
                        exclude: Sequence[str] = (), newest: Sequence[str] = (),
                        more: bool = False, exclusion_optional: bool = False,
                        exclude_brands: Sequence[str] = (), loosen_first: Sequence[str] = ()) -> List[Dict[Text, Any]]:
    """Asks the recommender and utters text plus the ``product_cards`` payload; returns slot events.

    ``text`` is the customer's need in words; ``exclude`` the products already shown, ``more``
    when the customer asked for other ones (还有别的吗); with ``exclusion_optional`` the shown
    ones come back when no other product meets every condition.
    """
    client = recommender()
    given = conditions.given()
    notes = []
    not_carried: List[str] = []
    restored: List[Dict[Text, Any]] = []
    body = None
    for _ in range(len(given) + 1):
        try:
            body = await client.recommend(recommendation_customer(tracker), text, given, exclude=exclude,
                                          newest=newest, exclude_brands=exclude_brands, loosen_first=loosen_first)
            if exclude_brands and (body.get("relaxed") or not body.get("products")):
                # no other brand has what was asked: other products of any brand, rather than loosening
                body = await client.recommend(recommendation_customer(tracker), text, given, exclude=exclude,
                                              newest=newest, loosen_first=loosen_first)
            if exclude and exclusion_optional and (body.get("relaxed") or not body.get("products")
                                                   or body.get("wanted_tags_missing")):
                # (去屑的 → 便宜点的) the cheaper ones with the attribute may all have been shown: those again,
                # rather than others without it
                again = await client.recommend(recommendation_customer(tracker), text, given, newest=newest,
                                               loosen_first=loosen_first)
                if body.get("relaxed") or not body.get("products") \
                        or (again.get("products") and not again.get("relaxed")
                            and len(again.get("wanted_tags_missing") or []) < len(body["wanted_tags_missing"])):
                    body = again
            break
        except RecommenderUnavailable:
            dispatcher.utter_message(text=SORRY_RECOMMENDER_DOWN)
            return []
        except RecommenderRefused as refused:
            name = refused.field.removeprefix("conditions.")
            if name not in given:
                dispatcher.utter_message(text="抱歉，这个要求我没看懂，能换个说法吗？")
                return []
            # 大瓶一点的 · 詹姆斯那款: a word the shop does not know takes the place of nothing; the
            # condition said before it stays (洗发水 · 耐克), and only a lone unknown word is named.
            earlier = slot_before_message(tracker, name)
            restored.append(SlotSet(name, earlier if earlier != given[name] else None))
            if earlier and earlier != given[name]:
                given[name] = earlier
            else:
                unknown = str(given.get(name) or "")
                given = {key: value for key, value in given.items() if key != name}
                known = (brands().named_in(text) or brands().named_in(previous_user_text(tracker))
                         if name == "brand" else None)
                if known:  # 耐克飞马40: the NLU's last brand was the model; the brand is in the words
                    given["brand"] = known
                    restored.append(SlotSet("brand", known))
                    continue
                cut_model = re.search(rf"{re.escape(unknown)}\s*[0-9]+", text, re.IGNORECASE) \
                    if name == "brand" and unknown else None
                if cut_model and with_model_names(cut_model.group(0)).strip() != fold(cut_model.group(0)):
                    # 看看白色的af1: the NLU cut a model's nickname into a brand; the model named is the search
                    # (一加12 · 新百伦574: a brand the shop does not sell, said so)
                    continue
                if name != "budget":  # 奔三了: a number that is no price is left out without a word
                    notes.append(refused.message)
                if name == "brand":
                    # 飞马40还有货吗: an unknown brand was all there was; products of any kind would be noise
                    require_category = require_category or not given.get("product_category")
                    not_carried.append(name)  # 新百伦的鞋: the cards are other brands', and say so
                # 想看看纸尿裤: a kind the shop does not sell was the kind asked, other kinds' cards are no answer (再买罐
                # 飞鹤的 2段: the brand's products, 罐 was no kind)
                require_category = require_category or (name == "product_category" and len(unknown) > 1
                                                        and not given.get("brand"))
    if body is None:
        dispatcher.utter_message(text=SORRY_RECOMMENDER_DOWN)
        return []
    latest = tracker.latest_message.get("text") or ""
    missing_now = [tag for tag in body.get("wanted_tags_missing") or [] if tag in latest]
    # the brand of a product line said before (星飞帆卓睿 → 飞鹤), read from the words, never said itself
    line_brand = (body.get("conditions") or {}).get("brand") \
        if missing_now and not given.get("brand") and not brands().named_in(text) else None
    # (乐高 →) 那换成变形金刚吧: a brand said before, swapped for a sort it does not make
    swapped_brand = given.get("brand") if missing_now and "brand" not in newest and _SWAPS_TO.search(latest) \
        and not brands().named_in(latest) else None
    if line_brand or swapped_brand:
        # 星飞帆卓睿 2段 → 有没有进口的: the line pointed at a product; its brand has nothing of what is asked
        # now, so other brands that have it, said so (a brand said outright stays: 欧莱雅 → 去屑的有吗)
        unbranded = without_brand_words(text)
        without_brand = {name: value for name, value in given.items() if name != "brand"}
        others = await _search_having(client, tracker, unbranded, without_brand, exclude, newest, missing_now)
        if others is not None:
            notes.append(f"{line_brand or swapped_brand}没有{'、'.join(missing_now)}的，给您看看其他牌子")
            text, body = unbranded, others
            if swapped_brand:
                restored.append(SlotSet("brand", None))
    found = body.get("conditions") or {}
    if require_category and not found.get("categories"):
        kept = ShoppingConditions.from_slots(given)  # a refused word is named once, not kept as a condition
        dispatcher.utter_message(text="".join(f"{note}。" for note in notes) + ask_for_category(kept))
        return restored + [SlotSet(slots.SHOPPING_NEED, text)]
    # 她喜欢护肤: the category read from the words stays for the next turn's 预算500以内
    category = given.get("product_category") or found.get("category_word") or None
    remembered = restored + [SlotSet(slots.SHOPPING_NEED, text), SlotSet(slots.SEARCHED_CATEGORY, category)]
    if category and not given.get("product_category"):
        remembered.append(SlotSet(slots.PRODUCT_CATEGORY, category))
    products = body.get("products") or []
    lead = "；".join(notes + [cards_lead(body, products, more, tracker.latest_message.get("text") or "")]).strip("；")
    if not products:
        if more:
            dispatcher.utter_message(text="符合您条件的商品都给您看过了😊 想放宽预算、换个品牌或颜色再看看吗？")
            return remembered
        dispatcher.utter_message(text=f"{lead} 换个条件试试？比如放宽预算或者换个颜色。")
        return remembered + [SlotSet(slots.SHOWN_PRODUCTS, [])]
    lines = [f"{number}. {card['title']} ¥{card['price']:g} —— {card['reason']}"
             for number, card in enumerate(products, start=1)]
    payload: Dict[str, Any] = {"type": "product_cards", "products": products}
    relaxed = list(dict.fromkeys([*(body.get("relaxed") or []), *not_carried]))
    if relaxed:
        payload["relaxed"] = relaxed
    dispatcher.utter_message(text=lead + "\n" + "\n".join(lines) + "\n想了解哪一款？可以问我“第二个防水吗”或“这两款哪个好”。",
                             json_message=payload)
    await remember_search(tracker, {"category": category, **given}, products)
    shown = [card["id"] for card in products]
    return remembered + [
        SlotSet(slots.SHOWN_PRODUCTS, shown),
        SlotSet(slots.SEEN_PRODUCTS, (list(exclude) + shown)[-MAX_SEEN:]),
        SlotSet(slots.FOCUS_PRODUCT, None),
    ]


def _conditions_when_last_searched(tracker: Tracker, category: str) -> Optional[Dict[str, Any]]:
    """The brand, colour, size and budget in force the last time this kind (or one of the same kind:
    跑鞋 · 跑步鞋) was searched in the conversation, as the customer's next message found them; None if
    it never was."""
    current: Dict[str, Any] = {}
    found: Optional[Dict[str, Any]] = None
    for event in tracker.events:
        if event.get("event") == "slot":
            current[event.get("name")] = event.get("value")
        elif event.get("event") == "user":
            searched = current.get(slots.SEARCHED_CATEGORY)
            if searched and same_kind(searched, category):
                found = {name: current.get(name) for name in CATEGORY_BOUND}
                found[slots.SEARCHED_CATEGORY] = searched
        elif event.get("event") == "session_started":
            current, found = {}, None
    return found


# 回到刚才的鞋 · 再回去看看跑鞋: back to a kind looked at before.
_GOES_BACK = re.compile(r"回到|回去|回头看|看回|刚才(?:的|那)|之前(?:的|那)|再回")
_BROADENS = re.compile(r"别的|其他|其它|各种|所有|全部|随便|都(?:看|行|可以)")
# 还是看回洗发水 · 回到耳机: the search itself goes back (刚才那个平板有紫色的吗 only asks of a card shown before)
_SWITCHES_BACK = re.compile(r"看回|回到|回去|再回")


async def _shown_rows(tracker: Tracker) -> list:
    ids = tracker.get_slot(slots.SHOWN_PRODUCTS) or []
    return await recommender().products(ids) if ids else []


async def _earlier_rows_of_kind(tracker: Tracker, text: str, on_screen: list) -> list:
    """平板那个有紫色的吗 · 手表那个小米的续航多久: a product pointed at by a kind not on the screen, among
    the products shown earlier in the conversation (the latest of that kind unless more is said)."""
    kind = latest_entities(tracker).get("product_category")
    leaves = set(leaves_named(kind)) if kind and POINTING.search(text) else set()
    if not leaves or any(row.get("category") in leaves for row in on_screen):
        return []
    shown_before: List[str] = []
    for event in reversed(tracker.events):
        if event.get("event") == "slot" and event.get("name") == slots.SHOWN_PRODUCTS:
            shown_before += [product for product in event.get("value") or [] if product not in shown_before]
    rows = [row for row in await recommender().products(shown_before) if row.get("category") in leaves]
    named = referenced_positions(text, rows)
    return [rows[position] for position in named] if named else rows[:1]


MODEL_NOT_SOLD = "本店目前没有卖{model}这一款😅 可以看看刚才的几款，或者告诉我想要的价位和功能，我帮您找相近的。"


async def _say_model_unavailable(dispatcher: CollectingDispatcher, text: str, brand: str) -> None:
    """阿迪的Duramo还有货吗: a model of the brand that the catalog lacks or has sold out is said so, before
    the brand's other products, so the customer is never shown another model as if it were the one asked."""
    folded = fold(text)

    def after_a_brand(token: str) -> bool:  # 阿迪的duramo · nike pegasus; not hello 有nike的吗
        before = folded[:folded.find(token)].rstrip(" 的")
        return any(before.endswith(word) for word in brands().words)

    names = [token for token in model_tokens(text) - brands().words
             if len(token) >= 4 and not token.isdigit() and after_a_brand(token)]
    if not names:
        return
    try:
        found = await recommender().named(names[0])
    except (RecommenderUnavailable, RecommenderRefused):
        return
    if not found:
        written = re.search(re.escape(names[0]), text, re.IGNORECASE)
        dispatcher.utter_message(text=f"本店暂时没有“{written.group(0) if written else names[0]}”这一款，没货😅 "
                                      f"先看看{brand}的这些：")
    elif all(int(row.get("stock") or 0) <= 0 for row in found):
        dispatcher.utter_message(text=f"{found[0]['title']} 目前缺货，暂时没有现货😅 先看看{brand}家有货的这些：")


def _model_asked(text: str) -> str:
    """The model a message names, as written (k70有吗 → k70), for saying the shop has none."""
    found = re.search(r"[A-Za-z]+\s?[0-9]+[A-Za-z0-9]*|[0-9]+\s?(?:pro|max|plus|ultra|mini)", text, re.IGNORECASE)
    return f"“{found.group(0)}”" if found else "您说的"


def _names_product_or_brand(tracker: Tracker, text: str) -> bool:
    return bool(names_a_model(text) or names_a_chinese_model(text) or latest_entities(tracker).get("brand")
                or names_a_line(text))


async def _of_brand_like_shown(tracker: Tracker, text: str, brand: str, shown: list) -> list:
    """The product of ``brand`` of the one kind on the screen that best fits the words, as a catalog row; none when
    the brand makes none of it in stock (or the screen holds several kinds)."""
    kinds = {row.get("category") for row in shown}
    if len(kinds) != 1 or None in kinds:
        return []
    body = await recommender().recommend(recommendation_customer(tracker), text,
                                         {"brand": brand, "product_category": kinds.pop()}, record_shown=False)
    found = body.get("products") or []
    return [] if body.get("relaxed") or not found else await recommender().products([found[0]["id"]])


async def _named_rows(tracker: Tracker, text: str) -> list:
    """The products the message names by model (bot/dialogue/named_products.py), at most one per name.

    Only when it names something: a model, a brand or a kind (这款防水吗 names nothing).
    """
    mentioned = latest_entities(tracker)
    if not (_names_product_or_brand(tracker, text) or mentioned.get("product_category")):
        return []
    rows: list = []
    for fragment in name_fragments(text):
        # a model by its name, sold out or not (小米平板6有货吗); a brand or kind by the best match (华为手机)
        # (a line by its Chinese name too: 经典创意那盒 · 拯救者)
        named = await recommender().named(fragment) if model_tokens(fragment) or names_a_line(fragment) else []
        if named:
            row = named[0]
        else:
            # 潘婷那个修护的: the brand named is a condition, not only a word to rank by
            brand = brands().named_in(fragment)
            body = await recommender().recommend(recommendation_customer(tracker), fragment,
                                                 {"brand": brand} if brand else {}, record_shown=False)
            row = pick_named(fragment, body.get("products") or [])
        if row is not None and all(row["id"] != kept["id"] for kept in rows):
            rows.append(row)
    return rows


async def comparison_partner(tracker: Tracker, shown: dict, text: str) -> tuple:
    """The product to compare the one shown product with, and a note saying how it was picked.

    A brand named (跟阿迪的比呢): that brand's product of the same kind nearest in price, noting
    when the model asked for is not sold here; else the product looked at before this one
    (俩哪个更显白); else the nearest in price of the same kind.  (None, "") when the shop has none.
    """
    category = shown.get("category")
    customer = recommendation_customer(tracker)
    said = latest_entities(tracker).get("brand")
    # brands.yml's names and aliases; a brand only the shop's own catalog has is asked of the recommender as said
    brand = brands().named_in(text) or ((brands().canonical(said) or said) if said else None)
    missing = ""
    if brand and brand != shown.get("brand"):
        try:
            body = await recommender().recommend(customer, str(category),
                                                 {"product_category": category, "brand": brand},
                                                 exclude=[shown["id"]], record_shown=False)
        except RecommenderRefused:  # the catalog knows no such brand (the NLU read ultraboost as one)
            body = None
        same = [row for row in (body or {}).get("products") or []
                if row.get("brand") == brand and row.get("category") == category]
        if same:
            partner = await _whole_row(nearest_in_price(shown, same))
            asked = {token for fragment in name_fragments(text) for token in model_tokens(fragment)} - brands().words
            if any(token not in fold(str(partner.get("title", ""))) for token in asked):  # 阿迪ultraboost
                return partner, f"您说的那款本店没有，拿{brand}家价位最接近的这款和它比一比："
            return partner, ""
        missing = f"本店没有{brand}的{category}，" if body is not None else f"本店没有“{said or brand}”，"
    seen = product_seen_before(tracker.events)
    if seen and not missing:
        earlier = await recommender().products([seen])
        if earlier and earlier[0].get("category") == category:
            return earlier[0], ""
    body = await recommender().recommend(customer, str(category), {"product_category": category},
                                         exclude=[shown["id"]], record_shown=False)
    same = [row for row in body.get("products") or [] if row.get("category") == category]
    if not same:
        return None, ""
    partner = await _whole_row(nearest_in_price(shown, same))
    return partner, f"{missing}目前只给您看了一款，拿同类里价位最接近的这款和它比一比："


def nearest_in_price(shown: dict, rows: list) -> dict:
    return min(rows, key=lambda row: abs(float(row.get("price") or 0) - float(shown.get("price") or 0)))


async def _whole_row(card: dict) -> dict:
    """The catalog row of a card (a card carries no rating, sales or tags to compare)."""
    rows = await recommender().products([card["id"]])
    return rows[0] if rows else card


def _pick(rows: list, tracker: Tracker, text: str, default_all: bool = False) -> list:
    """The shown products the message refers to; else the one in focus; else the first (or all)."""
    # A pressed card button (WeChat, Telegram) sends the product's id in the text.
    by_id = [row for row in rows if row["id"] in text]
    if by_id:
        return by_id
    positions = referenced_positions(text, rows)
    if positions:
        return [rows[p] for p in positions]
    focus = tracker.get_slot(slots.FOCUS_PRODUCT)
    focused = [row for row in rows if row["id"] == focus]
    if focused and not default_all:
        return focused
    return rows if default_all else rows[:1]


# 跟QC Ultra比续航怎么样: a named product set against the one on the screen, which the question is about
_SETS_AGAINST = re.compile(r"比|区别|哪个|还是")


class _ProductQuestion(Action, abc.ABC):
    """Shared flow: load the shown products, pick the referenced ones, answer, remember the focus.

    Abstract, so rasa-sdk registers only the concrete actions below.
    """

    names_others = False  # a question that may name a product beside the shown ones (a comparison)
    answers_named = False  # a question about the product it names rather than the shown ones (a stock question)
    kind_has_an_answer = False  # with nothing shown, a kind alone is answered for the kind, not for one product of it
    # 这两个哪个好 puts both in view, neither alone: 有粉色吗 next filters the search, not one of them
    several_in_view = False
    asks_of_the_order_item = False  # the item of an order talked about since the cards comes before the cards

    @commands_first
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        text = tracker.latest_message.get("text") or ""
        events: List[Dict[Text, Any]] = []
        try:
            rows = await _shown_rows(tracker)
            if self.asks_of_the_order_item and _order_named_after_cards(tracker):
                # (李宁羽绒服穿着大 想换小一号的 →) 我180 75公斤 换XL还是L: the item being exchanged, not a card
                # shown before the order was talked about (另外想买件T恤 穿L还是XL asks of another kind)
                items = await _order_item_rows(tracker, text)
                kinds_said = set(kinds_in_words(text))
                if items and (not kinds_said
                              or any(same_kind(row["category"], kind) for row in items for kind in kinds_said)):
                    rows = items
            bought = await _order_item_rows(tracker, text, bought_before=True) \
                if asks_again_for_a_bought_item(text) else []
            if bought:  # 上次那条太平鸟牛仔裤 同款有灰色吗: the product bought, now the one searched (31的 next)
                rows = bought
                events += [SlotSet(slots.SHOWN_PRODUCTS, [row["id"] for row in bought]),
                           SlotSet(slots.PRODUCT_CATEGORY, bought[0]["category"]),
                           SlotSet(slots.SEARCHED_CATEGORY, bought[0]["category"]),
                           SlotSet("brand", bought[0]["brand"])]
            earlier = await _earlier_rows_of_kind(tracker, text, rows)
            if earlier:  # 平板那个有紫色的吗 with earphones on the screen: the tablet shown before
                rows = earlier
                # the kind named points at that product; the search under way keeps its own kind, unless the
                # customer goes back to it (还是看回洗发水 刚那个施华蔻多少毫升)
                kind = earlier[0].get("category") if _SWITCHES_BACK.search(text) \
                    else slot_before_message(tracker, slots.PRODUCT_CATEGORY)
                events.append(SlotSet(slots.PRODUCT_CATEGORY, kind))
            names_one = names_a_product(text)
            brand_named = brands().canonical(latest_entities(tracker).get("brand") or "")
            # (这个比理肤泉的温和吗 · 我之前用理肤泉的过敏 这个能用吗: the card on the screen, the brand beside it)
            if rows and self.answers_named and brand_named and not names_one and not referenced_positions(text, rows) \
                    and brand_named not in {row.get("brand") for row in rows} and not POINTING.search(text) \
                    and not _SETS_AGAINST.search(text) and not any(
                        owned_brand_at(text, entity["start"], entity["end"])
                        for entity in tracker.latest_message.get("entities") or []
                        if entity.get("entity") == "brand" and isinstance(entity.get("start"), int)
                        and isinstance(entity.get("end"), int)):
                # 理肤泉那个呢 听说对痘痘好 with other brands' cleansers on the screen: that brand's one of the kind,
                # whose brand the search takes up (行吧 预算200 next looks at that brand's)
                of_brand = await _of_brand_like_shown(tracker, text, brand_named, rows)
                if of_brand:
                    rows = of_brand
                    events.append(SlotSet("brand", brand_named))
            if rows and (self.names_others or self.answers_named) and names_one:
                found = await _named_rows(tracker, text)
                named = [row for row in found if row["id"] not in {r["id"] for r in rows}]
                if named and self.names_others:  # 它和迪奥999哪个更显白: the one meant against the one named
                    rows = _pick(rows, tracker, text)[:1] + named
                elif named and not _SETS_AGAINST.search(text) and not referenced_positions(text, rows):
                    # KT9有吗 with other shoes on the screen: that model (擎天柱那个能包装成礼盒吗 names a card shown;
                    # the catalog's 礼盒 is no product meant)
                    rows = named
                elif found and self.answers_named:  # iphone15有吗 with it on the screen: that card
                    rows = [row for row in rows if row["id"] in {f["id"] for f in found}]
                elif self.answers_named and names_a_model(text) and not referenced_positions(text, rows):
                    # k70有吗: a model the shop does not sell; never answer about another one instead
                    dispatcher.utter_message(text=MODEL_NOT_SOLD.format(model=_model_asked(text)))
                    return events
            if not rows and not (self.kind_has_an_answer and not _names_product_or_brand(tracker, text)):
                # none shown: the customer may name the models (小米14和vivoX100哪个好)
                rows = await _named_rows(tracker, text)
                events.append(SlotSet(slots.SHOWN_PRODUCTS, [row["id"] for row in rows]))
                categories = {row.get("category") for row in rows}
                if len(categories) == 1:  # 预算五百以内的话呢 next keeps to what was compared
                    events += [SlotSet(slots.PRODUCT_CATEGORY, rows[0]["category"]),
                               SlotSet(slots.SEARCHED_CATEGORY, rows[0]["category"])]
                if len({row.get("brand") for row in rows}) == 1:  # KT9有吗 → 41 白色: the model's brand still
                    events.append(SlotSet("brand", rows[0]["brand"]))
        except (RecommenderUnavailable, RecommenderRefused):
            dispatcher.utter_message(text="抱歉，商品资料暂时查不到，请稍后再问我一次。")
            return []
        if not rows:
            # (牛仔裤要退 腰大了 →) 30的有货吗: the item of the order talked about since the last cards; its colour
            # and size are the order's, not the next search's (那藏青的M呢 → 顺便看看碎花裙 is no navy dress)
            rows = await _order_item_rows(tracker, text)
            if rows:
                events += [SlotSet(name, slot_before_message(tracker, name)) for name in ("color", "size")
                           if tracker.get_slot(name) != slot_before_message(tracker, name)]
        if not rows:
            return events + await self.nothing_shown(dispatcher, tracker, domain, text)
        rows = await self.widen(dispatcher, tracker, rows, text)
        chosen = self.answer(dispatcher, tracker, rows, text)
        for row in chosen:
            await recommender().record_event(recommendation_customer(tracker), "asked", row["id"], text)
        shown = set(tracker.get_slot(slots.SHOWN_PRODUCTS) or [])
        if chosen and latest_entities(tracker).get("brand") and all(row["id"] in shown for row in chosen):
            # 回力那双磨脚不 · 匡威那双是高帮还是低帮: a card named by its brand; the search keeps its own brand
            events.append(SlotSet("brand", slot_before_message(tracker, "brand")))
        if len(chosen) > 1 and self.several_in_view:
            return events + [SlotSet(slots.FOCUS_PRODUCT, None)]
        return events + ([SlotSet(slots.FOCUS_PRODUCT, chosen[-1]["id"])] if chosen else [])

    @abc.abstractmethod
    def answer(self, dispatcher: CollectingDispatcher, tracker: Tracker, rows: list, text: str) -> list:
        """Utters the answer; returns the rows it was about."""

    async def widen(self, dispatcher: CollectingDispatcher, tracker: Tracker, rows: list, text: str) -> list:
        """The rows to answer about when the screen alone is not enough; the screen by default."""
        return rows

    async def nothing_shown(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any],
                            text: str) -> List[Dict[Text, Any]]:
        """No cards on the screen and no model named that the catalog has: ipad 3k以内有吗 ·
        想入手mate60 pro · 有没有飞马40 are requests for products, answered with products; else say so."""
        mentioned = latest_entities(tracker)
        searching = tracker.get_slot(slots.PRODUCT_CATEGORY) or tracker.get_slot("brand")
        # (有没有飞马40: a line by its nickname, its number heard as a size)
        if mentioned.get("product_category") or mentioned.get("brand") or names_a_model(text) or names_a_line(text) \
                or (searching and (mentioned.get("color") or mentioned.get("size"))):
            return await ActionRecommendProducts().run(dispatcher, tracker, domain)
        dispatcher.utter_message(text=NOTHING_SHOWN)
        return []


class ActionAnswerProductQuestion(_ProductQuestion):
    answers_named = True  # 小米14多少钱 → mate60的呢: the model named, not the one on the screen

    def name(self) -> Text:
        return "action_answer_product_question"

    def answer(self, dispatcher, tracker, rows, text):
        chosen = _pick(rows, tracker, text)
        color, size = _asked_variant(tracker)
        if color or size:  # 平板那个有绿色的吗, heard as a question about the product: its colours and sizes
            dispatcher.utter_message(text="\n".join(stock_answer(row, color, size) for row in chosen[:3]))
            _show_available_cards(dispatcher, chosen[:3], color, size)
            return chosen
        dispatcher.utter_message(text="\n".join(answer_product_question(row, text) for row in chosen[:3]))
        shown = set(tracker.get_slot(slots.SHOWN_PRODUCTS) or [])
        off_screen = [row for row in chosen[:3] if row["id"] not in shown]
        if shown and off_screen:
            # 理肤泉那个呢 with other cards on the screen: the card of the one answered about, to open and order,
            # said to be over the budget where it is (the card is not what was searched for)
            budget = parse_budget(tracker.get_slot("budget") or "") if tracker.get_slot("budget") else None
            outside = [row for row in off_screen if budget is not None and row.get("price") is not None
                       and row.get("category") == tracker.get_slot(slots.SEARCHED_CATEGORY)
                       and not budget.contains(float(row["price"]))]
            if outside:
                price = float(outside[0]["price"])
                side = "超出了" if budget.high is not None and price > budget.high else "低于"
                dispatcher.utter_message(text=f"这款¥{price:g}，{side}您说的{budget.describe()}。")
            _show_available_cards(dispatcher, off_screen, None, None, relaxed=("budget",) if outside else ())
        return chosen


def _show_available_cards(dispatcher: CollectingDispatcher, rows: list, color: Optional[str],
                          size: Optional[str], relaxed: Sequence[str] = ()) -> None:
    """The cards of the products asked about that are in stock (有货) in the colour and size asked, if any;
    ``relaxed``: the search's conditions they break, as the recommender's cards say them."""
    available = [row for row in rows if available_pieces(row, color, size) > 0]
    if not available:
        return
    label = variant_label(color, size)
    reason = f"{label}有货" if label else "您问的这款有货"
    message: Dict[Text, Any] = {"type": "product_cards", "products": [
        {**{name: row.get(name) for name in Product.CARD_FIELDS}, "reason": reason} for row in available]}
    if relaxed:
        message["relaxed"] = list(relaxed)
    dispatcher.utter_message(json_message=message)


def _asked_variant(tracker: Tracker) -> tuple:
    """The colour family and size the newest message names, each None if it names none."""
    mentioned = latest_entities(tracker)
    color = color_family(mentioned.get("color") or "") if mentioned.get("color") else None
    size = canonical_size(mentioned.get("size") or "") if mentioned.get("size") else None
    return color, size


class ActionCompareProducts(_ProductQuestion):
    names_others = True
    several_in_view = True

    def name(self) -> Text:
        return "action_compare_products"

    async def widen(self, dispatcher, tracker, rows, text):
        """One product on the screen: compare it with the one meant beside it (跟阿迪的比 · 俩哪个好),
        else with the nearest in price of its kind, and say which was picked."""
        if len(rows) != 1:
            return rows
        try:
            partner, note = await comparison_partner(tracker, rows[0], text)
        except (RecommenderUnavailable, RecommenderRefused):
            return rows
        if partner is None:
            return rows
        if note:
            dispatcher.utter_message(text=note)
        return rows + [partner]

    def answer(self, dispatcher, tracker, rows, text):
        chosen = [rows[p] for p in referenced_positions(text, rows)]
        if len(chosen) < 2:
            chosen = (chosen + [row for row in rows if row not in chosen])[:2]
        if len(chosen) < 2:
            # (no partner found, or the recommender did not answer: nothing is claimed about the catalog)
            dispatcher.utter_message(text=f"目前只给您看了一款：{chosen[0]['title']}。想和哪款比？")
            return chosen
        dispatcher.utter_message(text=compare(chosen))
        return chosen


class ActionCheckStock(_ProductQuestion):
    answers_named = True

    def name(self) -> Text:
        return "action_check_stock"

    async def run(self, dispatcher, tracker, domain):
        events = await super().run(dispatcher, tracker, domain)
        if tracker.get_slot(slots.SHOWN_PRODUCTS) and POINTING.search(tracker.latest_message.get("text") or ""):
            # 第一个有粉色吗: asked of a product on the screen; the search keeps the colour and size it had
            before = {name: slot_before_message(tracker, name) for name in ("color", "size")}
            events += [SlotSet(name, value) for name, value in before.items() if tracker.get_slot(name) != value]
        return events

    def answer(self, dispatcher, tracker, rows, text):
        color, size = _asked_variant(tracker)
        chosen = _pick(rows, tracker, text)
        dispatcher.utter_message(text="\n".join(stock_answer(row, color, size) for row in chosen))
        if color or size or not tracker.get_slot(slots.SHOWN_PRODUCTS):
            # KT9有吗 asked before any card, 那个vivo有蓝色吗 of one: the card to open and order in that variant
            _show_available_cards(dispatcher, chosen, color, size)
        return chosen


class ActionSizeAdvice(_ProductQuestion):
    kind_has_an_answer = True  # 你们家鞋码偏大还是偏小: the shop's sizes in general, not one shoe's
    asks_of_the_order_item = True

    def name(self) -> Text:
        return "action_size_advice"

    def answer(self, dispatcher, tracker, rows, text):
        chosen = _pick(rows, tracker, text)
        dispatcher.utter_message(text="\n".join(size_advice(row, text) for row in chosen))
        return chosen

    async def nothing_shown(self, dispatcher, tracker, domain, text):
        if not asks_about_size(text):  # 去哈尔滨 怕冷 穿啥好: what to buy, not which size
            return await super().nothing_shown(dispatcher, tracker, domain, text)
        # 我身高165 体重110斤 连衣裙一般穿什么码: advice for the kind of product, before any is chosen
        category = latest_entities(tracker).get("product_category") or tracker.get_slot(slots.PRODUCT_CATEGORY)
        dispatcher.utter_message(text=general_size_advice(text, category))
        return []


class ActionSubscribeAlert(Action):
    """到货/降价/上新提醒: set, list (我的提醒) and cancel (退订); sent by the alert worker (bot/alerts/)."""

    def name(self) -> Text:
        return "action_subscribe_alert"

    @commands_first
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        text = tracker.latest_message.get("text") or ""
        try:
            reply = await self._subscribe(tracker, text, alert_kind_in(text) or "restock")
        except (RecommenderUnavailable, RecommenderRefused) as error:
            logger.warning("alert not set, recommender unavailable: %s", error)
            reply = alert_texts.unavailable()
        except Exception as error:  # Redis briefly down: say so rather than promise
            logger.warning("alert not stored: %s", error)
            reply = alert_texts.unavailable()
        dispatcher.utter_message(text=reply)
        return []

    async def _subscribe(self, tracker: Tracker, text: str, kind: str) -> str:
        entities = latest_entities(tracker)
        shown = tracker.get_slot(slots.SHOWN_PRODUCTS) or []
        rows = await recommender().products(shown) if shown else []
        chosen = _pick(rows, tracker, text)[0] if rows else None
        brand_said = entities.get("brand")
        if kind != "new_arrival" and (chosen is None or (brand_said and chosen.get("brand") != brand_said)):
            # 小米平板6到货了告诉我 · 加拿大鹅那件女款降到五千以下提醒我: a product named, none of the shown
            said = product_said_for_alert(text)
            # sold out or not (到货提醒 is for one sold out), else the best match of a search
            named = await recommender().named(said) or await _named_rows(tracker, said)
            earlier = previous_user_text(tracker) or ""
            if not named and chosen is None and names_a_product(earlier) and name_fragments(earlier):
                # mate60pro啥时候降价啊 → 降了喊我: the product named just before
                named = await recommender().named(name_fragments(earlier)[0])
            chosen = named[0] if len(named) == 1 and named[0].get("brand") == (brand_said or named[0].get("brand")) \
                else chosen
        common = dict(channel=tracker.get_latest_input_channel() or "", customer_id=customer_of(tracker) or "")
        if kind == "new_arrival":
            category = entities.get("product_category") or tracker.get_slot(slots.PRODUCT_CATEGORY) or (
                chosen["category"] if chosen and not entities.get("brand") else "")
            brand = entities.get("brand") or ""
            if not (category or brand):
                return alert_texts.which_category()
            subscription, is_new = await subscriptions().subscribe(
                sender_of(tracker), kind, category=category, brand=brand, **common)
        else:
            if chosen is None:
                return alert_texts.which_product()
            budget = parse_budget(entities.get("budget") or text) if kind == "price_drop" else None
            target = budget.high if budget is not None and budget.high is not None \
                and budget.high < float(chosen["price"]) else None
            family = color_family(entities["color"]) if kind == "restock" and entities.get("color") else None
            # the product's own name of that colour (象牙白 for 白色), as its stock is kept by it
            color = next((name for name in chosen.get("colors") or [] if color_family(name) == family), family)
            size = canonical_size(entities["size"]) if kind == "restock" and entities.get("size") else ""
            subscription, is_new = await subscriptions().subscribe(
                sender_of(tracker), kind, product_id=chosen["id"], title=chosen["title"],
                category=chosen.get("category") or "", brand=chosen.get("brand") or "", color=color or "",
                size=size or "", target_price=target, current_price=float(chosen["price"]), **common)
        return alert_texts.subscribed(subscription, is_new, alert_hours().quiet_text)


__all__ = [
    "ActionRecommendProducts", "ActionAnswerProductQuestion", "ActionCompareProducts", "ActionCheckStock",
    "ActionSizeAdvice", "ActionSubscribeAlert",
]
