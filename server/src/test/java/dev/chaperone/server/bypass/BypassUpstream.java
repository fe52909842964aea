package dev.chaperone.server.bypass;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import dev.chaperone.server.testing.TestCertificates;
import dev.chaperone.server.testing.TestUpstream;

/**
 * The upstream behind the proxy in the bypass suite: HTTP and HTTPS on loopback, recording every request
 * whose head arrived and, separately, every request whose body was read completely, so that a test can say
 * "nothing arrived" or "exactly one well-formed request arrived". Paths under {@code /redirect} answer 302
 * to {@code Location} given in the query, {@code /echo} answers with the request's headers as text.
 */
final class BypassUpstream implements AutoCloseable {

    /**
     * A request as the upstream saw it once its whole body had been read; {@code authority} is its
     * {@code Host} header or, over HTTP/2, its {@code :authority}.
     */
    record Received(String method, String authority, String uri, Map<String, List<String>> headers, String body) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final Server server;
    private final ServerConnector plain;
    private final ServerConnector secure;
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final List<Received> completed = new CopyOnWriteArrayList<>();

    private BypassUpstream(Server server, ServerConnector plain, ServerConnector secure) {
        this.server = server;
        this.plain = plain;
        this.secure = secure;
    }

    static BypassUpstream start(TestCertificates certificates) throws Exception {
        Server server = new Server();
        ServerConnector secure = TestUpstream.httpsConnector(server, certificates);
        ServerConnector plain = new ServerConnector(server, new HttpConnectionFactory(new HttpConfiguration()));
        plain.setHost("127.0.0.1");
        plain.setPort(0);
        server.addConnector(plain);
        server.addConnector(secure);
        BypassUpstream upstream = new BypassUpstream(server, plain, secure);
        server.setHandler(upstream.new Recorder());
        server.start();
        return upstream;
    }

    int httpPort() {
        return plain.getLocalPort();
    }

    int httpsPort() {
        return secure.getLocalPort();
    }

    /** Requests whose head arrived, complete or not. */
    int started() {
        return started.get();
    }

    List<Received> completed() {
        return List.copyOf(completed);
    }

    /**
     * Waits for a request head that may still be on its way after the proxy cut its exchange off (up to a
     * second), then for every request being handled to end, so that a late arrival is not counted in the
     * next test. Only settles state; asserts nothing.
     */
    void settleAfterCutOff() throws InterruptedException {
        for (int i = 0; i < 100 && started.get() == 0; i++) {
            Thread.sleep(10);
        }
        for (int i = 0; i < 500 && inFlight.get() > 0; i++) {
            Thread.sleep(10);
        }
    }

    void reset() {
        started.set(0);
        completed.clear();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private final class Recorder extends Handler.Abstract {

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            started.incrementAndGet();
            inFlight.incrementAndGet();
            try {
                return respond(request, response, callback);
            } finally {
                inFlight.decrementAndGet();
            }
        }

        private boolean respond(Request request, Response response, Callback callback) throws Exception {
            String body = Content.Source.asString(request, StandardCharsets.ISO_8859_1);
            Map<String, List<String>> headers = new ConcurrentHashMap<>();
            for (HttpField field : request.getHeaders()) {
                headers.computeIfAbsent(field.getLowerCaseName(), name -> new CopyOnWriteArrayList<>())
                        .add(field.getValue());
            }
            String uri = request.getHttpURI().getPathQuery();
            String authority = request.getHttpURI().getHost() + ":" + request.getHttpURI().getPort();
            completed.add(new Received(request.getMethod(), authority, uri, headers, body));
            String path = request.getHttpURI().getPath();
            if (path.startsWith("/redirect")) {
                response.setStatus(302);
                response.getHeaders().put(HttpHeader.LOCATION, request.getHttpURI().getQuery());
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0);
                callback.succeeded();
                return true;
            }
            StringBuilder text = new StringBuilder("ok\n");
            if (path.startsWith("/echo")) {
                request.getHeaders().forEach(field -> text.append(field.getName()).append(": ")
                        .append(field.getValue()).append('\n'));
            }
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
            Content.Sink.write(response, true, text.toString(), callback);
            return true;
        }
    }
}
