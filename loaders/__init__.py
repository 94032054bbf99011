"""Registry exports (CSV / XLSX) into the graph: reading, validation, entity resolution, batched
writes through graph.store. (Issue: identifiers and loaders.)"""
