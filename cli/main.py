"""``creditgraph``: the command line of CreditGraph 信用图谱."""

from cli import codes_commands, load_commands, store_commands  # noqa: F401  (register commands)
from cli.app import app


def main() -> None:
    app()


if __name__ == "__main__":
    main()
