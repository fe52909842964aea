package dev.chaperone.server.proxy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

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
