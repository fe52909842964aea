package dev.chaperone.server.proxy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chaperone.server.testing.Curl;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.TestFilters;
import dev.chaperone.server.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two idle timeouts towards upstreams: a pooled HTTP/1.1 connection that no exchange is using is closed after the
 * short pool idle timeout, while an exchange may wait for a silent upstream for the much longer upstream idle
 * timeout, over HTTP/1.1 and HTTP/2 (whose connections keep that longer timeout even when idle).
 */
class UpstreamPoolIdleIT {

    private static final Duration POOL_IDLE = Duration.ofMillis(1500);
    private static final Duration EXCHANGE_IDLE = Duration.ofSeconds(6);
    /** Longer than the pool idle timeout, well inside the exchange idle timeout. */
    private static final long SILENCE_MILLIS = 3000;

    @TempDir
    static Path workDir;

    static ProxyFixture proxy;
    static TestUpstream upstream;

    @BeforeAll
    static void start() throws Exception {
        proxy = ProxyFixture.start(workDir, settings -> settings
                .withUpstreamTimeouts(Duration.ofSeconds(5), EXCHANGE_IDLE)
                .withUpstreamPoolIdleTimeout(POOL_IDLE), UnaryOperator.identity());
        upstream = TestUpstream.start(proxy.upstreamCertificates(), new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String version = request.getConnectionMetaData().getHttpVersion().asString();
                Runnable answer = () -> response.write(true, StandardCharsets.UTF_8.encode(version), callback);
                if (Request.getPathInContext(request).startsWith("/silent")) {
                    request.getComponents().getScheduler().schedule(answer, SILENCE_MILLIS, TimeUnit.MILLISECONDS);
                } else {
                    answer.run();
                }
                return true;
            }
        });
    }

    @AfterAll
    static void stop() {
        upstream.close();
        proxy.close();
    }

    private String url(String path) {
        return "https://api.example.test:" + upstream.port() + path;
    }

    @Test
    void exchangeOutlastsThePoolIdleTimeoutOverHttp11AndHttp2() throws Exception {
        ProxyFixture.Credentials box = proxy.register("pool-silent", TestFilters.allowAll());

        Curl.Result h1 = proxy.curl(box, "--http1.1", url("/silent-h1"));
        Curl.Result h2 = proxy.curl(box, "--http2", url("/silent-h2"));

        assertThat(h1.status()).isEqualTo(200);
        assertThat(h1.body()).isEqualTo("HTTP/1.1");
        assertThat(h2.status()).isEqualTo(200);
        assertThat(h2.body()).isEqualTo("HTTP/2.0");
    }

    @Test
    void idleHttp11UpstreamConnectionsCloseAfterThePoolIdleTimeout() throws Exception {
        ProxyFixture.Credentials box = proxy.register("pool-idle", TestFilters.allowAll());
        // Whatever another test left open closes within the exchange idle timeout.
        awaitOpenUpstreamConnections(0, EXCHANGE_IDLE.plusSeconds(5));

        Curl.Result h1 = proxy.curl(box, "--http1.1", url("/h1"));
        assertThat(h1.status()).isEqualTo(200);
        // Kept for reuse after the exchange, then closed by the proxy well before the exchange idle timeout.
        assertThat(upstream.openConnections()).isEqualTo(1);
        awaitOpenUpstreamConnections(0, EXCHANGE_IDLE.dividedBy(2));
    }

    private static void awaitOpenUpstreamConnections(int expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (upstream.openConnections() != expected && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(upstream.openConnections()).as("open upstream connections").isEqualTo(expected);
    }
}
