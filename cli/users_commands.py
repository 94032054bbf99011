"""``creditgraph users``: the dashboard's local users and roles."""

from __future__ import annotations

import sys
from typing import Annotated
from urllib.parse import urlsplit

import typer

from creditgraph.access import audit
from creditgraph.access.users import (
    ROLES,
    add_user,
    load_users,
    remove_user,
    set_role,
    set_webhook,
    users_file,
)
from creditgraph.cli.app import FormatOption, app, handles_errors
from creditgraph.cli.output import OutputFormat, console, print_rows
from creditgraph.graph.errors import CreditGraphError

users_app = typer.Typer(help="Dashboard users and roles (" + ", ".join(ROLES) + "), kept in "
                             "CREDITGRAPH_USERS (default data/users.json) with Argon2 hashes. "
                             "The last admin can be neither removed nor demoted; see "
                             "docs/access.md.")
app.add_typer(users_app, name="users")
RoleOption = Annotated[str, typer.Option("--role", help=" | ".join(ROLES))]


@users_app.command("add")
@handles_errors
def users_add(
    name: Annotated[str, typer.Argument(help="user name (an e-mail for OIDC sign-in)")],
    role: RoleOption = "viewer",
    password_stdin: Annotated[bool, typer.Option(
        "--password-stdin", help="read the password from standard input (for scripts)")] = False,
) -> None:
    """Add a user; the password is asked for twice (never an argument, so never in history)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    # recorded before it is written: a change that cannot be audited is not made
    add_user(name, role, password, before_save=lambda: audit.append("user-add", user=name,
                                                                    role=role))
    console.print(f"added {name} ({role}) to {users_file()}", highlight=False)


@users_app.command("set-role")
@handles_errors
def users_set_role(name: Annotated[str, typer.Argument()], role: RoleOption) -> None:
    """Change a user's role (the last admin cannot be demoted)."""
    set_role(name, role, before_save=lambda: audit.append("user-role", user=name, role=role))
    console.print(f"{name} is now {role}", highlight=False)


@users_app.command("set-webhook")
@handles_errors
def users_set_webhook(name: Annotated[str, typer.Argument()],
                      url: Annotated[str | None, typer.Argument(
                          help="http(s) URL the alerts of NAME's watches are POSTed to")] = None,
                      clear: Annotated[bool, typer.Option("--clear", help="remove it")] = False
                      ) -> None:
    """Where the alerts of the user's watches are POSTed as JSON (docs/alerts.md)."""
    if (url is None) == (not clear):
        raise CreditGraphError("give a URL, or --clear")
    set_webhook(name, None if clear else url, before_save=lambda: audit.append(
        "user-webhook", user=name, host=urlsplit(url).hostname if url else None))
    console.print(f"{name}: webhook {'cleared' if clear else 'set'}", highlight=False)


@users_app.command("remove")
@handles_errors
def users_remove(name: Annotated[str, typer.Argument()]) -> None:
    """Remove a user (never the last admin)."""
    remove_user(name, before_save=lambda: audit.append("user-remove", user=name))
    console.print(f"removed {name}", highlight=False)


@users_app.command("list")
@handles_errors
def users_list(fmt: FormatOption = OutputFormat.table) -> None:
    """The users and their roles (never the hashes)."""
    rows = [{"name": u.name, "role": u.role,  # a webhook URL may carry a token: host only
             "webhook": urlsplit(u.webhook).hostname if u.webhook else None}
            for u in load_users().values()]
    print_rows(rows, ["name", "role", "webhook"], fmt, title=f"users · {users_file()}")
