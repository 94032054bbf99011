"""Watches (关注): subjects an investigator asked to be told about, each with its owner (a user
of the investigator role or above) and, optionally, its own reach for the linked-party rule.
Watching is investigators' work: every call names the acting user (no user, no watches); a
watch is removed by its owner or a supervisor. Adding a watched subject again gives it the new
owner, and the new reach, rules and note where given (an omitted one keeps the old)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from creditgraph.access import audit
from creditgraph.access.users import User
from creditgraph.alerts.cases import require
from creditgraph.alerts.rules import load_alert_rules
from creditgraph.graph.documents import mask_personal_text
from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.store import GraphStore
from creditgraph.queries.library import cypher_file, run
from creditgraph.queries.subjects import Subject

MAX_HOPS = 4
MAX_NOTE = 500


class WatchError(CreditGraphError):
    pass


def add_watches(store: GraphStore, subjects: Sequence[Subject], owner: str,
                known: dict[str, User], actor: User | None, hops: int | None = None,
                note: str = "", rules: Sequence[str] | None = None) -> list[str]:
    """``rules``: the watch rules (scope ``watched`` in the alert rule file) these subjects
    are watched for; None: as before (every one for a new watch); empty: every one."""
    user = require(actor, "investigator", "watching subjects")
    if rules:
        offered = [r.name for r in load_alert_rules().rules if r.scope == "watched"]
        unknown = sorted(set(rules) - set(offered))
        if unknown:
            raise WatchError(f"--rule {', '.join(unknown)}: not a watch rule (those of scope "
                             f"'watched' in the alert rule file: {', '.join(offered)})")
    target = known.get(owner)
    if target is None or not target.can("investigator"):
        raise WatchError(f"--owner {owner!r}: not an investigator (or above) in the user store; "
                         "a watch's alerts go to a person who may work cases")
    if hops is not None and not 1 <= hops <= MAX_HOPS:
        raise WatchError(f"--hops must be from 1 to {MAX_HOPS}; got {hops}")
    if len(note) > MAX_NOTE:
        raise WatchError(f"--note holds at most {MAX_NOTE} characters")
    if not subjects:
        raise WatchError("no subject to watch")
    audit.check_ready()
    now = dt.datetime.now(dt.UTC)
    rows = [{"watch_id": s.node_id, "subject_label": s.label, "subject_key": s.key,
             "subject_name": s.name, "owner": owner, "hops": hops,
             "rules": None if rules is None else sorted(set(rules)),
             "note": mask_personal_text(note.strip()) or None, "created_at": now,
             "created_by": user.name, "updated_at": now} for s in subjects]
    store.merge_nodes("Watch", rows)
    for label in sorted({s.label for s in subjects}):
        store.merge_relationships("WATCHES", "Watch", label, [
            {"src_key": s.node_id, "dst_key": s.key, "updated_at": now}
            for s in subjects if s.label == label])
    ids = [s.node_id for s in subjects]
    audit.append("watch-add", actor=user.name, watches=ids, owner=owner, hops=hops,
                 rules=None if rules is None else sorted(set(rules)))
    return ids


def list_watches(store: GraphStore, owner: str = "") -> list[dict]:
    """Every watch (or one owner's). Callers outside alerts/ check the user first
    (``watches_for``)."""
    return [row for row in run(store, "watches-all") if not owner or row["owner"] == owner]


def watches_to_evaluate(store: GraphStore) -> list[dict]:
    """Every watch with what an alert run needs of it (subject, owner, reach, rules)."""
    return run(store, "watches-evaluated")


def watches_for(store: GraphStore, actor: User | None, owner: str = "") -> list[dict]:
    require(actor, "investigator", "listing watches")
    return list_watches(store, owner)


def remove_watches(store: GraphStore, watch_ids: Sequence[str], actor: User | None
                   ) -> list[str]:
    user = require(actor, "investigator", "removing watches")
    held = {row["watch_id"]: row for row in run(store, "watches-all")}
    unknown = [w for w in watch_ids if w not in held]
    if unknown:
        raise WatchError(f"no watch {', '.join(map(repr, unknown))} (see `creditgraph watch "
                         "list`); nothing removed")
    others = [w for w in watch_ids if held[w]["owner"] != user.name]
    if others and not user.can("supervisor"):
        raise WatchError(f"{', '.join(others)}: watched by another investigator; only its "
                         "owner or a supervisor removes a watch; nothing removed")
    audit.check_ready()
    store.write(cypher_file("watch-remove", store.backend).text, {"ids": list(watch_ids)})
    audit.append("watch-remove", actor=user.name, watches=list(watch_ids))
    return list(watch_ids)
