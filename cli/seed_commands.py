"""``creditgraph seed``: synthetic Hangzhou data with planted cases and known answers."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Annotated

import typer

from creditgraph.cli.app import FormatOption, app, handles_errors
from creditgraph.cli.output import OutputFormat, console, print_json, print_rows
from creditgraph.graph.errors import CreditGraphError
from creditgraph.seed.generator import generate


@app.command()
@handles_errors
def seed(
    enterprises: Annotated[int, typer.Option(help="how many enterprises (persons: half)")],
    out: Annotated[Path, typer.Option(help="directory for the loader input files")],
    seed_value: Annotated[int, typer.Option("--seed", help="random seed")] = 2016,
    as_of: Annotated[str | None, typer.Option(help="the data's 'today', YYYY-MM-DD "
                                                   "[default 2026-11-01]")] = None,
    dirty_rate: Annotated[float, typer.Option(help="share of deliberately dirty values "
                                                   "(bad check characters, date forms, "
                                                   "full-width codes, duplicates)")] = 0.005,
    fmt: FormatOption = OutputFormat.table,
) -> None:
    """Write a realistic synthetic Hangzhou credit graph as loader input files, plus
    answers.json listing the planted cases and the dirty rows. Same arguments, same bytes."""
    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise CreditGraphError(f"--as-of {as_of!r} is not a date (YYYY-MM-DD)") from None
    start = time.perf_counter()
    try:
        answers = generate(out, enterprises, seed_value, day, dirty_rate)
    except ValueError as exc:
        raise CreditGraphError(str(exc)) from None
    seconds = time.perf_counter() - start
    if fmt is OutputFormat.json:
        print_json({"out": str(out), "seconds": round(seconds, 2), "rows": answers["rows"],
                    "cases": [c["case"] for c in answers["cases"]]})
        return
    print_rows([{"file": k, "rows": n} for k, n in answers["rows"].items()], ["file", "rows"],
               fmt, title=f"seed · {enterprises:,} enterprises · {seconds:.1f} s")
    if fmt is OutputFormat.table:
        console.print(f"planted cases: {', '.join(c['case'] for c in answers['cases'])}")
        console.print(f"answers: {out / 'answers.json'}")
