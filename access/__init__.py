"""Who may come in and what they did: dashboard users and roles, API keys, the sealed audit log.

Not graph matters, so not in ``graph/``; every face (CLI, dashboard, API) and service that acts
for a person records it here.
"""
