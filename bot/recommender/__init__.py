"""Recommender (商品推荐): hard filters, semantic ranking, personalisation and reasons, behind an HTTP API."""
