"""English service words typed among Chinese, read as the knowledge base's Chinese words."""

import pytest

from bot.language.english import service_words_in_chinese


@pytest.mark.parametrize("text, read", [("能开invoice吗", "能开发票吗"), ("你们的return policy是几天", "你们的退货政策是几天"),
                                        ("有Coupons吗", "有优惠券吗"), ("free shipping吗", "包邮吗"),
                                        # whole words only
                                        ("ordering", "ordering"), ("salesman", "salesman"), ("推荐款耳机", "推荐款耳机")])
def test_service_words_in_chinese(text, read):
    assert service_words_in_chinese(text) == read
