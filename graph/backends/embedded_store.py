"""Embedded backend: LadybugDB (the maintained fork of Kùzu) in this process, persisted in a
directory. Zero set-up; the same Cypher as Neo4j for everything ``graph/cypher.py`` builds.

Dialect notes kept here and in ``graph/ddl.py``: the engine is schema-first (typed node and
relationship tables, created from schema.yaml), one label per node, ``label(n)`` instead of
``labels(n)`` / ``type(r)``. Only one process may open a store for writing at a time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ladybug
import pyarrow as pa

from creditgraph.graph import cypher, ddl
from creditgraph.graph.backends.access_lock import AccessLock, writer_waiting
from creditgraph.graph.errors import StoreError, StoreUnavailableError
from creditgraph.graph.schema import PropertySpec, Schema
from creditgraph.graph.settings import Settings
from creditgraph.graph.store import (
    ENDPOINT_FIELDS,
    Columns,
    GraphStore,
    Row,
    Statement,
    shared_params,
)
from creditgraph.graph.traversal import EmbeddedDialect

DATABASE_FILE = "graph.lbug"
NO_PARAMS: Mapping[str, Any] = {}
ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "float": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us", tz="UTC"),  # TIMESTAMP columns hold UTC
    "string_list": pa.list_(pa.string()),
}


class EmbeddedStore(GraphStore):
    backend = "embedded"
    dialect = EmbeddedDialect()
    local_writers = True

    def __init__(self, settings: Settings, schema: Schema, read_only: bool = False) -> None:
        super().__init__(settings, schema)
        self.read_only = read_only
        self._directory = Path(settings.store_path).absolute()
        if read_only:
            # the engine cannot open a store that does not exist yet read-only; a reader never
            # makes one (a GET to the API must not create an empty store)
            if not (self._directory / DATABASE_FILE).exists():
                raise StoreError(f"embedded store {self._directory} holds no graph yet: run "
                                 "`creditgraph init`, then load data")
        else:
            self._check_writable()
        self._access = AccessLock(self._directory, shared=read_only)
        try:
            self._open(read_only)
        except BaseException:
            self._access.release()
            raise
        # One connection serves this object; the lock keeps a transaction's statements together
        # when the dashboard calls from several threads.
        self._lock = threading.RLock()

    def _check_writable(self) -> None:
        try:
            self._directory.mkdir(parents=True, exist_ok=True)
            # named for this process and thread: two openers never remove each other's probe
            probe = self._directory / f".write-probe-{os.getpid()}-{threading.get_ident()}"
            probe.touch()
            probe.unlink()
        except OSError as exc:
            raise StoreError(
                f"cannot use embedded store directory {self._directory}: "
                f"{exc.strerror or exc} (set --store or CREDITGRAPH_STORE)"
            ) from None

    def _open(self, read_only: bool) -> None:
        if read_only:
            self._database = _shared_reader(self._directory)
        else:
            self._database = _database(self._directory, read_only=False)
        try:
            self._connection = ladybug.Connection(self._database)
        except RuntimeError as exc:
            self._close_database()
            raise StoreError(f"cannot open embedded store {self._directory}: "
                             f"{str(exc).splitlines()[0]}") from None

    def _close_database(self) -> None:
        if self.read_only:
            _release_reader(self._directory)
        else:
            self._database.close()

    # -- primitives ---------------------------------------------------------------------------

    def version(self) -> str:
        return f"LadybugDB {ladybug.__version__} embedded"

    def location(self) -> str:
        return str(self._directory)

    def writer_waiting(self) -> bool:
        return writer_waiting(self._directory)

    @property
    def frozen(self) -> bool:
        # read-only, and not opened inside this process's own write (which may go on writing)
        return self.read_only and self._access.among_readers_only

    def init_schema(self) -> list[str]:
        statements = ddl.ladybug_statements(self.schema)
        with self._lock:
            for statement in statements:
                self._execute(statement)
            statements += self._migrate()
            statements += self._fill_periods()
        return statements

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        with self._lock:
            return self._execute(query, params)

    def write_all(self, statements: Sequence[Statement]) -> list[list[Row]]:
        with self._lock:
            self._execute("BEGIN TRANSACTION")
            try:
                results = [self._execute(query, params) for query, params in statements]
                self._execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
            return results

    def _upsert_nodes(self, label: str, rows: list[Row], properties: list[str],
                      shared: Mapping[str, Any]) -> None:
        """The engine's MERGE is several times slower than a key look-up followed by CREATE
        for new nodes and MATCH ... SET for the others, so the batch is split that way, inside
        one transaction."""
        key = self.schema.node(label).key
        with self._lock:
            self._execute("BEGIN TRANSACTION")
            try:
                found = self._execute(cypher.lookup(self.schema, label, key),
                                      {"values": [row[key] for row in rows]})
                constants = shared_params(shared)
                existing = {row["value"] for row in found}
                new = [row for row in rows if row[key] not in existing]
                old = [row for row in rows if row[key] in existing]
                for part, build in ((new, cypher.create_nodes), (old, cypher.update_nodes)):
                    if not part:
                        continue
                    # a column null throughout this part would be typed STRING by the engine
                    names = [p for p in properties if p == key or p in shared
                             or any(row.get(p) is not None for row in part)]
                    self._execute(build(self.schema, label, names, shared),
                                  {"rows": [{p: row.get(p) for p in names if p not in shared}
                                            for row in part], **constants})
                self._execute("COMMIT")
            except BaseException:
                self._rollback()
                raise

    bulk_insert_path = True

    def bulk_insert(self, nodes: Mapping[str, Columns],
                    relationships: Mapping[tuple[str, str, str], Columns]) -> None:
        """``COPY ... FROM`` typed Arrow tables, nodes before relationships, in one
        transaction: a load killed or refused here leaves the store as empty as it was."""
        if not self.is_empty():  # COPY would add a second copy of what is there
            raise StoreError("the bulk path is for an empty store; this one holds data")
        statements: list[Statement] = []
        for label, columns in nodes.items():
            table = _arrow(columns, self.schema.node(label).properties.values())
            if table.num_rows:
                statements.append((cypher.copy_nodes(self.schema, label), {"rows": table}))
        for (rel_type, source, target), columns in relationships.items():
            rel = self.schema.endpoint(rel_type, source, target)
            table = _arrow(columns, rel.properties.values(), ENDPOINT_FIELDS)
            if table.num_rows:
                statements.append((cypher.copy_relationships(self.schema, rel_type, source,
                                                             target), {"rows": table}))
        self.write_all(statements)

    def wipe(self) -> None:
        present_rels = self._present_relationship_types()
        present_labels = self._present_labels()
        statements: list[Statement] = [
            (f"MATCH ()-[r:{cypher.quote_rel_type(self.schema, rel)}]->() DELETE r", NO_PARAMS)
            for rel in self.schema.relationship_types if rel in present_rels
        ] + [
            (cypher.delete_label(self.schema, label), NO_PARAMS)
            for label in self.schema.labels if label in present_labels
        ]
        self.write_all(statements)

    def reopen(self) -> None:
        """Close the database and open it again, as a new process would. In the process that
        had just loaded 100k seed firms, each small write transaction took the engine 150-190
        ms, 12 ms once reopened; an explicit CHECKPOINT did not help (docs/scaling.md)."""
        if self.read_only:  # a reader shares its database with the process's other readers
            return
        with self._lock:
            if getattr(self, "_closed", False):
                raise StoreError(f"embedded store {self._directory} is closed")
            self._connection.close()
            self._close_database()
            try:
                self._open(self.read_only)
            except BaseException:
                self._closed = True  # nothing open is left to close
                self._access.release()
                raise

    def close(self) -> None:
        with self._lock:
            if getattr(self, "_closed", False):
                return  # closing twice is harmless
            self._closed = True
            try:
                self._connection.close()
                self._close_database()
            finally:
                self._access.release()

    # -- helpers ------------------------------------------------------------------------------

    def _present_labels(self) -> set[str]:
        return self._tables("NODE")

    def _present_relationship_types(self) -> set[str]:
        return self._tables("REL")

    def _tables(self, kind: str) -> set[str]:
        rows = self.read("CALL show_tables() RETURN name, type")
        return {row["name"] for row in rows if row["type"] == kind}

    def _migrate(self) -> list[str]:
        """Add columns and endpoint pairs that the schema gained since the store was made."""
        applied = []
        for table, properties in [
            *((n.label, n.properties) for n in self.schema.nodes.values()),
            *((r.name, r.properties) for r in self.schema.relationships.values()),
        ]:
            columns = self._execute(ddl.ladybug_table_info(self.schema, table))
            have = {row["name"] for row in columns}
            for name, spec in properties.items():
                if name not in have:
                    applied.append(ddl.ladybug_add_column(self.schema, table, spec))
        for rel in self.schema.relationships.values():
            rows = self._execute(ddl.ladybug_table_endpoints(self.schema, rel.name))
            have_pairs = {tuple(list(row.values())[:2]) for row in rows}
            for source, target in rel.endpoints:
                if (source, target) not in have_pairs:
                    applied.append(ddl.ladybug_add_endpoint(self.schema, rel.name, source, target))
        for statement in applied:
            self._execute(statement)
        return applied

    def _execute(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        try:
            result = self._connection.execute(query, dict(params or {}))
        except RuntimeError as exc:
            raise StoreError(f"embedded engine refused the statement: {exc}") from None
        results = result if isinstance(result, list) else [result]
        rows: list[Row] = []
        for part in results:
            columns = part.get_column_names()
            while part.has_next():
                rows.append(dict(zip(columns, map(_native, part.get_next()), strict=True)))
            part.close()
        return rows

    def _rollback(self) -> None:
        # A failed statement may already have ended the transaction.
        with contextlib.suppress(RuntimeError):
            self._connection.execute("ROLLBACK")


def _arrow(columns: Columns, properties: Iterable[PropertySpec],
           keys: Sequence[str] = ()) -> pa.Table:
    """An Arrow table typed by the schema: the key columns (strings), then one column per
    property, in schema order (a column not given, or null throughout, keeps its type)."""
    rows = len(next(iter(columns.values()), ()))
    unknown = set(columns) - set(keys) - {spec.name for spec in properties}
    if unknown:
        raise StoreError(f"bulk insert: unknown column(s) {', '.join(sorted(unknown))}")
    arrays = {key: pa.array(columns[key], pa.string()) for key in keys}
    for spec in properties:
        values = columns.get(spec.name)
        arrays[spec.name] = (pa.array(values, ARROW_TYPES[spec.type]) if values is not None
                             else pa.nulls(rows, ARROW_TYPES[spec.type]))
    return pa.table(arrays)


def _native(value: Any) -> Any:
    """Engine values to plain Python, matching what the Neo4j backend returns."""
    if isinstance(value, dict):
        if "_LABEL" in value:  # a node or relationship: its properties, without internals
            return {
                k: _native(v) for k, v in value.items() if not k.startswith("_") and v is not None
            }
        return {k: _native(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_native(v) for v in value]
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)  # TIMESTAMP columns hold UTC (schema.coerce_value)
    return value


# -- one read-only database per process and store ----------------------------------------------
# Every engine database reserves a large address range (its buffer manager maps up to 8 TiB);
# a server answering 32 calls at once cannot hold 32 of them. Readers of a process share one,
# each with its own connection, and the last reader to leave closes it, so that a writer can
# come in between.

@dataclass
class _Reader:
    database: ladybug.Database
    readers: int = 0


_READERS: dict[Path, _Reader] = {}  # directory → its database and how many read it
_READERS_GUARD = threading.Lock()


def _database(directory: Path, read_only: bool) -> ladybug.Database:
    try:
        return ladybug.Database(str(directory / DATABASE_FILE), read_only=read_only)
    except RuntimeError as exc:
        message = str(exc).splitlines()[0]
        if "lock" in message.lower():
            raise StoreUnavailableError(
                f"embedded store {directory} is in use by another process "
                "(close the dashboard or the other command, then retry)"
            ) from None
        raise StoreError(f"cannot open embedded store {directory}: {message}") from None


def _shared_reader(directory: Path) -> ladybug.Database:
    with _READERS_GUARD:
        entry = _READERS.get(directory)
        if entry is None:
            entry = _READERS[directory] = _Reader(_database(directory, read_only=True))
        entry.readers += 1
        return entry.database


def _release_reader(directory: Path) -> None:
    with _READERS_GUARD:
        entry = _READERS.get(directory)
        if entry is None:
            return
        entry.readers -= 1
        if entry.readers <= 0:
            del _READERS[directory]
            entry.database.close()
