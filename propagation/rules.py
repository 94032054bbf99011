"""Joint-punishment rules (失信联合惩戒规则) read from YAML and checked before any use.

A rule file names measures (departments, legal basis), the rules that apply them when a subject
is black-listed — to the subject itself and over relations to related subjects — and when red-list
incentives are withheld. Every problem is reported with the file and the key path, and a file
with any problem is refused whole: a half-applied rule set would restrict the wrong people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from creditgraph.graph.errors import CreditGraphError
from creditgraph.policy.vocabulary import words

DEFAULT_RULES = Path(__file__).resolve().parent / "joint-punishment.yaml"
RELATION_TYPES = ("LEGAL_REP_OF", "SHAREHOLDER_OF", "EXECUTIVE_OF", "ACTUAL_CONTROLLER_OF",
                  "BRANCH_OF", "RELATIVE_OF")
DIRECTIONS = ("in", "out", "both")
# The label of the black-listed subject a rule is for. A list entry names an enterprise or a
# person (LISTED in graph/schema.yaml); ``any`` would also cover an overseas entity should
# entries ever name one. Whoever a reach gets to may be of any subject label: an overseas
# shareholder, controller or parent company (境外主体) is reached like a firm.
LISTED = ("Enterprise", "Person", "any")
MAX_HOPS = 4


class RulesError(CreditGraphError):
    """A rule file that cannot be used as it is."""


@dataclass(frozen=True)
class Measure:
    name: str
    departments: tuple[str, ...]
    basis: str


@dataclass(frozen=True)
class Step:
    type: str
    direction: str  # in | out | both, seen from the subject already reached


@dataclass(frozen=True)
class Reach:
    """Who besides the listed subject: any walk over ``relations`` up to ``max_hops``, or the
    exact sequence ``steps``."""

    relations: tuple[Step, ...] = ()
    steps: tuple[Step, ...] = ()
    max_hops: int = 0
    min_ratio: float | None = None
    decay: float = 1.0

    @property
    def hops(self) -> int:
        return len(self.steps) if self.steps else self.max_hops

    def allowed(self, depth: int) -> tuple[Step, ...]:
        """The steps that may be taken from a subject reached at ``depth``."""
        if self.steps:
            return (self.steps[depth],) if depth < len(self.steps) else ()
        return self.relations if depth < self.max_hops else ()


@dataclass(frozen=True)
class Rule:
    id: str
    list_type: str
    listed: str
    measures: tuple[str, ...]
    self_applies: bool
    reach: Reach
    years: int | None = None

    def applies_to(self, list_type: str, label: str) -> bool:
        return self.list_type == list_type and self.listed in ("any", label)


@dataclass(frozen=True)
class Incentives:
    measures: dict[str, str]
    withheld_measure: str
    basis: str
    departments: tuple[str, ...]
    own_sanction: bool
    linked_black_hops: int
    relations: tuple[str, ...]


@dataclass(frozen=True)
class RuleSet:
    path: Path
    measures: dict[str, Measure]
    rules: tuple[Rule, ...]
    incentives: Incentives | None
    english: dict[str, str] = field(default_factory=dict)  # a measure's name in English

    def measure_name(self, name: str, english: bool) -> str:
        """A measure (punishment or incentive) as a page in that language names it."""
        return self.english.get(name, name) if english else name

    def for_entry(self, list_type: str, label: str) -> list[Rule]:
        return [rule for rule in self.rules if rule.applies_to(list_type, label)]

    @property
    def relation_types(self) -> tuple[str, ...]:
        """Every relationship type any rule walks, in schema order."""
        used = {s.type for r in self.rules for s in (*r.reach.relations, *r.reach.steps)}
        if self.incentives:
            used |= set(self.incentives.relations)
        return tuple(t for t in RELATION_TYPES if t in used)

    @property
    def reach(self) -> int:
        """How far any rule (or the incentive check) looks from a listed subject."""
        hops = [rule.reach.hops for rule in self.rules]
        if self.incentives:
            hops.append(self.incentives.linked_black_hops)
        return max(hops, default=0)


class _Checker:
    """Walks the parsed YAML, collecting every problem with its key path."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"{where}: {message}")

    def mapping(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(where, "must be a mapping")
            return {}
        return value

    def sequence(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(where, "must be a list")
            return []
        return value

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, "must be non-empty text")
            return ""
        return value.strip()

    def number(self, value: Any, where: str, low: float, high: float,
               low_open: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(where, "must be a number")
            return high
        if value > high or value < low or (low_open and value == low):
            bound = "(" if low_open else "["
            self.fail(where, f"must be in {bound}{low}, {high}]; got {value}")
        return float(value)

    def unknown_keys(self, value: dict[str, Any], allowed: set[str], where: str) -> None:
        for key in sorted(set(value) - allowed):
            expected = ", ".join(sorted(allowed))
            self.fail(f"{where}.{key}", f"unknown key (expected one of {expected})")


def load_rules(path: Path | None = None) -> RuleSet:
    """Read and check a rule file; raises RulesError listing every problem found."""
    path = path or DEFAULT_RULES
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RulesError(f"{path}: cannot read the rule file ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise RulesError(f"{path}:{where} not valid YAML ({getattr(exc, 'problem', exc)})"
                         ) from None
    check = _Checker(path)
    top = check.mapping(raw, "(top)")
    check.unknown_keys(top, {"measures", "rules", "incentives", "english"}, "(top)")
    measures = _measures(check, top.get("measures"))
    rules = _rules(check, top.get("rules"), measures)
    incentives = _incentives(check, top["incentives"]) if top.get("incentives") else None
    english = _english(check, top.get("english") or {}, measures, incentives)
    if check.problems:
        listed = "\n  ".join(check.problems)
        raise RulesError(f"{path}: {len(check.problems)} problem(s), nothing applied:\n  {listed}")
    return RuleSet(path, measures, rules, incentives, english)


def _english(check: _Checker, raw: Any, measures: dict[str, Measure],
             incentives: Incentives | None) -> dict[str, str]:
    """``english``: measure name -> its name in English, for the English pages; every name
    one of the file's measures (punishments, incentives, the withheld measure)."""
    known = set(measures) | (set(incentives.measures) | {incentives.withheld_measure}
                             if incentives else set())
    english = {}
    for name, text in check.mapping(raw, "english").items():
        if name not in known:
            check.fail(f"english.{name}", "not a measure of this file")
        english[str(name)] = check.text(text, f"english.{name}")
    seen: dict[str, str] = {}
    for name, named in english.items():  # a page chooses a measure by its English name
        if named and named in seen:
            check.fail(f"english.{name}", f"the same English name as {seen[named]}: {named!r}")
        seen.setdefault(named, name)
    return english


def _measures(check: _Checker, raw: Any) -> dict[str, Measure]:
    measures = {}
    for name, spec in check.mapping(raw, "measures").items():
        where = f"measures.{name}"
        spec = check.mapping(spec, where)
        check.unknown_keys(spec, {"departments", "basis"}, where)
        departments = [check.text(d, f"{where}.departments[{i}]")
                       for i, d in enumerate(check.sequence(spec.get("departments"),
                                                            f"{where}.departments"))]
        measures[str(name)] = Measure(str(name), tuple(departments),
                                      check.text(spec.get("basis"), f"{where}.basis"))
    if not measures:
        check.fail("measures", "no measures defined")
    return measures


def _rules(check: _Checker, raw: Any, measures: dict[str, Measure]) -> tuple[Rule, ...]:
    list_types = set(words("list_types"))
    rules: list[Rule] = []
    seen: set[str] = set()
    allowed = {"id", "list_type", "listed", "measures", "self", "reach", "years"}
    for index, spec in enumerate(check.sequence(raw, "rules")):
        where = f"rules[{index}]"
        spec = check.mapping(spec, where)
        check.unknown_keys(spec, allowed, where)
        rule_id = check.text(spec.get("id"), f"{where}.id")
        where = f"rules[{index}] ({rule_id})" if rule_id else where
        if rule_id in seen:
            check.fail(f"{where}.id", "used by an earlier rule")
        seen.add(rule_id)
        list_type = check.text(spec.get("list_type"), f"{where}.list_type")
        if list_type and list_type not in list_types:
            check.fail(f"{where}.list_type", f"unknown list type {list_type!r} (known: "
                       f"{', '.join(sorted(list_types))})")
        listed = spec.get("listed", "any")
        if listed not in LISTED:
            check.fail(f"{where}.listed", f"must be one of {', '.join(LISTED)}; got {listed!r}")
        names = [check.text(m, f"{where}.measures[{i}]")
                 for i, m in enumerate(check.sequence(spec.get("measures"), f"{where}.measures"))]
        for i, name in enumerate(names):
            if name and name not in measures:
                check.fail(f"{where}.measures[{i}]", f"unknown measure {name!r} (define it under "
                           "measures)")
        if not names:
            check.fail(f"{where}.measures", "names no measure")
        self_applies = spec.get("self", True)
        if not isinstance(self_applies, bool):
            check.fail(f"{where}.self", "must be true or false")
        reach = _reach(check, spec.get("reach"), f"{where}.reach")
        if not self_applies and not reach.hops:
            check.fail(where, "applies to nobody: self is false and there is no reach")
        years = spec.get("years")
        if years is not None and (isinstance(years, bool) or not isinstance(years, int)
                                  or not 1 <= years <= 20):
            check.fail(f"{where}.years", f"must be a whole number of years 1-20; got {years!r}")
        rules.append(Rule(rule_id, list_type, str(listed), tuple(names), bool(self_applies),
                          reach, years))
    return tuple(rules)


def _reach(check: _Checker, raw: Any, where: str) -> Reach:
    if raw is None:
        return Reach()
    spec = check.mapping(raw, where)
    check.unknown_keys(spec, {"relations", "steps", "max_hops", "min_ratio", "decay"}, where)
    if ("relations" in spec) == ("steps" in spec):
        check.fail(where, "needs either relations (with max_hops) or steps, not both")
    relations = _steps(check, spec.get("relations"), f"{where}.relations") \
        if "relations" in spec else ()
    steps = _steps(check, spec.get("steps"), f"{where}.steps") if "steps" in spec else ()
    max_hops = 0
    if relations:
        value = spec.get("max_hops")
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_HOPS:
            check.fail(f"{where}.max_hops", f"must be a whole number 1-{MAX_HOPS}; got {value!r}")
        else:
            max_hops = value
    elif "max_hops" in spec:
        check.fail(f"{where}.max_hops", "only with relations (steps set their own length)")
    if len(steps) > MAX_HOPS:
        check.fail(f"{where}.steps", f"at most {MAX_HOPS} steps")
    min_ratio = spec.get("min_ratio")
    if min_ratio is not None:
        min_ratio = check.number(min_ratio, f"{where}.min_ratio", 0.0, 1.0)
        if not any(s.type == "SHAREHOLDER_OF" for s in (*relations, *steps)):
            check.fail(f"{where}.min_ratio", "only applies to SHAREHOLDER_OF, which is not walked")
    decay = check.number(spec.get("decay", 1.0), f"{where}.decay", 0.0, 1.0, low_open=True)
    return Reach(relations, steps, max_hops, min_ratio, decay)


def _steps(check: _Checker, raw: Any, where: str) -> tuple[Step, ...]:
    steps = []
    items = check.sequence(raw, where)
    if not items and isinstance(raw, list):
        check.fail(where, "is empty")
    for i, item in enumerate(items):
        spec = check.mapping(item, f"{where}[{i}]")
        check.unknown_keys(spec, {"type", "direction"}, f"{where}[{i}]")
        rel_type, direction = spec.get("type"), spec.get("direction", "both")
        if rel_type not in RELATION_TYPES:
            check.fail(f"{where}[{i}].type", f"unknown relationship type {rel_type!r} (one of "
                       f"{', '.join(RELATION_TYPES)})")
        if direction not in DIRECTIONS:
            check.fail(f"{where}[{i}].direction", f"must be in, out or both; got {direction!r}")
        steps.append(Step(str(rel_type), str(direction)))
    return tuple(steps)


def _incentives(check: _Checker, raw: Any) -> Incentives:
    where = "incentives"
    spec = check.mapping(raw, where)
    check.unknown_keys(spec, {"measures", "withheld_measure", "basis", "departments",
                              "withheld_when"}, where)
    measures = {str(k): check.text(v, f"{where}.measures.{k}")
                for k, v in check.mapping(spec.get("measures"), f"{where}.measures").items()}
    when = check.mapping(spec.get("withheld_when"), f"{where}.withheld_when")
    check.unknown_keys(when, {"own_sanction", "linked_black_hops", "relations"},
                       f"{where}.withheld_when")
    hops = when.get("linked_black_hops", 0)
    if isinstance(hops, bool) or not isinstance(hops, int) or not 0 <= hops <= MAX_HOPS:
        check.fail(f"{where}.withheld_when.linked_black_hops",
                   f"must be a whole number 0-{MAX_HOPS}; got {hops!r}")
        hops = 0
    relations = check.sequence(when.get("relations", list(RELATION_TYPES)),
                               f"{where}.withheld_when.relations")
    for i, rel in enumerate(relations):
        if rel not in RELATION_TYPES:
            check.fail(f"{where}.withheld_when.relations[{i}]",
                       f"unknown relationship type {rel!r}")
    own = when.get("own_sanction", True)
    if not isinstance(own, bool):
        check.fail(f"{where}.withheld_when.own_sanction", "must be true or false")
    departments = [check.text(d, f"{where}.departments[{i}]") for i, d in
                   enumerate(check.sequence(spec.get("departments", []), f"{where}.departments"))]
    return Incentives(measures, check.text(spec.get("withheld_measure"),
                                           f"{where}.withheld_measure"),
                      check.text(spec.get("basis"), f"{where}.basis"), tuple(departments),
                      bool(own), int(hops), tuple(str(r) for r in relations))
