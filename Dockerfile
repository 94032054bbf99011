# The dashboard image used by docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph graph
COPY loaders loaders
COPY queries queries
COPY dashboard dashboard
COPY seed seed
COPY cli cli
RUN pip install --no-cache-dir .
EXPOSE 8501
# Waits for Neo4j through compose's healthcheck (depends_on: service_healthy), then starts.
CMD ["sh", "-c", "creditgraph init && creditgraph dashboard --address 0.0.0.0 --port 8501"]
