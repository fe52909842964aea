package dev.chaperone.server.proxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chaperone.server.testing.Curl;
import dev.chaperone.server.testing.ProxyFixture;
import dev.chaperone.server.testing.RawH2;
import dev.chaperone.server.testing.TestFilters;
import dev.chaperone.server.testing.TestUpstream;

import static org.assertj.core.api.Assertions.assertThat;

/** The protocol towards an upstream that offers both h2 and HTTP/1.1 follows the client's. */
class UpstreamProtocolIT {

    @TempDir
    static Path workDir;

    static ProxyFixture proxy;
    static TestUpstream upstream;

    @BeforeAll
    static void start() throws Exception {
        proxy = ProxyFixture.start(workDir);
        upstream = TestUpstream.start(proxy.upstreamCertificates(), new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String version = request.getConnectionMetaData().getHttpVersion().asString();
                if (Request.getPathInContext(request).startsWith("/two-writes")) {
                    // The body in one write and the end of the response in another, as a streaming server
                    // would send it, with the length announced first.
                    byte[] body = version.getBytes(StandardCharsets.UTF_8);
                    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                    response.write(false, ByteBuffer.wrap(body), Callback.from(
                            () -> response.write(true, BufferUtil.EMPTY_BUFFER, callback), callback::failed));
                    return true;
                }
                response.write(true, StandardCharsets.UTF_8.encode(version), callback);
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
    void http11ClientIsForwardedOverHttp11() throws Exception {
        ProxyFixture.Credentials box = proxy.register("protocol-h1", TestFilters.allowAll());

        Curl.Result result = proxy.curl(box, "--http1.1", url("/h1"));

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).isEqualTo("HTTP/1.1");
    }

    @Test
    void http2ClientIsForwardedOverHttp2() throws Exception {
        ProxyFixture.Credentials box = proxy.register("protocol-h2", TestFilters.allowAll());

        Curl.Result result = proxy.curl(box, "--http2", url("/h2"));

        assertThat(result.status()).isEqualTo(200);
        assertThat(result.body()).isEqualTo("HTTP/2.0");
    }

    @Test
    void http2ResponseEndsOnItsLastDataFrame() throws Exception {
        ProxyFixture.Credentials box = proxy.register("protocol-h2-frames", TestFilters.allowAll());
        String authority = "api.example.test:" + upstream.port();
        // Ended by the upstream's last DATA frame, and by its Content-Length when the upstream ends the stream
        // with an empty frame of its own.
        for (String path : new String[] {"/one-write", "/two-writes"}) {
            try (RawH2 h2 = RawH2.open(proxy.port(), authority, "api.example.test", box,
                    proxy.clientSslContext())) {
                h2.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1,
                        RawH2.requestHeaders("GET", authority, path));
                h2.flush();
                List<RawH2.Frame> data = new ArrayList<>();
                RawH2.Frame end = h2.awaitFrame(frame -> {
                    if (frame.streamId() != 1) {
                        return false;
                    }
                    if (frame.type() == RawH2.DATA) {
                        data.add(frame);
                    }
                    return (frame.flags() & RawH2.END_STREAM) != 0 || frame.type() == RawH2.RST_STREAM;
                });

                assertThat(end).as(path).isNotNull();
                assertThat(end.type()).as(path).isEqualTo(RawH2.DATA);
                // One frame carries the body and ends the stream: no empty frame after it, which would cost
                // the proxy a second write per response.
                assertThat(data).as(path).hasSize(1);
                assertThat(end.length()).as(path).isEqualTo("HTTP/2.0".length());
            }
        }
    }

    @Test
    void eachJdkClientVersionKeepsItsOwnProtocolUpstream() throws Exception {
        ProxyFixture.Credentials box = proxy.register("protocol-jdk", TestFilters.allowAll());
        for (HttpClient.Version version : new HttpClient.Version[] {HttpClient.Version.HTTP_2,
                HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2}) {
            HttpClient client = proxy.jdkClient(box, version);

            HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url("/jdk"))).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(version == HttpClient.Version.HTTP_2 ? "HTTP/2.0" : "HTTP/1.1");
        }
    }
}
