"""Neo4j 5 backend through the official ``neo4j`` driver.

Managed transactions (``execute_read`` / ``execute_write``) let the driver retry transient
errors (leader switches, deadlocks) by itself; routing URIs (``neo4j://``, ``neo4j+s://``) work
unchanged against a cluster or Aura.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import neo4j
from neo4j import exceptions as neo4j_errors
from neo4j.graph import Node, Path, Relationship

from creditgraph.graph import ddl
from creditgraph.graph.errors import SettingsError, StoreError, StoreUnavailableError
from creditgraph.graph.schema import Schema
from creditgraph.graph.settings import Settings
from creditgraph.graph.store import GraphStore, Row, Statement
from creditgraph.graph.traversal import Neo4jDialect

# The driver logs every failed connection attempt as a warning of its own; we raise one clear
# error instead, so keep its records away from Python's last-resort stderr handler.
logging.getLogger("neo4j").addHandler(logging.NullHandler())
logging.getLogger("neo4j").propagate = False

CONNECTION_TIMEOUT_S = 10.0
RETRY_TIME_S = 30.0
WIPE_CHUNK = 10_000
READ_ATTEMPTS = 3
# A read whose last answer had at most this many rows comes back packed in one record; a
# larger one streams (the server would hold the whole answer as one list).
PACK_ROWS = 50_000
SHAPES_KEPT = 10_000  # query texts whose columns are remembered (they come from files and
# the schema: a few hundred; the bound only keeps a misuse from growing without end)
_PACKABLE = re.compile(r"(MATCH|OPTIONAL\s+MATCH|UNWIND|WITH|RETURN)\b|CALL\s*[({]",
                       re.IGNORECASE)  # a query, not a command or a procedure call


@dataclass(frozen=True)
class _Shape:
    """What the last answer to a query text looked like: its columns, and the same query
    packed into one record (None: it streams — too many rows, or it cannot be wrapped);
    ``wrappable`` False once the wrapped form failed where the query itself answered."""

    keys: tuple[str, ...]
    packed: str | None
    wrappable: bool = True


class Neo4jStore(GraphStore):
    backend = "neo4j"
    dialect = Neo4jDialect()
    parallel_reads = 4  # the driver is thread-safe; each read takes its own session
    merges_in_one = True

    def __init__(self, settings: Settings, schema: Schema) -> None:
        super().__init__(settings, schema)
        if not settings.neo4j_password:
            raise SettingsError("NEO4J_PASSWORD is not set (needed for the neo4j backend)")
        self._database = settings.neo4j_database
        try:
            self._driver = neo4j.GraphDatabase.driver(
                settings.neo4j_uri,
                auth=neo4j.basic_auth(settings.neo4j_user, settings.neo4j_password),
                connection_timeout=CONNECTION_TIMEOUT_S,
                max_transaction_retry_time=RETRY_TIME_S,
                user_agent="creditgraph",
                # "label / type / property does not exist yet" is expected on a young graph
                # (no sanctions before the first propagation), not worth a warning per query
                notifications_disabled_classifications=[
                    neo4j.NotificationDisabledClassification.UNRECOGNIZED],
            )
            self._unreachable = False
            self._shapes: dict[str, _Shape] = {}
        except (neo4j_errors.ConfigurationError, ValueError) as exc:
            raise SettingsError(f"NEO4J_URI {settings.neo4j_uri!r} is not usable: {exc}") from None
        try:
            # An auto-commit query fails at once when the server is unreachable or refuses the
            # credentials; a managed read would first retry for RETRY_TIME_S.
            with self._errors(), self._session() as session:
                session.run("RETURN 1").consume()
        except StoreError:
            self._driver.close()
            raise

    # -- primitives ---------------------------------------------------------------------------

    def version(self) -> str:
        rows = self.read(
            "CALL dbms.components() YIELD name, versions, edition "
            "RETURN name, versions[0] AS version, edition"
        )
        return " ".join(f"{r['name']} {r['version']} {r['edition']}" for r in rows)

    def location(self) -> str:
        return f"{self.settings.neo4j_uri} (database {self._database})"

    def init_schema(self) -> list[str]:
        statements = ddl.neo4j_statements(self.schema)
        for statement in statements:
            self.write(statement)
        self.read("CALL db.awaitIndexes(300)")
        return statements + self._fill_periods()

    def schema_problems(self) -> list[str]:
        """Every constraint and index of the schema exists and is online (labels and types
        need nothing: Neo4j is schema-optional)."""
        found = {row["name"]: row["state"] for row in self.read(
            "SHOW INDEXES YIELD name, state RETURN name, state")}
        problems = []
        for name, what in ddl.neo4j_names(self.schema).items():
            if name not in found:
                problems.append(f"{what} missing ({name}): run `creditgraph init`")
            elif found[name] != "ONLINE":
                problems.append(f"{what} is {found[name]} ({name}), not yet ONLINE")
        return problems

    def read(self, query: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Reads run as auto-commit queries, retried here on transient errors: a managed read
        transaction costs three times the round trips (4.3 ms against 1.5 ms a query on
        loopback), and an investigation issues many small reads."""
        for attempt in range(READ_ATTEMPTS):
            try:
                with self._errors(), self._session() as session:
                    return self._answer(session, query, dict(params or {}))
            except StoreUnavailableError:
                if attempt + 1 == READ_ATTEMPTS:
                    raise
            except StoreError as exc:
                if not getattr(exc, "transient", False) or attempt + 1 == READ_ATTEMPTS:
                    raise
            time.sleep(0.2 * 2**attempt)
        raise AssertionError("unreachable")

    def _answer(self, session: neo4j.Session, query: str, params: dict[str, Any]) -> list[Row]:
        """The rows of a read. Each record costs the driver about 12 µs of Python on top of
        its values (a tenth of a second for 10,000 rows; an alert run reads some 50,000), so
        a query read before, with a modest answer then, is asked again wrapped — ``CALL ()
        { query } RETURN collect([columns])`` — and its rows come back in one record, in the
        order the query gives them. A query that cannot be wrapped (an unnamed column, a
        command) or outgrew ``PACK_ROWS`` streams as it is."""
        shape = self._shapes.get(query)
        if shape is not None and shape.packed is not None:
            try:
                record = session.run(shape.packed, params).single(strict=True)
            except neo4j_errors.Neo4jError as exc:
                code = exc.code or ""
                if code.startswith("Neo.ClientError.Transaction.") or (
                        isinstance(exc, neo4j_errors.TransientError) and "Memory" not in code):
                    raise  # a timeout, a termination, a conflict: the query's, not the form's
                # as it is; if that answers, the wrapping was at fault: as it is from now on
                with self._session() as fresh:
                    rows = _rows(fresh.run(query, params))
                self._remember(query, _Shape(shape.keys, None, wrappable=False))
                return rows
            keys, packed = shape.keys, record[0]
            if len(packed) > PACK_ROWS:  # cut at PACK_ROWS + 1: grown too large, streamed
                self._remember(query, _Shape(keys, None))
                return _rows(session.run(query, params))
            return [dict(zip(keys, map(_native, row), strict=True)) for row in packed]
        result = session.run(query, params)
        rows = _rows(result)
        keys = tuple(result.keys())
        packable = (len(rows) <= PACK_ROWS and bool(keys) and (shape is None or shape.wrappable)
                    and _PACKABLE.match(_without_comments(query)) is not None)
        if shape is None or (packable and shape.keys == keys):
            self._remember(query, _Shape(keys, _packed(query, keys) if packable else None))
        return rows

    def _remember(self, query: str, shape: _Shape) -> None:
        if len(self._shapes) >= SHAPES_KEPT:
            self._shapes.clear()
        self._shapes[query] = shape

    def write_all(self, statements: Sequence[Statement]) -> list[list[Row]]:
        def work(tx: neo4j.ManagedTransaction) -> list[list[Row]]:
            return [_run(tx, query, dict(params)) for query, params in statements]

        if self._unreachable:
            # A write already waited out the driver's retries: check once, quickly, before
            # waiting them out again, so a load whose server went away stops in one round.
            with self._errors(), self._session() as session:
                session.run("RETURN 1").consume()
            self._unreachable = False
        try:
            with self._errors(), self._session() as session:
                return session.execute_write(work)
        except StoreUnavailableError:
            self._unreachable = True
            raise

    def wipe(self) -> None:
        # CALL ... IN TRANSACTIONS deletes in chunks so a large graph does not need one huge
        # transaction; it must run in an auto-commit transaction (session.run). Relationships
        # go first: a chunk of nodes with DETACH DELETE also takes all their relationships,
        # which around hubs exceeded the server's transaction memory at 1M enterprises.
        with self._errors(), self._session() as session:
            session.run(
                f"MATCH ()-[r]->() CALL (r) {{ DELETE r }} IN TRANSACTIONS OF {WIPE_CHUNK} ROWS"
            ).consume()
            session.run(
                f"MATCH (n) CALL (n) {{ DETACH DELETE n }} IN TRANSACTIONS OF {WIPE_CHUNK} ROWS"
            ).consume()

    def close(self) -> None:
        self._driver.close()

    # -- helpers ------------------------------------------------------------------------------

    def _session(self) -> neo4j.Session:
        return self._driver.session(database=self._database)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """Turn driver exceptions into one actionable line each."""
        uri = self.settings.neo4j_uri
        try:
            yield
        except neo4j_errors.AuthError:
            raise StoreError(
                f"Neo4j at {uri} refused the credentials of user {self.settings.neo4j_user!r} "
                "(check NEO4J_USER / NEO4J_PASSWORD)"
            ) from None
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired) as exc:
            raise StoreUnavailableError(f"cannot reach Neo4j at {uri}: {_one_line(exc)}") from None
        except neo4j_errors.TransientError as exc:
            error = StoreError(f"Neo4j transient error: {exc.code}: {exc.message}")
            error.transient = True  # type: ignore[attr-defined]
            raise error from None
        except neo4j_errors.Neo4jError as exc:
            if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
                raise StoreError(
                    f"Neo4j at {uri} has no database {self._database!r} (check NEO4J_DATABASE)"
                ) from None
            raise StoreError(f"Neo4j refused the statement: {exc.code}: {exc.message}") from None
        except neo4j_errors.DriverError as exc:
            raise StoreUnavailableError(f"Neo4j driver error at {uri}: {_one_line(exc)}") from None


