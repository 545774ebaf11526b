// id: RES-17
// title: Alert rule without a route
// severity: warning
// area: error-handling
// tags: [alerting, operations]
// rationale: >
//   An alert that notifies nobody is only a dashboard colour: the condition it watches (a
//   dead-letter queue filling up, an error rate rising) goes unnoticed until users complain.
//   Google's SRE book and Well-Architected REL06 expect every alert to reach someone who can
//   act, through a pager, chat or ticket route. An alert policy without a route (absent or
//   blank) is the violation; the owning team's on_call is not assumed, because the blueprint
//   cannot tell whether the alerting system is wired to it.
// remediation: >
//   Set route on the alert policy (e.g. pagerduty://payments-oncall, or the owning team's
//   on_call), matching its severity.
// references:
//   - https://sre.google/sre-book/monitoring-distributed-systems/
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel06-bp03.html
//   - https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
MATCH (a:Policy {kind: 'alert'})
WHERE trim(coalesce(a.route, '')) = ''
OPTIONAL MATCH (a)-[:APPLIES_TO]->(target:Element)
WITH a, target
ORDER BY target.id
WITH a, collect(target.id) AS applies_to
RETURN a.id AS element,
       [] AS related,
       'alert ' + a.id + ' on ' + a.metric +
       CASE WHEN size(applies_to) > 0
            THEN ' of ' + reduce(s = head(applies_to), t IN tail(applies_to) | s + ', ' + t)
            ELSE '' END +
       ' has no route: when it fires, nobody is told' AS message,
       {metric: a.metric, severity: a.severity, applies_to: applies_to} AS details
ORDER BY element
