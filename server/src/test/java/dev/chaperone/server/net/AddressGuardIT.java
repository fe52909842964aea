package dev.chaperone.server.net;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** The address guard in a real Jetty {@link HttpClient}, against a real server on loopback. */
class AddressGuardIT {

    private final AtomicInteger upstreamRequests = new AtomicInteger();
    private Server upstream;
    private int upstreamPort;
    private HttpClient client;

    @BeforeEach
    void startUpstream() throws Exception {
        upstream = new Server();
        ServerConnector connector = new ServerConnector(upstream);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        upstream.addConnector(connector);
        upstream.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                upstreamRequests.incrementAndGet();
                Content.Sink.write(response, true, "hello from upstream", callback);
                return true;
            }
        });
        upstream.start();
        upstreamPort = connector.getLocalPort();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (client != null) {
            client.stop();
        }
        upstream.stop();
    }

    @Test
    void refusesLoopbackUpstreamByDefault() throws Exception {
        startClient(new AddressGuard(new SocketAddressResolver.Sync(), List.of(), List.of()));

        Throwable failure = catchThrowable(() -> get("127.0.0.1"));

        assertThat(failure).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOf(AddressDeniedException.class);
        assertThat(((AddressDeniedException) failure.getCause()).reason()).isEqualTo("loopback");
        assertThat(upstreamRequests).hasValue(0);
    }

    @Test
    void refusesANameThatResolvesToLoopbackByDefault() throws Exception {
        startClient(new AddressGuard(new ScriptedResolver().thenAnswer("127.0.0.1"), List.of(), List.of()));

        Throwable failure = catchThrowable(() -> get("api.example.test"));

        assertThat(failure.getCause()).isInstanceOf(AddressDeniedException.class);
        assertThat(upstreamRequests).hasValue(0);
    }

    @Test
    void reachesLoopbackWhenItIsAllowed() throws Exception {
        startClient(new AddressGuard(new SocketAddressResolver.Sync(), Cidr.parseList("127.0.0.0/8"), List.of()));

        ContentResponse response = get("127.0.0.1");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getContentAsString()).isEqualTo("hello from upstream");
        assertThat(upstreamRequests).hasValue(1);
    }

    @Test
    void connectsToTheCheckedAddressWithoutASecondLookup() throws Exception {
        // TTL 0: after the first answer the name points at the cloud metadata address.
        ScriptedResolver dns = new ScriptedResolver().thenAnswer("127.0.0.1").thenAnswer("169.254.169.254");
        startClient(new AddressGuard(dns, Cidr.parseList("127.0.0.0/8"), List.of()));

        ContentResponse response = get("rebind.example.test");

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(upstreamRequests).hasValue(1);
        assertThat(dns.lookups()).isEqualTo(1);
    }

    @Test
    void refusesTheProxysOwnListenerEvenWhenLoopbackIsAllowed() throws Exception {
        InetSocketAddress ownListener = new InetSocketAddress("127.0.0.1", upstreamPort);
        startClient(new AddressGuard(new SocketAddressResolver.Sync(), Cidr.parseList("127.0.0.0/8"),
                List.of(ownListener)));

        Throwable failure = catchThrowable(() -> get("127.0.0.1"));

        assertThat(failure.getCause()).isInstanceOf(AddressDeniedException.class);
        assertThat(((AddressDeniedException) failure.getCause()).reason()).isEqualTo(AddressGuard.PROXY_LISTENER);
        assertThat(upstreamRequests).hasValue(0);
    }

    private void startClient(AddressGuard guard) throws Exception {
        client = new HttpClient();
        client.setSocketAddressResolver(guard);
        client.start();
    }

    private ContentResponse get(String host) throws Exception {
        return client.newRequest("http://" + host + ":" + upstreamPort + "/")
                .timeout(10, TimeUnit.SECONDS)
                .send();
    }
}
