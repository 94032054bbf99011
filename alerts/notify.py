"""Webhooks (预警推送): each new alert is POSTed as JSON to the webhook of every owner of a
watch on its subject (access/users.set_webhook, `creditgraph users set-webhook`), so that a
department's own system is told. Each POST is tried up to three times with a growing pause; a
failure is recorded in the audit log (owner, case, the webhook's host, the error — never the
full URL, which may carry a token) and counted, and never stops the run: the case is in the
graph whatever the receiver does."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from creditgraph.access import audit
from creditgraph.access.users import User

ATTEMPTS = 3
PAUSE = 0.5  # seconds before the second attempt; doubled before each later one
TIMEOUT = 5.0


@dataclass
class Delivery:
    sent: int = 0
    failed: int = 0


def notify(notices: Sequence[Mapping[str, Any]], owners_of: Mapping[str, Iterable[str]],
           users: Mapping[str, User], pause: float = PAUSE) -> Delivery:
    """``notices``: what record_hits raised (each with ``subject`` as ``Label:key``);
    ``owners_of``: watched subject → the owners of its watches."""
    delivery = Delivery()
    for notice in notices:
        for owner in sorted(set(owners_of.get(notice["subject"], ()))):
            user = users.get(owner)
            if user is None or not user.webhook:
                continue
            error = _post(user.webhook, {**notice, "owner": owner}, pause)
            if error is None:
                delivery.sent += 1
                continue
            delivery.failed += 1
            audit.append("alert-notify-failed", owner=owner, case_id=notice["case_id"],
                         host=urlsplit(user.webhook).hostname, error=error[:300])
    return delivery


def owners_by_subject(watches: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    owners: dict[str, list[str]] = defaultdict(list)
    for watch in watches:
        owners[watch["watch_id"]].append(watch["owner"])
    return owners


def _post(url: str, body: Mapping[str, Any], pause: float) -> str | None:
    """None when the receiver took it (2xx); else the last error, in words."""
    data = json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")
    error = "not tried"
    for attempt in range(ATTEMPTS):
        if attempt:
            time.sleep(pause * 2 ** (attempt - 1))
        request = urllib.request.Request(url, data=data, method="POST", headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "CreditGraph-alerts"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:
                if 200 <= answer.status < 300:
                    return None
                error = f"HTTP {answer.status}"
        except urllib.error.HTTPError as exc:
            error = f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            error = str(getattr(exc, "reason", exc))
    return error
