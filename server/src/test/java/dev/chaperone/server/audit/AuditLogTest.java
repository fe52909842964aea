package dev.chaperone.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

class AuditLogTest {

    private static final Set<String> EXCHANGE_FIELDS = Set.of("time", "instance", "request_id", "method", "scheme",
            "host", "port", "path", "decision", "filter", "reason", "rule", "status", "bytes_up", "bytes_down",
            "duration_ms", "upstream", "protocol");

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @TempDir
    Path logs;

    @Test
    void writesOneJsonLinePerExchangeWithItsFields() throws IOException {
        try (AuditLog audit = new AuditLog(logs, 1024 * 1024, 3)) {
            audit.onExchange(exchange("req-1", "/v1/charges"));
            audit.onExchange(denied("req-2"));
        }

        List<JsonNode> lines = lines(logs.resolve("audit.log"));
        assertThat(lines).hasSize(2);
        JsonNode forwarded = lines.get(0);
        assertThat(fieldNames(forwarded)).isEqualTo(EXCHANGE_FIELDS);
        assertThat(forwarded.get("time").asText()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(forwarded.get("instance").asText()).isEqualTo("sandbox-1");
        assertThat(forwarded.get("request_id").asText()).isEqualTo("req-1");
        assertThat(forwarded.get("method").asText()).isEqualTo("POST");
        assertThat(forwarded.get("scheme").asText()).isEqualTo("https");
        assertThat(forwarded.get("host").asText()).isEqualTo("api.stripe.com");
        assertThat(forwarded.get("port").asInt()).isEqualTo(443);
        assertThat(forwarded.get("path").asText()).isEqualTo("/v1/charges");
        assertThat(forwarded.get("decision").asText()).isEqualTo("forwarded");
        assertThat(forwarded.get("filter").asText()).isEqualTo("allowlist");
        assertThat(forwarded.get("reason").isNull()).isTrue();
        assertThat(forwarded.get("rule").asText()).isEqualTo("api.stripe.com");
        assertThat(forwarded.get("status").asInt()).isEqualTo(200);
        assertThat(forwarded.get("bytes_up").asLong()).isEqualTo(120);
        assertThat(forwarded.get("bytes_down").asLong()).isEqualTo(4096);
        assertThat(forwarded.get("duration_ms").asLong()).isEqualTo(42);
        assertThat(forwarded.get("upstream").asText()).isEqualTo("203.0.113.7:443");
        assertThat(forwarded.get("protocol").asText()).isEqualTo("HTTP/2");

        JsonNode refused = lines.get(1);
        assertThat(fieldNames(refused)).isEqualTo(EXCHANGE_FIELDS);
        assertThat(refused.get("decision").asText()).isEqualTo("denied");
        assertThat(refused.get("reason").asText()).isEqualTo("host_not_allowed");
        assertThat(refused.get("path").isNull()).isTrue();
        assertThat(refused.get("upstream").isNull()).isTrue();
    }

    @Test
    void neverWritesAQueryString() throws IOException {
        try (AuditLog audit = new AuditLog(logs, 1024 * 1024, 3)) {
            audit.onExchange(exchange("req-1", "/v1/items?api_key=secret-value"));
        }

        String text = Files.readString(logs.resolve("audit.log"));
        assertThat(text).doesNotContain("secret-value");
        assertThat(lines(logs.resolve("audit.log")).get(0).get("path").asText()).isEqualTo("/v1/items");
    }

    @Test
    void recordsAdminChangesByFieldNameOnly() throws IOException {
        try (AuditLog audit = new AuditLog(logs, 1024 * 1024, 3)) {
            audit.adminChange("admin-token", "secret.put", "sandbox-1", List.of("stripe"));
        }

        JsonNode line = lines(logs.resolve("audit.log")).get(0);
        assertThat(fieldNames(line)).isEqualTo(Set.of("time", "event", "actor", "action", "instance", "fields"));
        assertThat(line.get("event").asText()).isEqualTo("admin");
        assertThat(line.get("actor").asText()).isEqualTo("admin-token");
        assertThat(line.get("action").asText()).isEqualTo("secret.put");
        assertThat(line.get("instance").asText()).isEqualTo("sandbox-1");
        assertThat(line.get("fields").toString()).isEqualTo("[\"stripe\"]");
    }

    @Test
    void rotatesAtTheSizeAndKeepsTheConfiguredNumberOfFiles() throws IOException {
        long maxFileSize = Files.size(writeOne(logs.resolve("probe"))) * 3;

        try (AuditLog audit = new AuditLog(logs, maxFileSize, 2)) {
            for (int i = 0; i < 10; i++) {
                audit.onExchange(exchange("req-" + i, "/v1/charges"));
            }
        }

        assertThat(logs.resolve("audit.log.1")).exists();
        assertThat(logs.resolve("audit.log.2")).exists();
        assertThat(logs.resolve("audit.log.3")).doesNotExist();
        for (String name : List.of("audit.log", "audit.log.1", "audit.log.2")) {
            assertThat(Files.size(logs.resolve(name))).isLessThanOrEqualTo(maxFileSize);
        }
        assertThat(requestIds(logs.resolve("audit.log"))).containsExactly("req-9");
        assertThat(requestIds(logs.resolve("audit.log.1"))).containsExactly("req-6", "req-7", "req-8");
        assertThat(requestIds(logs.resolve("audit.log.2"))).containsExactly("req-3", "req-4", "req-5");
    }

    @Test
    void appendsToTheFileOfAnEarlierRun() throws IOException {
        try (AuditLog audit = new AuditLog(logs, 1024 * 1024, 3)) {
            audit.onExchange(exchange("req-1", "/"));
        }
        try (AuditLog audit = new AuditLog(logs, 1024 * 1024, 3)) {
            audit.onExchange(exchange("req-2", "/"));
        }

        assertThat(requestIds(logs.resolve("audit.log"))).containsExactly("req-1", "req-2");
    }

    @Test
    void dropsAndCountsEventsInsteadOfBlockingWhenTheQueueIsFull() throws Exception {
        WriterBlockingClock clock = new WriterBlockingClock();
        try (AuditLog audit = new AuditLog(logs, 1024 * 1024, 3, 2, clock)) {
            audit.onExchange(exchange("req-1", "/"));
            awaitContent(logs.resolve("audit.log"), "req-1");
            clock.armed = true;
            assertThat(clock.writerStuck.await(10, TimeUnit.SECONDS)).isTrue();

            for (int i = 2; i <= 5; i++) {
                audit.onExchange(exchange("req-" + i, "/"));
            }

            assertThat(audit.droppedEvents()).isEqualTo(2);
            clock.release.countDown();
        }
        assertThat(requestIds(logs.resolve("audit.log"))).containsExactly("req-1", "req-2", "req-3");
    }

    private static void awaitContent(Path file, String text) throws Exception {
        for (int i = 0; i < 1000 && !Files.readString(file).contains(text); i++) {
            Thread.sleep(10);
        }
    }

    private static Path writeOne(Path directory) throws IOException {
        try (AuditLog audit = new AuditLog(directory, 1024 * 1024, 1)) {
            audit.onExchange(exchange("req-0", "/v1/charges"));
        }
        return directory.resolve("audit.log");
    }

    private static ExchangeRecord exchange(String requestId, String path) {
        return new ExchangeRecord(Instant.parse("2026-01-02T03:04:05Z"), "sandbox-1", requestId, "request", "POST",
                "https", "api.stripe.com", 443, path, "forwarded", "allowlist", null, "api.stripe.com", 200, 120,
                4096, Duration.ofMillis(42), "203.0.113.7:443", "HTTP/2");
    }

    private static ExchangeRecord denied(String requestId) {
        return new ExchangeRecord(Instant.parse("2026-01-02T03:04:06Z"), "sandbox-1", requestId, "connect",
                "CONNECT", "https", "evil.example", 443, null, "denied", "allowlist", "host_not_allowed", null, 403,
                0, 0, Duration.ofMillis(1), null, "HTTP/1.1");
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            lines.add(MAPPER.readTree(line));
        }
        return lines;
    }

    private static List<String> requestIds(Path file) throws IOException {
        return lines(file).stream().map(line -> line.get("request_id").asText()).toList();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new HashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A clock that, once armed, holds the writer thread when it next asks for the time, until released. */
    private static final class WriterBlockingClock extends Clock {

        volatile boolean armed;
        final CountDownLatch writerStuck = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public Instant instant() {
            if (armed && Thread.currentThread().getName().equals("chaperone-audit-writer")) {
                writerStuck.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return Instant.parse("2026-01-02T03:04:05Z");
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
