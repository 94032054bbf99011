"""What one input row becomes: the nodes and relationships to write, or a rejection, plus the
warnings that go with it. Every issue names file, line and column; values that look like
resident ID numbers are masked before they are kept anywhere."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from creditgraph.graph.documents import could_be_a_document
from creditgraph.graph.identifiers import mask_digit_runs, mask_document_number

NodeWrite = tuple[str, dict[str, Any]]  # label, properties
RelWrite = tuple[str, str, str, dict[str, Any]]  # type, source label, target label, row
Primary = tuple[str, ...]  # ("node", label, key) or ("rel", type, src label, src, dst label, dst)


def safe_value(value: Any, limit: int = 120) -> str:
    """A cell as it may appear in a report: ID numbers masked, long text cut."""
    if value is None:
        return ""
    shown = str(value)
    if could_be_a_document(shown):
        return mask_document_number(shown)
    shown = mask_digit_runs(shown)
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


@dataclass(frozen=True)
class Issue:
    file: str
    line: int
    column: str
    message: str
    value: str = ""

    def as_row(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "column": self.column,
                "reason": mask_digit_runs(self.message), "value": mask_digit_runs(self.value)}


class Reject(Exception):
    """The row cannot be loaded; ``column`` and ``message`` say why."""

    def __init__(self, column: str, message: str, value: Any = None) -> None:
        super().__init__(message)
        self.column = column
        self.message = message
        self.value = safe_value(value)


@dataclass
class Plan:
    primary: Primary
    nodes: list[NodeWrite] = field(default_factory=list)
    rels: list[RelWrite] = field(default_factory=list)
    warnings: list[tuple[str, str, str]] = field(default_factory=list)  # column, message, value

    def warn(self, column: str, message: str, value: Any = None) -> None:
        self.warnings.append((column, message, safe_value(value)))
