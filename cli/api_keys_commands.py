"""``creditgraph api-keys``: the keys of the systems that call the credit-check API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from creditgraph.access import audit
from creditgraph.access.api_keys import ROLES, add_key, keys_file, load_keys, revoke_key
from creditgraph.cli.app import FormatOption, app, handles_errors, settings_of
from creditgraph.cli.output import OutputFormat, console, print_rows
from creditgraph.graph.errors import CreditGraphError
from creditgraph.queries.checks import load_purposes

keys_app = typer.Typer(help="API keys of calling systems (" + ", ".join(ROLES) + "), kept in "
                            "CREDITGRAPH_API_KEYS (default data/api-keys.json) as keyed hashes; "
                            "see docs/api.md.")
app.add_typer(keys_app, name="api-keys")


def _purposes(text: str) -> list[str]:
    known = list(load_purposes())
    if text.strip() == "all":
        return known
    return [p.strip() for p in text.split(",") if p.strip()]


@keys_app.command("add")
@handles_errors
def keys_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="the calling system, e.g. procurement-mall")],
    role: Annotated[str, typer.Option("--role", help=" | ".join(ROLES))] = "viewer",
    purposes: Annotated[str, typer.Option(
        "--purposes", help="comma-separated purposes POST /v1/checks may use, or all "
                           "(default none: checks refused)")] = "",
    expires: Annotated[str | None, typer.Option(
        "--expires", help="last day the key works (YYYY-MM-DD)")] = None,
    rate: Annotated[int | None, typer.Option(
        "--rate", help="requests a minute (default CREDITGRAPH_API_RATE, 600)")] = None,
) -> None:
    """Make a key and print it once: only its keyed hash is kept, so it cannot be shown
    again (revoke and make another if it is lost)."""
    try:
        until = dt.date.fromisoformat(expires) if expires else None
    except ValueError:
        raise CreditGraphError(f"--expires {expires!r}: a date YYYY-MM-DD") from None
    wanted = _purposes(purposes)
    record, text = add_key(
        name, role, settings_of(ctx).id_secret(), purposes=wanted,
        known_purposes=list(load_purposes()), expires=until, rate_per_minute=rate,
        before_save=lambda: audit.append("api-key-add", key=name, role=role, purposes=wanted,
                                         expires=expires))
    console.print(f"added {record.name} ({record.role}; purposes: "
                  f"{', '.join(record.purposes) or 'none'}) to {keys_file()}", highlight=False)
    console.print("the key (shown once; send it as the X-API-Key header):", highlight=False)
    print(text)


@keys_app.command("revoke")
@handles_errors
def keys_revoke(name: Annotated[str, typer.Argument()]) -> None:
    """Revoke a key: refused from the next request on. The record stays (audit trail)."""
    revoke_key(name, before_save=lambda: audit.append("api-key-revoke", key=name))
    console.print(f"revoked {name}", highlight=False)


@keys_app.command("list")
@handles_errors
def keys_list(fmt: FormatOption = OutputFormat.table) -> None:
    """The keys with role, purposes, expiry and revocation (never a key or its hash)."""
    columns = ["name", "role", "purposes", "expires", "created", "revoked", "rate_per_minute"]
    rows = [{**k.public(), "purposes": ",".join(k.purposes)} for k in load_keys().values()]
    print_rows(rows, columns, fmt, title=f"API keys · {keys_file()}")
