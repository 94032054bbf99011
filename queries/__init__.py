"""Investigation queries: one ``.cypher`` file per question (``library.py`` reads them) and a thin
typed Python function each, returning a pandas DataFrame. Global algorithms (linked parties,
ownership products) run in Python over subgraphs the store returns, the same on both backends."""
