"""The domain core: graph schema, settings, the store interface and its two backends.

Knows nothing of files, pages or queries (see ../shared/ARCHITECTURE.md).
"""
