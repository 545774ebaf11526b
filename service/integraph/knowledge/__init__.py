"""The knowledge base: blueprints loaded into the graph and exported back."""
