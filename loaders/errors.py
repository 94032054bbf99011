"""Load errors. A structural problem stops the load before anything is written."""

from creditgraph.graph.errors import CreditGraphError


class StructuralError(CreditGraphError):
    """A file that cannot be loaded at all: unreadable, unknown encoding, missing columns."""
