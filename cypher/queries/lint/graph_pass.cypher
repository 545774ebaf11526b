// One pass over the graph: every element and every relationship leaving it read once. The
// floor of a lint over a whole landscape (benchmarks/bench_lint.py).
MATCH (n:Element)
OPTIONAL MATCH (n)-[r]->()
RETURN count(DISTINCT n) AS elements, count(r) AS relationships