def _run(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> list[Row]:
    return _rows(tx.run(query, params))


def _rows(result: neo4j.Result) -> list[Row]:
    """A result's records as plain dicts (the keys read once: an alert run's reads return
    tens of thousands of rows, and the driver's per-key look-ups cost Python time)."""
    keys = result.keys()
    return [dict(zip(keys, map(_native, record), strict=True)) for record in result]


def _without_comments(query: str) -> str:
    """The query from its first line that is not a ``//`` comment (a query file's header)."""
    lines = query.lstrip().splitlines()
    while lines and (not lines[0].strip() or lines[0].lstrip().startswith("//")):
        lines.pop(0)
    return "\n".join(lines).lstrip()


def _packed(query: str, keys: Sequence[str]) -> str:
    """``query`` as a subquery whose rows come back as one list of at most ``PACK_ROWS`` + 1
    (more: the answer grew, and is read streamed instead — the server never gathers a large
    answer into one list). Column names quoted; the closing brace on a line of its own,
    after any trailing comment."""
    columns = ", ".join("`" + key.replace("`", "``") + "`" for key in keys)
    return (f"CALL () {{\n{query}\n}}\nWITH {columns} LIMIT {PACK_ROWS + 1}\n"
            f"RETURN collect([{columns}]) AS rows")


_PLAIN = frozenset({str, int, float, bool, type(None)})


def _native(value: Any) -> Any:
    """Driver values to plain Python, matching what the embedded backend returns."""
    if type(value) in _PLAIN:  # most values: no isinstance tests through the ABCs
        return value
    if isinstance(value, Node | Relationship):
        return {k: _native(v) for k, v in value.items()}
    if isinstance(value, Path):
        return [_native(node) for node in value.nodes]
    if isinstance(value, list):
        return [_native(v) for v in value]
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items()}
    if hasattr(value, "to_native"):
        return value.to_native()
    return value


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__
