"""The Cypher lint: rule files, the engine, waivers, baselines and reports."""
