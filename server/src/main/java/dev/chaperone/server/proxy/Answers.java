package dev.chaperone.server.proxy;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Writes the answers the proxy gives itself instead of an upstream: a status and a short JSON body with
 * {@code error}, {@code reason} and, where known, the deciding {@code filter} and {@code rule}, the
 * {@code host} and the {@code request_id}. Never a stack trace, never a header value.
 */
final class Answers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Answers() {
    }

    /** One answer, its fields as they appear in the JSON body; {@code null} fields are left out. */
    record Answer(int status, String error, String reason, String filter, String rule, String detail,
            Map<String, String> headers) {

        Answer {
            headers = Map.copyOf(headers);
        }

        static Answer of(int status, String error, String reason, String detail) {
            return new Answer(status, error, reason, null, null, detail, Map.of());
        }

        Answer withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Answer(status, error, reason, filter, rule, detail, more);
        }
    }

    /**
     * Answers the client on behalf of an exchange: records the decision, sends the answer, then ends the
     * exchange and completes {@code callback}.
     *
     * @param decision the audit decision word ({@code denied}, {@code rejected}, ...)
     */
    static void finish(Exchange exchange, Response response, Callback callback, Answer answer, String decision) {
        exchange.decide(decision, answer.filter(), answer.reason(), answer.rule());
        Callback finishing = Callback.from(() -> {
            exchange.finish(answer.status());
            callback.succeeded();
        }, failure -> {
            exchange.finish(answer.status());
            callback.failed(failure);
        });
        send(response, finishing, answer, exchange.host, exchange.requestId);
    }

    /** Sends {@code answer} and completes {@code callback} when it has been written. */
    static void send(Response response, Callback callback, Answer answer, String host, String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", answer.error());
        body.put("reason", answer.reason());
        putIfPresent(body, "filter", answer.filter());
        putIfPresent(body, "rule", answer.rule());
        putIfPresent(body, "host", host);
        putIfPresent(body, "detail", answer.detail());
        body.put("request_id", requestId);
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an answer as JSON", e);
        }
        response.setStatus(answer.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        answer.headers().forEach((name, value) -> response.getHeaders().put(name, value));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    private static void putIfPresent(Map<String, Object> body, String name, String value) {
        if (value != null) {
            body.put(name, value);
        }
    }
}
