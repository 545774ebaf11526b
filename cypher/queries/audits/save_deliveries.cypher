// Every attempt to deliver a run's alerts, one node each ($attempts: maps of properties).
UNWIND $attempts AS attempt
CREATE (d:AlertDelivery)
SET d = attempt, d.run = $run
RETURN count(d) AS saved
