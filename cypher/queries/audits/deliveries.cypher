// The alert delivery attempts of a run, in order, as one value.
MATCH (d:AlertDelivery {run: $run})
WITH d ORDER BY d.started, d.webhook, d.attempt
RETURN collect(properties(d)) AS deliveries
