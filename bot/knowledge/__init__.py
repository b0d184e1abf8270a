"""The shop's knowledge base (店铺知识库): shipping, payment, promotion and after-sales answers."""

from bot.knowledge.faq import (
    DEFAULT_FAQ_FILE, DEFAULT_THRESHOLD, TOPICS, FaqEntry, FaqMatch, KnowledgeBase,
    KnowledgeBaseError, KnowledgeMatcher,
)

__all__ = [
    "DEFAULT_FAQ_FILE", "DEFAULT_THRESHOLD", "TOPICS", "FaqEntry", "FaqMatch", "KnowledgeBase",
    "KnowledgeBaseError", "KnowledgeMatcher",
]
