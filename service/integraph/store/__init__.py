"""The storage layer: the only package that touches the Neo4j driver or the Neo4j process."""
