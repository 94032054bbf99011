"""Alert rules (rules.yaml), checked before any use: a rule file with any unknown or malformed
key is refused whole, with the file and the key path of every problem — an alert rule half read
would stay silent where it must speak."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from creditgraph.graph.errors import CreditGraphError
from creditgraph.graph.settings import alert_rules_file

DEFAULT_RULES = Path(__file__).resolve().parent / "rules.yaml"
KINDS = ("near_black", "own_record", "commitment_breach", "red_black_conflict",
         "civil_servant_finding", "late_publication", "phoenix_firm")
SCOPES = ("watched", "all")
SEVERITIES = ("high", "medium", "low")
KEYS = {"title", "kind", "scope", "hops", "severity", "basis"}
MAX_HOPS = 4


class AlertRulesError(CreditGraphError):
    """An alert-rule file that cannot be used as it is."""


@dataclass(frozen=True)
class AlertRule:
    name: str
    title: str
    kind: str
    scope: str
    hops: int
    severity: str
    basis: str


@dataclass(frozen=True)
class AlertRules:
    rules: tuple[AlertRule, ...]
    path: str

    def by_name(self) -> dict[str, AlertRule]:
        return {rule.name: rule for rule in self.rules}


def rules_path(environ: Mapping[str, str] | None = None) -> Path:
    return alert_rules_file(environ) or DEFAULT_RULES


def load_alert_rules(path: Path | None = None) -> AlertRules:
    path = (path or rules_path()).resolve()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise AlertRulesError(f"{path}: cannot read the alert-rule file: {exc.strerror}"
                              ) from None
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise AlertRulesError(f"{path}: not readable YAML: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("rules"), dict) or not data["rules"]:
        raise AlertRulesError(f"{path}: rules: expected a mapping of rule name → rule")
    problems = [f"{key}: unknown key (expected rules)" for key in sorted(set(data) - {"rules"})]
    rules = [rule for name, spec in data["rules"].items()
             if (rule := _rule(str(name), spec, problems)) is not None]
    if problems:
        raise AlertRulesError(f"{path}: refused, nothing used:\n  " + "\n  ".join(problems))
    return AlertRules(tuple(rules), str(path))


def _rule(name: str, spec: Any, problems: list[str]) -> AlertRule | None:
    where = f"rules.{name}"
    if not isinstance(spec, dict):
        problems.append(f"{where}: expected a mapping with {', '.join(sorted(KEYS))}")
        return None
    before = len(problems)
    for key in sorted(set(spec) - KEYS):
        problems.append(f"{where}.{key}: unknown key (expected {', '.join(sorted(KEYS))})")
    for key in ("title", "kind", "scope", "severity", "basis"):
        if not isinstance(spec.get(key), str) or not spec[key].strip():
            problems.append(f"{where}.{key}: missing")
    for key, allowed in (("kind", KINDS), ("scope", SCOPES), ("severity", SEVERITIES)):
        value = spec.get(key)
        if isinstance(value, str) and value.strip() and value not in allowed:
            problems.append(f"{where}.{key}: {value!r} is not one of {', '.join(allowed)}")
    hops = spec.get("hops", 2)
    if not isinstance(hops, int) or isinstance(hops, bool) or not 1 <= hops <= MAX_HOPS:
        problems.append(f"{where}.hops: expected a whole number from 1 to {MAX_HOPS}, got "
                        f"{hops!r}")
    if spec.get("kind") in ("near_black", "own_record") and spec.get("scope") == "all":
        problems.append(f"{where}.scope: {spec['kind']} looks at watched subjects only")
    if len(problems) > before:
        return None
    return AlertRule(name, spec["title"].strip(), spec["kind"], spec["scope"], hops,
                     spec["severity"], spec["basis"].strip())
