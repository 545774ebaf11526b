"""The GraphQL schema: element types derived from the model, loaders, queries, mutations."""
