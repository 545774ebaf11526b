# The Integraph service image, for `docker compose up` (Neo4j runs in its own container).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY service ./service
COPY cypher ./cypher
COPY seed ./seed
COPY embedded-neo4j/pom.xml ./embedded-neo4j/pom.xml
RUN pip install --no-cache-dir -c constraints.txt ".[fast]"
ENTRYPOINT ["integraph"]
CMD ["up"]
