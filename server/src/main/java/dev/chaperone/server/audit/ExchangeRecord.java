package dev.chaperone.server.audit;

import java.time.Duration;
import java.time.Instant;

/**
 * What happened to one request or refused tunnel, as the audit log and the metrics record it. Holds no
 * header value and no query string, so that nothing a filter injected and no credential can leak through it.
 *
 * @param time when the request (or CONNECT) arrived
 * @param instanceId the instance, or {@code null} when the client could not be identified
 * @param requestId the id also given to the client
 * @param kind {@code request} for a request, {@code connect} for a tunnel refused before any request
 * @param method the request method ({@code CONNECT} for a tunnel)
 * @param scheme {@code https} or {@code http}
 * @param host the canonical target host, or {@code null} when it could not be parsed
 * @param port the target port, or 0
 * @param path the normalised path without the query string, or {@code null} for a tunnel
 * @param decision {@code forwarded}, {@code denied} (a filter or the default refused), {@code answered} (a
 *     filter answered with another status), {@code unauthenticated}, {@code rejected} (malformed or over a
 *     limit), {@code failed} (a filter threw, or the upstream failed)
 * @param filter the plugin name of the filter that decided, or {@code null}
 * @param reason the reason code of the decision ({@code host_not_allowed}), or {@code null} when forwarded
 * @param rule the rule that matched, as the operator wrote it, or {@code null}
 * @param status the status the client got, or 0 when none was sent
 * @param bytesUp request body bytes sent upstream
 * @param bytesDown response body bytes sent to the client
 * @param duration from arrival to the end of the exchange
 * @param upstreamAddress the address connected to ({@code 203.0.113.7:443}), or {@code null}
 * @param protocol {@code HTTP/1.1} or {@code HTTP/2} as spoken by the client
 */
public record ExchangeRecord(
        Instant time,
        String instanceId,
        String requestId,
        String kind,
        String method,
        String scheme,
        String host,
        int port,
        String path,
        String decision,
        String filter,
        String reason,
        String rule,
        int status,
        long bytesUp,
        long bytesDown,
        Duration duration,
        String upstreamAddress,
        String protocol) {
}
