"""The HTTP API: the Starlette app `integraph serve` runs, and its GraphQL schema."""
