package dev.chaperone.server.proxy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chaperone.server.testing.Curl;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.RawTunnel;
import dev.chaperone.server.testing.TestFilters;
import dev.chaperone.server.testing.TestUpstream;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** Bodies stream through the proxy in both directions instead of being held. */
class StreamingIT {

    private static final long UPLOAD_BYTES = 100L * 1024 * 1024;

    @TempDir
    static Path workDir;

    static ProxyFixture proxy;
    static TestUpstream upstream;
    static final CountDownLatch releaseSecondEvent = new CountDownLatch(1);
    static final AtomicBoolean clientFinishedSending = new AtomicBoolean();
    static final AtomicBoolean upstreamSawBytesBeforeClientFinished = new AtomicBoolean();

    @BeforeAll
    static void start() throws Exception {
        proxy = ProxyFixture.start(workDir);
        upstream = TestUpstream.start(proxy.upstreamCertificates(), new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (request.getHttpURI().getPath().equals("/events")) {
                    streamEvents(response, callback);
                } else {
                    checksumUpload(request, response, callback);
                }
                return true;
            }
        });
    }

    @AfterAll
    static void stop() {
        releaseSecondEvent.countDown();
        upstream.close();
        proxy.close();
    }

    /** Writes one event, then holds the response open until the test has seen that event. */
    static void streamEvents(Response response, Callback callback) throws Exception {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        try (Blocker.Callback written = Blocker.callback()) {
            response.write(false, StandardCharsets.UTF_8.encode("data: first\n\n"), written);
            written.block();
        }
        if (!releaseSecondEvent.await(30, TimeUnit.SECONDS)) {
            callback.failed(new IllegalStateException("the test never saw the first event"));
            return;
        }
        response.write(true, StandardCharsets.UTF_8.encode("data: second\n\n"), callback);
    }

    static void checksumUpload(Request request, Response response, Callback callback) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        long total = 0;
        try (InputStream in = Content.Source.asInputStream(request)) {
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (total == 0 && read > 0) {
                    upstreamSawBytesBeforeClientFinished.set(!clientFinishedSending.get());
                }
                digest.update(buffer, 0, read);
                total += read;
            }
        }
        String answer = total + " " + HexFormat.of().formatHex(digest.digest());
        response.write(true, StandardCharsets.UTF_8.encode(answer), callback);
    }

    @Test
    void serverSentEventReachesTheClientBeforeTheUpstreamFinishes() throws Exception {
        ProxyFixture.Credentials box = proxy.register("sse", TestFilters.allowAll());
        HttpClient client = proxy.jdkClient(box, HttpClient.Version.HTTP_2);
        HttpRequest request = HttpRequest.newBuilder(
                URI.create("https://sse.example.test:" + upstream.port() + "/events")).build();

        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        String firstLine = CompletableFuture.supplyAsync(() -> readLine(events)).get(20, TimeUnit.SECONDS);
        releaseSecondEvent.countDown();
        StringBuilder rest = new StringBuilder();
        String line;
        while ((line = events.readLine()) != null) {
            rest.append(line).append('\n');
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream");
        assertThat(firstLine).isEqualTo("data: first");
        assertThat(rest.toString()).contains("data: second");
    }

    @Test
    void hundredMegabyteUploadStreamsToTheUpstream() throws Exception {
        ProxyFixture.Credentials box = proxy.register("upload", TestFilters.allowAll());
        HttpClient client = proxy.jdkClient(box, HttpClient.Version.HTTP_1_1);
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("https://upload.example.test:" + upstream.port() + "/upload"))
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(UPLOAD_BYTES, expected)),
                        UPLOAD_BYTES))
                .build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(UPLOAD_BYTES + " " + HexFormat.of().formatHex(expected.digest()));
        assertThat(upstreamSawBytesBeforeClientFinished).isTrue();
    }

    /**
     * A chain that reads whole bodies makes the proxy wait for each client to finish sending. That wait must
     * not take one of the threads that read requests: more stalled uploads than the machine has cores must
     * leave the proxy answering everyone else.
     */
    @Test
    void uploadsStalledMidBodyDoNotHoldUpOtherRequests() throws Exception {
        int stalled = 2 * Runtime.getRuntime().availableProcessors() + 2;
        CountDownLatch headersSeen = new CountDownLatch(stalled);
        ProxyFixture.Credentials box = proxy.register("stalled", new Filter() {
            @Override
            public long bodyLimit(FilterRequest request) {
                headersSeen.countDown();
                return 1024 * 1024;
            }

            @Override
            public Decision onRequest(FilterRequest request) {
                return Decision.allow("*");
            }
        });
        String authority = "api.example.test:" + upstream.port();
        String body = "0123456789".repeat(10);
        List<RawTunnel> uploads = new ArrayList<>();
        try {
            for (int i = 0; i < stalled; i++) {
                RawTunnel tunnel = RawTunnel.connect(proxy.port(), authority, box);
                uploads.add(tunnel);
                assertThat(tunnel.connectReply().status()).isEqualTo(200);
                tunnel.startTls(proxy.clientSslContext(), "api.example.test");
                tunnel.write("POST /upload/" + i + " HTTP/1.1\r\nHost: " + authority + "\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body.substring(0, 10));
            }
            assertThat(headersSeen.await(20, TimeUnit.SECONDS)).isTrue();
            ProxyFixture.Credentials other = proxy.register("unstalled", TestFilters.allowAll());

            Curl.Result quick = proxy.curl(other, "--http1.1", "--max-time", "10", "--data-binary", "quick",
                    "https://other.example.test:" + upstream.port() + "/upload");

            assertThat(quick.status()).isEqualTo(200);
            assertThat(quick.body()).startsWith("5 ");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            String expected = body.length() + " "
                    + HexFormat.of().formatHex(digest.digest(body.getBytes(StandardCharsets.US_ASCII)));
            for (RawTunnel upload : uploads) {
                upload.write(body.substring(10));
                RawTunnel.Reply reply = upload.read(false);
                assertThat(reply.status()).isEqualTo(200);
                assertThat(reply.body()).isEqualTo(expected);
            }
        } finally {
            for (RawTunnel upload : uploads) {
                upload.close();
            }
        }
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A deterministic body of a given length that feeds a digest as it is read and notes when it ends. */
    private static final class PatternStream extends InputStream {
        private final long length;
        private final MessageDigest digest;
        private long position;

        PatternStream(long length, MessageDigest digest) {
            this.length = length;
            this.digest = digest;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int count) {
            if (position >= length) {
                clientFinishedSending.set(true);
                return -1;
            }
            int n = (int) Math.min(count, length - position);
            for (int i = 0; i < n; i++) {
                buffer[offset + i] = (byte) ((position + i) * 31 >>> 3);
            }
            digest.update(ByteBuffer.wrap(buffer, offset, n));
            position += n;
            return n;
        }
    }
}
