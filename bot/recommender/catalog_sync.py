"""One catalog for every recommender replica: publish what this one accepts, follow what others did.

The shared copy lives in Redis (bot/store/shared_catalog.py); a copy on this
replica's disk (``$SHOPBOT_DATA_DIR/catalog/current.jsonl``) lets it start with
the last catalog it served when Redis holds none (a Redis that lost its data).

:class:`CatalogSync` is the only way this process changes its catalog after
start-up, and it does one change at a time:

* :meth:`accept` a catalog a shop uploaded: published, then swapped in;
* :meth:`change` the current catalog (a stock report): computed from the
  shared catalog and published only if nobody published another meanwhile,
  else computed again from the newer one;
* :meth:`catch_up` with a catalog another replica published (:meth:`follow`
  asks every ``interval`` seconds; one ``HGET``).

Publishing comes first: a catalog that could not be shared (Redis down) is not
served by this replica alone either, and the shop gets an error to retry.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import tempfile
from pathlib import Path
from typing import Any, Callable, Optional, TypeVar

from bot.catalog.importer import ImportReport, import_catalog
from bot.catalog.model import Catalog
from bot.recommender.engine import Recommender
from bot.recommender.index import CatalogIndex
from bot.store.shared_catalog import SharedCatalog

logger = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_INTERVAL_SECONDS = 1.0
# A deadline, not a number of attempts: the replica that just published needs
# no catch-up and so wins every race while its queue of changes lasts, and a
# stock feed sending a burst to two replicas made the other one give up after
# five lost races although the burst ended a second later.
CHANGE_DEADLINE_SECONDS = 30.0


class CatalogConflict(RuntimeError):
    """Other replicas kept publishing catalogs while this one tried to change it."""


def import_bytes(catalog_dir: Path, content: bytes, suffix: str) -> ImportReport:
    """The importer's report on ``content`` (a ``.csv`` or ``.jsonl`` file's bytes); the importer reads files."""
    staged = _stage(catalog_dir, content, suffix)
    try:
        return import_catalog(staged)
    finally:
        staged.unlink(missing_ok=True)


def keep_jsonl(catalog_dir: Path, jsonl: bytes) -> None:
    """Makes ``jsonl`` the catalog a restart of this replica serves when Redis holds none."""
    staged = _stage(catalog_dir, jsonl, ".jsonl")
    target = catalog_dir / "current.jsonl"
    for old in catalog_dir.glob("current.*"):
        if old != target:
            old.unlink()
    os.replace(staged, target)


def _stage(catalog_dir: Path, content: bytes, suffix: str) -> Path:
    catalog_dir.mkdir(parents=True, exist_ok=True)
    handle, staged = tempfile.mkstemp(dir=catalog_dir, suffix=suffix, prefix="staged-")
    with os.fdopen(handle, "wb") as file:
        file.write(content)
    return Path(staged)


class CatalogSync:
    def __init__(self, recommender: Recommender, shared: Optional[SharedCatalog], catalog_dir: Path,
                 followed: Optional[str] = None, interval: float = DEFAULT_INTERVAL_SECONDS) -> None:
        """``followed``: the shared version this replica started from or chose to ignore (None: none yet).

        Without ``shared`` (a recommender without Redis, in tests) the catalog is this replica's alone.
        """
        self.recommender = recommender
        self.shared = shared
        self.catalog_dir = catalog_dir
        self.followed = followed
        self.interval = interval
        self._one_change = asyncio.Lock()

    async def accept(self, catalog: Catalog) -> CatalogIndex:
        """A checked catalog from the shop: shared, served, and kept on disk."""
        async with self._one_change:
            jsonl = await _off_loop(catalog.as_jsonl)
            if self.shared is not None:
                await self.shared.publish(catalog.version, jsonl)
            index = await self._serve(catalog, jsonl)
            self.followed = catalog.version  # after serving: a failed swap is caught up with later
            return index

    async def change(self, changed: Callable[[Catalog], Catalog],
                     deadline_seconds: float = CHANGE_DEADLINE_SECONDS) -> CatalogIndex:
        """``changed(current)`` served and shared, ``current`` being the shared catalog at that moment.

        Raises :class:`CatalogConflict` when other replicas kept publishing for ``deadline_seconds``.
        """
        async with self._one_change:
            loop = asyncio.get_running_loop()
            give_up_at = loop.time() + deadline_seconds
            lost = 0
            while True:
                await self._catch_up_locked()
                catalog = changed(self.recommender.index.catalog)
                jsonl = await _off_loop(catalog.as_jsonl)
                if self.shared is None or await self.shared.publish(catalog.version, jsonl, based_on=self.followed):
                    index = await self._serve(catalog, jsonl)
                    self.followed = catalog.version
                    return index
                lost += 1
                if loop.time() >= give_up_at:
                    raise CatalogConflict(f"the shared catalog changed {lost} times in {deadline_seconds:g} s")
                logger.info("another replica published a catalog first: applying the change to that one")
                await asyncio.sleep(random.uniform(0, 0.05 * min(lost, 10)))  # lets the winner's burst pass

    async def catch_up(self) -> bool:
        """Serves the shared catalog if another replica published a new one; whether it did."""
        async with self._one_change:
            return await self._catch_up_locked()

    async def follow(self) -> None:
        """Runs until cancelled: :meth:`catch_up` every ``interval`` seconds; Redis errors are waited out."""
        failing = False
        while True:
            try:
                await self.catch_up()
                if failing:
                    logger.info("following the shared catalog again")
                failing = False
            except asyncio.CancelledError:
                raise
            except Exception as error:  # Redis away, or a catalog that does not import: try again later
                if not failing:
                    logger.warning("could not follow the shared catalog: %s: %s", type(error).__name__, error)
                failing = True
            await asyncio.sleep(self.interval)

    async def _catch_up_locked(self) -> bool:
        if self.shared is None:
            return False
        version = await self.shared.version()
        if version is None or version == self.followed:
            return False
        loaded = await self.shared.load()
        if loaded is None:
            return False
        version, jsonl = loaded
        report = await _off_loop(import_bytes, self.catalog_dir, jsonl, ".jsonl")
        if report.catalog is None:  # published by a replica of another release? Not served, not retried.
            logger.error("the shared catalog %s does not import here: %s", version, report.summary())
            self.followed = version
            return False
        await self._serve(report.catalog, jsonl)
        self.followed = version
        logger.info("now serving the shared catalog %s (%d products)", version, len(report.catalog))
        return True

    async def _serve(self, catalog: Catalog, jsonl: bytes) -> CatalogIndex:
        index = await self.recommender.swap_catalog(catalog)
        await _off_loop(keep_jsonl, self.catalog_dir, jsonl)
        return index


async def _off_loop(function: Callable[..., T], *args: Any) -> T:
    """Encoding, importing and writing a catalog take long enough to stall every other request."""
    return await asyncio.get_running_loop().run_in_executor(None, function, *args)
