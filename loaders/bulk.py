"""The first load of an empty store through the engine's bulk path.

A first load into an empty store has nothing to merge with: every node and relationship it
writes is new. ``BulkWriter`` checks and folds the rows in memory exactly as the store's upserts
would (later non-null values win, authoritative nulls clear, a relationship whose endpoint no
earlier row wrote is refused), then writes everything in one transaction through
``GraphStore.bulk_insert`` (``COPY FROM`` on the embedded engine). A load killed or refused
before that transaction commits leaves the store empty, as it found it. What runs after the
files (ending unlisted relations, superseding resolved persons) runs on the written store, as
in any load. Incremental loads keep the transactional ``StoreWriter``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from creditgraph.graph.store import LOCK_LABEL, GraphStore
from creditgraph.loaders.first_load import FirstLoad
from creditgraph.loaders.writers import StoreWriter


def bulk_possible(store: GraphStore) -> bool:
    return store.bulk_insert_path and store.is_empty()


def writer_for(store: GraphStore, bulk: bool = True) -> StoreWriter:
    """The bulk path for a first load where the engine has one, else batch by batch."""
    return BulkWriter(store) if bulk and bulk_possible(store) else StoreWriter(store)


class BulkWriter(StoreWriter):
    """Holds a first load in memory, then writes it in one bulk transaction (``flush``)."""

    def __init__(self, store: GraphStore) -> None:
        super().__init__(store)
        empty = (set(store.schema.labels) - {LOCK_LABEL}) | set(store.schema.relationship_types)
        if not store.bulk_insert_path or not empty <= self.empty_at_start:
            raise ValueError("the bulk path is for the first load of an empty store")
        self.held: FirstLoad | None = FirstLoad(store.schema)

    def rows_to_flush(self) -> int:
        return self.held.rows_to_flush() if self.held else 0

    def merge_nodes(self, label: str, rows: list[dict[str, Any]]) -> None:
        self._holding().merge_nodes(label, rows)

    def merge_relationships(self, rel_type: str, source: str, target: str,
                            rows: list[dict[str, Any]],
                            authoritative: tuple[str, ...] = ()) -> list[Mapping[str, Any]]:
        return self._holding().merge_relationships(rel_type, source, target, rows,
                                                   authoritative)

    def flush(self) -> int:
        """Write what the load holds in one transaction; returns the rows written."""
        held = self._holding()
        written = held.rows_to_flush()
        self.held = None
        # by column, each table let go of as it is turned: the rows are not held twice
        nodes = {label: held.nodes.pop(label).by_column() for label in list(held.nodes)}
        relationships = {table: held.relationships.pop(table).by_column()
                         for table in list(held.relationships)}
        self.store.bulk_insert(nodes, relationships)
        self.empty_at_start = set()  # from here on, the store holds the load
        return written

    def _holding(self) -> FirstLoad:
        if self.held is None:
            raise RuntimeError("a bulk load writes once; this one has been written")
        return self.held
