package dev.chaperone.server.upstream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostsFileResolverTest {

    private final List<String> askedDns = new ArrayList<>();
    private final SocketAddressResolver dns = (host, port, context, promise) -> {
        askedDns.add(host);
        promise.succeeded(List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
    };

    @Test
    void parsesNamesAddressesAndComments() throws IOException {
        Map<String, List<InetAddress>> entries = HostsFileResolver.parse(List.of(
                "# test names",
                "127.0.0.1 api.example.test Other.Example.Test.  # trailing comment",
                "",
                "::1 api.example.test"), "hosts");

        assertThat(entries).containsOnlyKeys("api.example.test", "other.example.test");
        assertThat(entries.get("api.example.test")).extracting(InetAddress::getHostAddress)
                .containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1");
    }

    @Test
    void refusesLinesThatAreNotAnAddressFollowedByNames() {
        assertThatThrownBy(() -> HostsFileResolver.parse(List.of("127.0.0.1"), "hosts"))
                .isInstanceOf(IOException.class).hasMessageContaining("line 1");
        assertThatThrownBy(() -> HostsFileResolver.parse(List.of("not-an-address api.example.test"), "hosts"))
                .isInstanceOf(IOException.class).hasMessageContaining("is not an IP address");
        assertThatThrownBy(() -> HostsFileResolver.parse(List.of("127.1 api.example.test"), "hosts"))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> HostsFileResolver.parse(List.of("127.0.0.1 bad_name"), "hosts"))
                .isInstanceOf(IOException.class).hasMessageContaining("line 1");
    }

    @Test
    void answersListedNamesWithoutAskingDns() throws Exception {
        HostsFileResolver resolver = new HostsFileResolver(
                HostsFileResolver.parse(List.of("192.0.2.7 api.example.test"), "hosts"), dns);

        List<InetSocketAddress> addresses = resolve(resolver, "API.example.test", 8443);

        assertThat(addresses).containsExactly(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 8443));
        assertThat(askedDns).isEmpty();
    }

    @Test
    void keepsTheNameOnResolvedAddressesSoTlsVerifiesTheName() throws Exception {
        HostsFileResolver resolver = new HostsFileResolver(
                HostsFileResolver.parse(List.of("192.0.2.7 api.example.test"), "hosts"), dns);

        List<InetSocketAddress> addresses = resolve(resolver, "api.example.test", 443);

        assertThat(addresses).singleElement().satisfies(address -> {
            assertThat(address.getHostString()).isEqualTo("api.example.test");
            assertThat(address.getAddress().getHostAddress()).isEqualTo("192.0.2.7");
        });
    }

    @Test
    void asksDnsForNamesThatAreNotListed() throws Exception {
        HostsFileResolver resolver = new HostsFileResolver(
                HostsFileResolver.parse(List.of("192.0.2.7 api.example.test"), "hosts"), dns);

        resolve(resolver, "elsewhere.example.test", 443);

        assertThat(askedDns).containsExactly("elsewhere.example.test");
    }

    private static List<InetSocketAddress> resolve(SocketAddressResolver resolver, String host, int port)
            throws Exception {
        CompletableFuture<List<InetSocketAddress>> result = new CompletableFuture<>();
        resolver.resolve(host, port, Map.of(), Promise.from(result::complete, result::completeExceptionally));
        return result.get();
    }
}
