"""The small store interface everything above ``graph/`` talks to, and the factory that opens a
backend by settings. Backends implement five primitives (version, schema set-up, a read, an
atomic group of writes, wipe); batching, row checking and counting live here once for both.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import partial
from itertools import islice
from typing import Any, ClassVar, Self, TypeVar

from creditgraph.graph import cypher
from creditgraph.graph.errors import SchemaError, StoreError
from creditgraph.graph.schema import (
    UNKNOWN_START,
    RelationshipType,
    Schema,
    coerce_rows,
    default_schema,
)
from creditgraph.graph.settings import Settings
from creditgraph.graph.traversal import Dialect

Row = dict[str, Any]
ENDPOINT_FIELDS = ("src_key", "dst_key")
LOCK_LABEL = "WriteLock"  # the write lock a load holds (graph/write_lock.py): not data
FILL_BATCH = 20_000
PAIR_CHUNK = 5_000  # pairs (or keys) asked in one read by relationships_between
Statement = tuple[str, Mapping[str, Any]]
T = TypeVar("T")
_SIDE = threading.local()  # busy: this thread runs a share of ``side_by_side``
Columns = Mapping[str, Sequence[Any]]  # a table by column: name → values, row by row
ProgressCallback = Callable[[int], None]


@dataclass(frozen=True)
class StoreStatus:
    backend: str
    version: str
    location: str
    nodes: dict[str, int]
    relationships: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Merge:
    """One upsert of ``GraphStore.merge_together``: nodes of ``label``, or (``rel_type``)
    relationships from ``label`` nodes to ``target`` nodes; rows as ``merge_nodes`` and
    ``merge_relationships`` take them."""

    label: str
    rows: Sequence[Mapping[str, Any]]
    rel_type: str = ""
    target: str = ""

    @classmethod
    def nodes(cls, label: str, rows: Sequence[Mapping[str, Any]]) -> Merge:
        return cls(label, rows)

    @classmethod
    def relationships(cls, rel_type: str, source_label: str, target_label: str,
                      rows: Sequence[Mapping[str, Any]]) -> Merge:
        return cls(source_label, rows, rel_type, target_label)


def _in_side_thread(call: Callable[[], T]) -> T:
    _SIDE.busy = True
    try:
        return call()
    finally:
        _SIDE.busy = False


class GraphStore(ABC):
    """One graph database, Neo4j or embedded. Not shared between processes by this object.

    Every call either completes or raises a ``graph.errors.StoreError`` with a message a person
    can act on; a write group that fails leaves nothing behind.
    """

    backend: ClassVar[str]
    dialect: ClassVar[Dialect]  # the engine's Cypher where the two differ (graph/traversal.py)
    # writers in other processes of this machine wait for this store's readers to close it
    # (the embedded engine); see ``writer_waiting`` and graph/shared_reader.py
    local_writers: ClassVar[bool] = False
    # the engine has a bulk path for a first load into an empty store (``bulk_insert``)
    bulk_insert_path: ClassVar[bool] = False
    # reads this store answers at once from threads of one process (a server: one session a
    # read; the embedded engine's connection serves one read at a time)
    parallel_reads: ClassVar[int] = 1
    # ``merge_together`` writes its merges as one statement each, in one transaction (the
    # embedded store splits a node merge into a look-up and writes: one after the other)
    merges_in_one: ClassVar[bool] = False

    def __init__(self, settings: Settings, schema: Schema) -> None:
        self.settings = settings
        self.schema = schema

    # -- primitives each backend provides -----------------------------------------------------

    @abstractmethod
    def version(self) -> str:
        """Engine name and version, e.g. ``Neo4j 5.26.30 community``."""

    @abstractmethod
    def location(self) -> str:
        """Where the data lives (URI and database, or directory); never contains a secret."""

    @abstractmethod
    def init_schema(self) -> list[str]:
        """Create constraints, indexes or tables from the schema; idempotent. Returns the
        statements it ran."""

    def writer_waiting(self) -> bool:
        """A load, init or propagation waits for the readers of this store to close it."""
        return False

    @property
    def frozen(self) -> bool:
        """Nothing can change the data while this store is open: an embedded store opened read
        only (every writer waits until its readers have closed it)."""
        return False

    def read_once(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """``read``, kept for the life of a frozen store: the same answer cannot change (a
        check's data snapshot costs a scan of every list entry and measure on the embedded
        engine, once per opened store instead of once per check). Elsewhere a plain read."""
        if not self.frozen:
            return self.read(query, params)
        memo: dict[tuple[str, str], list[Row]] = self.__dict__.setdefault("_read_once", {})
        slot = (query, repr(sorted((params or {}).items())))
        if slot not in memo:
            memo[slot] = self.read(query, params)
        return [dict(row) for row in memo[slot]]

    def schema_problems(self) -> list[str]:
        """What ``creditgraph init`` has not made yet, one line each (empty when the schema is
        current). Here: every label and relationship type can be read — the embedded engine
        refuses a table it does not have. Neo4j checks its constraints and indexes instead."""
        try:  # one question when all is there; one a name to say which is missing
            self.read(*cypher.count_nodes(self.schema, self.schema.labels))
            self.read(*cypher.count_relationships(self.schema, self.schema.relationship_types))
            return []
        except StoreError:
            pass
        problems = []
        for label in self.schema.labels:
            try:
                self.read(*cypher.count_nodes(self.schema, [label]))
            except StoreError:
                problems.append(f"label {label} missing: run `creditgraph init`")
        for rel_type in self.schema.relationship_types:
            try:
                self.read(*cypher.count_relationships(self.schema, [rel_type]))
            except StoreError:
                problems.append(f"relationship {rel_type} missing: run `creditgraph init`")
        return problems

    @abstractmethod
    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run a read query; rows as dicts of plain Python values (dates as ``datetime.date``,
        nodes as property dicts)."""

    def read_many(self, statements: Sequence[Statement], side_by_side: bool = True
                  ) -> list[list[Row]]:
        """Independent reads, answered side by side where the store allows
        (``parallel_reads``) and the caller asks (``side_by_side``: reads big enough to be
        worth a thread each), else one after the other; the answers in the order asked."""
        if not side_by_side:
            return [self.read(query, params) for query, params in statements]
        return self.side_by_side(*(partial(self.read, query, params)
                                   for query, params in statements))

    def side_by_side(self, *calls: Callable[[], T]) -> list[T]:
        """Independent pieces of reading work, in threads where the store answers reads side
        by side (``parallel_reads``), else one after the other; results in the order given,
        and the first error raised as it would be without threads. Work already running in
        one of these threads goes one after the other: never more than ``parallel_reads``
        reads at once, however the callers nest."""
        if self.parallel_reads > 1 and len(calls) > 1 and not getattr(_SIDE, "busy", False):
            with ThreadPoolExecutor(min(self.parallel_reads, len(calls))) as pool:
                return list(pool.map(_in_side_thread, calls))
        return [call() for call in calls]

    @abstractmethod
    def write_all(self, statements: Sequence[Statement]) -> list[list[Row]]:
        """Run the statements in one transaction: all take effect or none does."""

    def is_empty(self) -> bool:
        """No subject, record or relationship (the write lock does not count)."""
        return (not any(n for label, n in self.node_counts().items() if label != LOCK_LABEL)
                and not any(self.relationship_counts().values()))

    def relationships_between(self, rel_type: str, source_label: str, target_label: str,
                              pairs: Collection[tuple[str, str]],
                              properties: Sequence[str] = ()) -> list[Row]:
        """The stored ``rel_type`` relationships between each of ``pairs`` (source key, target
        key): a row each with ``src_key``, ``dst_key`` and ``properties`` (a pair joined twice,
        in two periods, gives two rows; a pair asked twice is answered once)."""
        wanted = dict.fromkeys(pairs)
        if not self.dialect.pairs_from_one_end:
            query = cypher.relationships_between(self.schema, rel_type, source_label,
                                                 target_label, properties)
            return [row for chunk in _batches(({"src_key": a, "dst_key": b} for a, b in wanted),
                                              PAIR_CHUNK)
                    for row in self.read(query, {"pairs": chunk})]
        # the cost follows the relations of the keyed end's nodes, not the pairs asked: a
        # registration agent with thousands of firms is read whole (thousands of rows, still
        # far below the two-ended join)
        sources, targets = {a for a, _ in wanted}, {b for _, b in wanted}
        end, keys = ("source", sources) if len(sources) < len(targets) else ("target", targets)
        query = cypher.relationships_between(self.schema, rel_type, source_label, target_label,
                                             properties, end)
        return [row for chunk in _batches(sorted(keys), PAIR_CHUNK)
                for row in self.read(query, {"keys": chunk})
                if (row["src_key"], row["dst_key"]) in wanted]

    def bulk_insert(self, nodes: Mapping[str, Columns],
                    relationships: Mapping[tuple[str, str, str], Columns]) -> None:
        """Insert new nodes (per label) and relationships (per type, source and target label,
        with ``src_key`` / ``dst_key`` columns) through the engine's bulk path, all in one
        transaction. Each table comes by column (name → values; a column not given is null
        throughout). Only for values checked against the schema, keys unique, endpoints
        present: the first load of an empty store (loaders/bulk.py)."""
        raise StoreError(f"the {self.backend} store has no bulk insert path")

    @abstractmethod
    def wipe(self) -> None:
        """Delete every node and relationship; the schema stays."""

    @abstractmethod
    def close(self) -> None: ...

    def reopen(self) -> None:
        """Continue as a newly started process would find the store. Nothing to do on a
        server; the embedded engine opens its database again (bench/propagation.py measures
        a one-entry load's propagation so, as `creditgraph load` runs it in its own process)."""
        return None

    # -- shared behaviour ---------------------------------------------------------------------

    def write(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self.write_all([(query, params or {})])[0]

    def _fill_periods(self) -> list[str]:
        """Bring relationships from before periods existed up to date (part of init); returns
        the statements that changed something."""
        statements = []
        for rel in self.schema.relationships.values():
            if not rel.temporal:
                continue
            statement = cypher.fill_periods(self.schema, rel.name)
            params = {"unknown": UNKNOWN_START, "limit": FILL_BATCH}
            while (filled := _count_of(self.write(statement, params), "filled")):
                if statement not in statements:
                    statements.append(statement)
                if filled < FILL_BATCH:  # in batches: one transaction per million is too big
                    break
        return statements

    def merge_nodes(
        self,
        label: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> int:
        """Upsert nodes by their key in batches of ``UNWIND $rows``; one transaction a batch.

        Every row is checked against the schema before its batch is written. A null value
        leaves the stored property unchanged; rows repeating a key merge in order (later values
        win), the same on both backends. Returns the number of rows written.
        """
        self.schema.node(label)  # a name outside the schema is refused, rows or none
        written = 0
        for batch in _batches(rows, batch_size or self.settings.batch_size):
            self._upsert_nodes(label, *self._checked_nodes(label, batch))
            written += len(batch)
            if progress:
                progress(len(batch))
        return written

    def merge_relationships(
        self,
        rel_type: str,
        source_label: str,
        target_label: str,
        rows: Iterable[Mapping[str, Any]],
        *,
        batch_size: int | None = None,
        progress: ProgressCallback | None = None,
        on_missing: Callable[[Mapping[str, Any]], None] | None = None,
        authoritative: Collection[str] = (),
    ) -> int:
        """Upsert relationships between existing nodes. Each row has ``src_key`` and
        ``dst_key`` (the endpoint nodes' keys) plus properties; a temporal relationship is one
        period of the pair, told apart by ``period`` (default: its start date). Rows repeating
        a relationship merge in order. A null leaves the stored value, except for
        ``authoritative`` properties, whose null clears it. Returns how many rows found both
        endpoints; the others wrote nothing and are passed to ``on_missing``."""
        self.schema.endpoint(rel_type, source_label, target_label)  # rows or none
        written = 0
        for batch in _batches(rows, batch_size or self.settings.batch_size):
            statement, checked, combined = self._relationship_statement(
                rel_type, source_label, target_label, batch, authoritative)
            merged = _merged(self.write(*statement))
            missing: set[tuple[str, str]] = set()
            if merged < len(combined):
                ends = [{k: row[k] for k in ENDPOINT_FIELDS} for row in combined]
                missing = {(r["src_key"], r["dst_key"]) for r in self.read(
                    cypher.missing_endpoints(self.schema, source_label, target_label),
                    {"rows": ends})}
            for row, original in zip(checked, batch, strict=True):
                if (row["src_key"], row["dst_key"]) not in missing:
                    written += 1
                elif on_missing:
                    on_missing(original)
            if progress:
                progress(len(batch))
        return written

    def merge_together(self, merges: Sequence[Merge]) -> None:
        """Several upserts, in the order given, every row checked before anything is written.
        Where the store writes them as one statement each (``merges_in_one``) and each fits
        a batch, in one transaction: all take effect or none does, and one commit is paid,
        not one a merge. Otherwise batch by batch, one transaction each, in that order: the
        caller's order is then what keeps a run that dies half-way safe. A relationship
        whose endpoints are missing writes nothing and is not reported: for links to what
        the caller has just written or read."""
        for merge in merges:  # names outside the schema are refused, rows or none
            if merge.rel_type:
                self.schema.endpoint(merge.rel_type, merge.label, merge.target)
            else:
                self.schema.node(merge.label)
        parts: list[tuple[Merge, Any]] = [  # (merge, its batch checked: a statement or rows)
            (merge, self._relationship_statement(merge.rel_type, merge.label, merge.target,
                                                 batch)[0]
             if merge.rel_type else self._checked_nodes(merge.label, batch))
            for merge in merges for batch in _batches(merge.rows, self.settings.batch_size)]
        if self.merges_in_one and len(parts) == sum(1 for m in merges if m.rows):
            if parts:
                self.write_all([part if merge.rel_type else self._node_statement(merge.label,
                                                                                  *part)
                                for merge, part in parts])
            return
        for merge, part in parts:
            if merge.rel_type:
                self.write(*part)
            else:
                self._upsert_nodes(merge.label, *part)

    def _checked_nodes(self, label: str, batch: Sequence[Mapping[str, Any]]
                       ) -> tuple[list[Row], list[str], dict[str, Any]]:
        """A batch of node rows checked against the schema, rows repeating a key folded: the
        rows with the same fields each, the properties present, the values all share."""
        node = self.schema.node(label)
        checked = combine_rows(coerce_rows(node.properties, batch, f"{label} batch"),
                               (node.key,))
        present = _present(checked)
        shared = _shared(checked, present, keep=(node.key,))
        return _uniform(checked, [p for p in present if p not in shared]), present, shared

    def _node_statement(self, label: str, rows: list[Row], properties: list[str],
                        shared: Mapping[str, Any]) -> Statement:
        return (cypher.merge_nodes(self.schema, label, properties, shared),
                {"rows": rows, **shared_params(shared)})

    def _relationship_statement(self, rel_type: str, source_label: str, target_label: str,
                                batch: Sequence[Mapping[str, Any]],
                                authoritative: Collection[str] = ()
                                ) -> tuple[Statement, list[Row], list[Row]]:
        """A batch of relationship rows checked, and the statement merging them: the statement,
        the rows as checked (one a row given) and as combined (one a relationship)."""
        rel = self.schema.endpoint(rel_type, source_label, target_label)
        identity = (*ENDPOINT_FIELDS, *rel.identity)
        checked = checked_relationships(rel, rel_type, batch)
        combined = combine_rows(checked, identity)
        present = _present(combined)
        shared = _shared(combined, present, keep=identity)
        query = cypher.merge_relationships(
            self.schema, rel_type, source_label, target_label,
            [p for p in present if p not in ENDPOINT_FIELDS], shared,
            cleared=[p for p in authoritative if p not in present], authoritative=authoritative,
        )
        params = {"rows": _uniform(combined, [p for p in present if p not in shared]),
                  **shared_params(shared)}
        return (query, params), checked, combined

    def _upsert_nodes(self, label: str, rows: list[Row], properties: list[str],
                      shared: Mapping[str, Any]) -> None:
        """One batch of checked rows, all with the same fields, in one transaction;
        ``shared`` holds the values every row has in common."""
        self.write(*self._node_statement(label, rows, properties, shared))

    def node_counts(self) -> dict[str, int]:
        present = self._present_labels()
        counted = [label for label in self.schema.labels if label in present]
        found = self._counts(*cypher.count_nodes(self.schema, counted)) if counted else {}
        return {label: found.get(label, 0) for label in self.schema.labels}

    def relationship_counts(self) -> dict[str, int]:
        present = self._present_relationship_types()
        counted = [rel for rel in self.schema.relationship_types if rel in present]
        found = self._counts(*cypher.count_relationships(self.schema, counted)) if counted else {}
        return {rel: found.get(rel, 0) for rel in self.schema.relationship_types}

    def _counts(self, query: str, params: dict[str, str]) -> dict[str, int]:
        counts = {row["name"]: int(row["count"]) for row in self.read(query, params)}
        if set(counts) != set(params.values()):  # a branch lost would read as an empty label
            raise StoreError(f"counts answered for {sorted(counts)}, "
                             f"asked for {sorted(params.values())}")
        return counts

    def status(self) -> StoreStatus:
        return StoreStatus(
            backend=self.backend,
            version=self.version(),
            location=self.location(),
            nodes=self.node_counts(),
            relationships=self.relationship_counts(),
        )

    def _present_labels(self) -> set[str]:
        """Labels that can be queried now (all of them on Neo4j; created tables when embedded)."""
        return set(self.schema.labels)

    def _present_relationship_types(self) -> set[str]:
        return set(self.schema.relationship_types)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _batches(rows: Iterable[T], size: int) -> Iterable[list[T]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch


def _present(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """Properties with a value in at least one row. Properties null in the whole batch are left
    out of the query: null means "unchanged", and the embedded engine cannot type an all-null
    column of parameters."""
    seen: dict[str, None] = {}
    for row in rows:
        for name, value in row.items():
            if value is not None:
                seen.setdefault(name)
    return list(seen)


def _shared(rows: Sequence[Row], names: Sequence[str], keep: Sequence[str]) -> dict[str, Any]:
    """Properties with one value in every row (a load's time stamp, its source): sent once as a
    parameter instead of once a row. Packing a date-time a row costs Neo4j's driver more than
    writing the row."""
    if len(rows) < 2:
        return {}
    first = rows[0]
    return {
        name: first[name] for name in names
        if name not in keep and first.get(name) is not None
        and all(row.get(name) == first[name] for row in rows)
    }


def shared_params(shared: Mapping[str, Any]) -> dict[str, Any]:
    return {cypher.shared_parameter(name): value for name, value in shared.items()}


def _uniform(rows: Sequence[Mapping[str, Any]], names: Sequence[str]) -> list[Row]:
    """Every row with exactly the same fields: the embedded engine types a list of maps as one
    struct type and refuses rows that differ."""
    return [{name: row.get(name) for name in names} for row in rows]


def _merged(result: list[Row]) -> int:
    return _count_of(result, "merged")


def _count_of(result: list[Row], column: str) -> int:
    return int(result[0][column] or 0) if result else 0


def checked_relationships(rel: RelationshipType, rel_type: str,
                          rows: Sequence[Mapping[str, Any]]) -> list[Row]:
    """Relationship rows checked against the schema before anything is written: both endpoint
    keys present, a temporal relationship's period filled in, every property of its type."""
    checked = []
    for index, row in enumerate(rows):
        ends = {k: row.get(k) for k in ENDPOINT_FIELDS}
        for name, value in ends.items():
            if not isinstance(value, str) or not value:
                raise SchemaError(f"{rel_type} batch row {index + 1}: {name} is missing")
        props = rel.with_identity({k: v for k, v in row.items() if k not in ends})
        checked.append(coerce_rows(rel.properties, [props], f"{rel_type} batch")[0] | ends)
    return checked


def combine_rows(rows: Sequence[Row], key: Sequence[str]) -> list[Row]:
    """Fold rows that share a key into one, later non-null values winning. Without this the
    backends differ: Neo4j applies repeated MERGE rows in turn, the embedded engine keeps the
    first."""
    combined: dict[tuple[Any, ...], Row] = {}
    for row in rows:
        identity = tuple(row[k] for k in key)
        if identity in combined:
            combined[identity].update({k: v for k, v in row.items() if v is not None})
        else:
            combined[identity] = dict(row)
    return list(combined.values())


def open_store(settings: Settings | None = None, schema: Schema | None = None, *,
               read_only: bool = False) -> GraphStore:
    """Open the backend the settings name (environment by default). ``read_only``: for the
    API, the dashboard and read commands — on the embedded store any number of readers run
    side by side and a writer waits for them (graph/backends/access_lock.py)."""
    settings = settings or Settings.from_env()
    schema = schema or default_schema()
    if settings.backend == "neo4j":
        from creditgraph.graph.backends.neo4j_store import Neo4jStore

        return Neo4jStore(settings, schema)
    from creditgraph.graph.backends.embedded_store import EmbeddedStore

    return EmbeddedStore(settings, schema, read_only=read_only)
