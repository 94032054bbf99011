# The dashboard image used by docker-compose.yml: CreditGraph installed as a wheel, run as a
# non-root user, every piece of state (store, keys, users, audit log) in the /data volume.

# -- build the wheel (only what the wheel needs: pyproject's packages plus README.md) ----------
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY graph graph
COPY policy policy
COPY access access
COPY loaders loaders
COPY queries queries
COPY propagation propagation
COPY casefile casefile
COPY dashboard dashboard
COPY seed seed
COPY cli cli
COPY api api
COPY publication publication
COPY alerts alerts
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /dist .

# -- the image: the wheel and its dependencies, no source tree ---------------------------------
FROM python:3.11-slim
COPY --from=build /dist /dist
RUN pip install --no-cache-dir /dist/*.whl \
    && rm -rf /dist \
    && useradd --system --uid 10001 --user-group --home-dir /data --no-create-home creditgraph \
    && mkdir -p /data \
    && chown creditgraph:creditgraph /data
# Secrets come from the environment (CREDITGRAPH_ID_KEY, CREDITGRAPH_AUDIT_KEY, NEO4J_PASSWORD)
# or from the key files below; nothing secret is baked into the image.
ENV CREDITGRAPH_STORE=/data/creditgraph \
    CREDITGRAPH_USERS=/data/users.json \
    CREDITGRAPH_AUDIT_LOG=/data/audit.log \
    CREDITGRAPH_AUDIT_KEY_FILE=/data/audit.key \
    CREDITGRAPH_ID_KEY_FILE=/data/id.key \
    CREDITGRAPH_API_KEYS=/data/api-keys.json \
    CREDITGRAPH_CHECKS=/data/checks \
    HOME=/data \
    PYTHONUNBUFFERED=1
VOLUME /data
WORKDIR /data
USER creditgraph
EXPOSE 8501 8000
# Waits for Neo4j through compose's healthcheck (depends_on: service_healthy), then starts.
# `exec`: the dashboard (which execs Streamlit) replaces the shell, so `docker stop`'s SIGTERM
# reaches Streamlit and the container stops at once instead of after the kill timeout.
CMD ["sh", "-c", "creditgraph init && exec creditgraph dashboard --address 0.0.0.0 --port 8501"]
