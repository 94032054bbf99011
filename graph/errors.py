"""Errors the faces (CLI, dashboard) turn into one clear line instead of a traceback."""


class CreditGraphError(Exception):
    """Base of every error a user can act on."""


class SchemaError(CreditGraphError):
    """The schema file, or a name or value checked against it, is wrong."""


class SettingsError(CreditGraphError):
    """A setting (environment variable or option) is missing or malformed."""


class StoreError(CreditGraphError):
    """The store cannot be reached, opened or written."""


class StoreUnavailableError(StoreError):
    """The database cannot be reached right now (network, server down, store locked)."""
