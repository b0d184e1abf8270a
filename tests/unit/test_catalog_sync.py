"""A stock change another replica keeps racing (bot/recommender/catalog_sync.py)."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

import pytest

from bot.catalog.model import Catalog, load_demo_catalog
from bot.recommender.catalog_sync import CatalogConflict, CatalogSync


class RacedSharedCatalog:
    """The shared copy as another replica that publishes first ``lost_races`` times leaves it."""

    def __init__(self, catalog: Catalog, lost_races: int) -> None:
        self.catalog = catalog
        self.lost_races = lost_races
        self.published = []

    async def version(self):
        return self.catalog.version

    async def load(self):
        return self.catalog.version, self.catalog.as_jsonl()

    async def publish(self, version, jsonl, based_on=None):
        if self.lost_races:
            self.lost_races -= 1
            first = next(iter(self.catalog))
            self.catalog = self.catalog.with_products([replace(first, stock=first.stock + 1)])
            return False
        self.published.append(version)
        return True


class ServingRecommender:
    def __init__(self, catalog: Catalog) -> None:
        self.index = SimpleNamespace(catalog=catalog, version=catalog.version)

    async def swap_catalog(self, catalog: Catalog):
        self.index = SimpleNamespace(catalog=catalog, version=catalog.version)
        return self.index


def _restocked_last(catalog: Catalog) -> Catalog:
    return catalog.with_products([replace(list(catalog)[-1], stock=777)])


@pytest.mark.asyncio
async def test_a_change_outlasting_more_lost_races_than_the_old_five_attempts_is_kept(tmp_path):
    demo = load_demo_catalog()
    shared = RacedSharedCatalog(demo, lost_races=8)
    sync = CatalogSync(ServingRecommender(demo), shared, tmp_path, followed=demo.version)

    index = await sync.change(_restocked_last)

    assert shared.published == [index.version]
    assert list(index.catalog)[-1].stock == 777
    assert next(iter(index.catalog)).stock == next(iter(demo)).stock + 8  # the other replica's changes are kept


@pytest.mark.asyncio
async def test_a_change_raced_past_its_deadline_is_a_conflict_and_nothing_is_served(tmp_path):
    demo = load_demo_catalog()
    shared = RacedSharedCatalog(demo, lost_races=10**6)
    recommender = ServingRecommender(demo)
    sync = CatalogSync(recommender, shared, tmp_path, followed=demo.version)

    with pytest.raises(CatalogConflict):
        await sync.change(_restocked_last, deadline_seconds=0.2)

    assert shared.published == []
    assert list(recommender.index.catalog)[-1].stock != 777
