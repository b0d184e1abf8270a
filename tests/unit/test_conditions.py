from bot.dialogue.conditions import ShoppingConditions, ask_for_category, summarise


def test_conditions_from_slots_ignore_empty_and_take_last_of_a_list():
    conditions = ShoppingConditions.from_slots(
        {"product_category": "跑步鞋", "color": ["黑色", "白色"], "brand": "", "order_id": "1"}
    )
    assert conditions.given() == {"product_category": "跑步鞋", "color": "白色"}


def test_summary_uses_chinese_labels_in_a_fixed_order():
    conditions = ShoppingConditions(budget="三百以内", product_category="跑步鞋", brand="耐克")
    assert summarise(conditions) == "品类：跑步鞋 · 品牌：耐克 · 预算：三百以内"


def test_missing_category_is_asked_for_with_what_is_already_known():
    text = ask_for_category(ShoppingConditions(budget="500左右"))
    assert "500左右" in text and "哪一类" in text
    assert "哪一类" in ask_for_category(ShoppingConditions())
