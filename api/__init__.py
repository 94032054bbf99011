"""The credit-check service (信用核查接口): FastAPI routers over the query and propagation
services, for departmental systems (docs/api.md). ``creditgraph serve`` runs it."""
