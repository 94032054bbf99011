"""Write a case as a BagIt bag (RFC 8493) — a folder or a .zip — and check one.

``data/`` holds the evidence, byte-identical for the same graph and parameters; ``bag-info.txt``
holds the case number, parameters, data snapshot and tool version (and bagit's date);
``manifest-sha256.txt`` and ``tagmanifest-sha256.txt`` make any change detectable.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import zipfile
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import bagit

from creditgraph.casefile import network, pdf, render
from creditgraph.casefile.collect import Case
from creditgraph.graph.errors import CreditGraphError

SCHEMA_FILE = Path(__file__).with_name("evidence.schema.json")


def tool_version() -> str:
    try:
        return f"CreditGraph {version('creditgraph')}"
    except PackageNotFoundError:
        return "CreditGraph (not installed)"


def payload(case: Case, parameters: dict[str, Any], snapshot: dict[str, Any]
            ) -> dict[str, bytes]:
    """The files of data/, by name. The reports name the evidence they show by its SHA-256."""
    evidence = render.evidence_json(case)
    digest = hashlib.sha256(evidence).hexdigest()
    return {
        "report.html": render.report_html(case, parameters, snapshot, digest),
        "report.pdf": pdf.report_pdf(case, parameters, snapshot, digest),
        "evidence.json": evidence,
        "evidence.schema.json": SCHEMA_FILE.read_bytes(),
        "evidence.xlsx": render.evidence_xlsx(case),
        "network.graphml": network.graphml(case),
        "network.svg": network.svg(case).encode("utf-8"),
    }


def write_bag(case: Case, parameters: dict[str, Any], snapshot: dict[str, Any],
              out: Path) -> str:
    """Write the bag at ``out`` (a folder, or a .zip); returns the SHA-256 of its tag
    manifest (or of the .zip), which the audit log records."""
    if out.exists():
        raise CreditGraphError(f"{out} exists; choose a new path for the case bag")
    files = payload(case, parameters, snapshot)
    with tempfile.TemporaryDirectory(prefix="creditgraph-case-") as tmp:
        folder = Path(tmp) / (out.stem if out.suffix == ".zip" else out.name)
        folder.mkdir()
        for name, content in sorted(files.items()):
            (folder / name).write_bytes(content)
        info = {
            "Source-Organization": "CreditGraph 信用图谱",
            "External-Identifier": case.case_no,
            "Case-Number": case.case_no,
            "As-Of": case.as_of.isoformat(),
            "Parameters": json.dumps(parameters, ensure_ascii=False, sort_keys=True),
            "Data-Snapshot": json.dumps(snapshot, ensure_ascii=False, sort_keys=True),
            "Tool-Version": tool_version(),
            "External-Description": "案件证据包 case evidence bag: report.html / report.pdf "
                                    "for people, evidence.json (schema in "
                                    "evidence.schema.json) / evidence.xlsx / network.graphml "
                                    "for machines",
        }
        bagit.make_bag(str(folder), bag_info=info, checksums=["sha256"])
        tag_digest = hashlib.sha256((folder / "tagmanifest-sha256.txt").read_bytes()).hexdigest()
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix == ".zip":
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
                for path in sorted(folder.rglob("*")):
                    if path.is_file():
                        archive.write(path, f"{folder.name}/{path.relative_to(folder)}")
            return hashlib.sha256(out.read_bytes()).hexdigest()
        shutil.move(str(folder), out)
        return tag_digest


def verify_bag(path: Path) -> list[str]:
    """Problems found, each naming the file; empty when the bag is intact."""
    if not path.exists():
        raise CreditGraphError(f"{path}: no such bag")
    if path.suffix == ".zip":
        with tempfile.TemporaryDirectory(prefix="creditgraph-verify-") as tmp:
            try:
                with zipfile.ZipFile(path) as archive:
                    archive.extractall(tmp)
            except zipfile.BadZipFile as exc:
                return [f"{path}: not a readable zip ({exc})"]
            roots = [p for p in Path(tmp).iterdir() if p.is_dir()]
            if len(roots) != 1:
                return [f"{path}: expected one bag folder inside, found {len(roots)}"]
            return _validate(roots[0])
    return _validate(path)


def _validate(folder: Path) -> list[str]:
    try:
        bag = bagit.Bag(str(folder))
        bag.validate()
    except bagit.BagValidationError as exc:
        details = getattr(exc, "details", None) or []
        return [_describe(d) for d in details] or [str(exc)]
    except bagit.BagError as exc:
        return [f"{folder}: not a valid bag ({exc})"]
    return []


def _describe(detail: Any) -> str:
    if isinstance(detail, bagit.ChecksumMismatch):
        return f"{detail.path}: changed (sha256 {detail.found} ≠ {detail.expected})"
    if isinstance(detail, bagit.FileMissing):
        return f"{detail.path}: missing"
    if isinstance(detail, bagit.UnexpectedFile):
        return f"{detail.path}: not in the manifest (added)"
    return str(detail)
