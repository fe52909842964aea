package dev.chaperone.server.proxy;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.TestFilters;
import dev.chaperone.server.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;

/** Stopping the proxy refuses new connections but lets a request that is already running finish. */
class GracefulShutdownIT {

    @TempDir
    Path workDir;

    @Test
    void requestInFlightWhenStoppingStillGetsItsAnswer() throws Exception {
        CountDownLatch upstreamReached = new CountDownLatch(1);
        CountDownLatch answerNow = new CountDownLatch(1);
        Handler slow = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                upstreamReached.countDown();
                answerNow.await(20, TimeUnit.SECONDS);
                response.write(true, StandardCharsets.UTF_8.encode("finished"), callback);
                return true;
            }
        };
        try (ProxyFixture proxy = ProxyFixture.start(workDir);
                TestUpstream upstream = TestUpstream.start(proxy.upstreamCertificates(), slow)) {
            ProxyFixture.Credentials box = proxy.register("graceful", TestFilters.allowAll());
            HttpClient client = proxy.jdkClient(box, HttpClient.Version.HTTP_1_1);
            CompletableFuture<HttpResponse<String>> answer = client.sendAsync(HttpRequest.newBuilder(
                    URI.create("https://api.example.test:" + upstream.port() + "/slow")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(upstreamReached.await(20, TimeUnit.SECONDS)).isTrue();

            int port = proxy.port();
            CompletableFuture<Void> stopped = CompletableFuture.runAsync(GracefulShutdownIT.stopping(proxy));
            boolean refusesNewConnections = awaitRefused(port);
            answerNow.countDown();
            HttpResponse<String> response = answer.get(20, TimeUnit.SECONDS);
            stopped.get(20, TimeUnit.SECONDS);

            assertThat(refusesNewConnections).isTrue();
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("finished");
        }
    }

    /** Whether the listener stops accepting connections within ten seconds. */
    private static boolean awaitRefused(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try {
                new Socket("127.0.0.1", port).close();
            } catch (IOException e) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private static Runnable stopping(ProxyFixture proxy) {
        return () -> {
            try {
                proxy.server().stop();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
