// id: RES-19
// title: Request-reply without a reply timeout
// severity: error
// area: error-handling
// tags: [timeout, request-reply, messaging]
// rationale: >
//   In request-reply over messaging the requester sends a request and waits for a reply on
//   a reply channel, matched to it by a correlation identifier (Enterprise Integration
//   Patterns: Request-Reply, Correlation Identifier). Nothing guarantees that a reply comes:
//   the request may be dead-lettered, the replier may be down, its reply may expire or go to
//   the wrong address. A requester that waits without a limit holds the pending request, its
//   caller and its memory forever, exactly as a synchronous call without a timeout does
//   (Well-Architected REL05-BP05); client libraries give the wait a limit for this reason
//   (Spring's ReplyingKafkaTemplate defaults to 5 seconds). A flow with a reply (a command or
//   event answered over messaging) must therefore declare its reply timeout_ms; none is the
//   violation.
// remediation: >
//   Give the flow's reply a timeout_ms from the replier's latency (its p99 plus a margin, the
//   broker's delivery time both ways included), and say what the requester does when it
//   expires (fail the request, retry with the same correlation id, or ask for the status).
// references:
//   - https://www.enterpriseintegrationpatterns.com/patterns/messaging/RequestReply.html
//   - https://www.enterpriseintegrationpatterns.com/patterns/messaging/CorrelationIdentifier.html
//   - https://docs.aws.amazon.com/wellarchitected/latest/framework/rel05-bp05.html
//   - https://docs.spring.io/spring-kafka/reference/kafka/sending-messages.html
MATCH (src:System)<-[:FROM]-(f:Flow {has_reply: true})-[:TO]->(dst:System)
// The reply is stored on the flow (graph.py: REPLY_PROPERTIES): `has_reply` marks it, its
// channel is the flow's REPLIES_VIA, in order.
WHERE f.reply_timeout_ms IS NULL
OPTIONAL MATCH (f)-[r:REPLIES_VIA]->(c:Component)
WITH src, f, dst, r, c
ORDER BY f.id, r.position
WITH src, f, dst, [x IN collect(c.id) WHERE x IS NOT NULL] AS channels
RETURN f.id AS element,
       [] AS related,
       'request-reply flow ' + f.id + ' (' + src.id + ' -> ' + dst.id + ') has no reply ' +
       'timeout: ' + src.id + ' waits for ' + dst.id + "'s reply " +
       CASE WHEN size(channels) = 0 THEN 'at the address its request names'
            ELSE 'on ' + reduce(s = head(channels), x IN tail(channels) | s + ', ' + x) END +
       ' without a limit, and a request that is lost, dead-lettered or never answered stays ' +
       'pending forever' AS message,
       {pattern: f.pattern, source: src.id, target: dst.id, reply_via: channels,
        correlation_key: f.reply_correlation_key,
        address_header: f.reply_address_header} AS details
ORDER BY element
