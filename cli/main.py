"""``creditgraph``: the command line of CreditGraph 信用图谱."""

from creditgraph.cli import (  # noqa: F401  (importing registers the commands)
    alert_commands,
    api_keys_commands,
    case_commands,
    codes_commands,
    load_commands,
    propagation_commands,
    publish_commands,
    query_commands,
    seed_commands,
    serve_commands,
    store_commands,
    users_commands,
)
from creditgraph.cli.app import app


def main() -> None:
    app()


if __name__ == "__main__":
    main()
