package dev.chaperone.server.net;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressGuardTest {

    private static final int HTTPS = 443;

    @Test
    void passesOnExactlyThePublicAddressesItWasGiven() throws Exception {
        ScriptedResolver dns = new ScriptedResolver().thenAnswer("93.184.216.34", "2606:2800:220:1::1");
        AddressGuard guard = new AddressGuard(dns, List.of(), List.of());

        List<InetSocketAddress> addresses = resolve(guard, "example.com", HTTPS);

        assertThat(addresses).containsExactly(
                new InetSocketAddress(IpLiterals.address("93.184.216.34"), HTTPS),
                new InetSocketAddress(IpLiterals.address("2606:2800:220:1::1"), HTTPS));
        assertThat(dns.lookups()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource({
        "10.0.0.5, private",
        "192.168.1.1, private",
        "127.0.0.1, loopback",
        "169.254.169.254, link_local",
        "100.64.1.1, cgnat",
        "0.0.0.0, unspecified",
        "::1, loopback",
        "fd00:ec2::254, private",
        "fe80::1, link_local",
        "::ffff:127.0.0.1, loopback",
        "::ffff:169.254.169.254, link_local",
        "64:ff9b::a9fe:a9fe, link_local",
        "2002:a00:1::, private",
        "224.0.0.251, multicast",
        "255.255.255.255, broadcast",
    })
    void refusesANameThatResolvesToANonPublicAddress(String literal, String reason) {
        AddressGuard guard = new AddressGuard(new ScriptedResolver().thenAnswer(literal), List.of(), List.of());

        assertThat(refusal(guard, "internal.example", HTTPS)).isEqualTo(reason);
    }

    @Test
    void refusesAMixedAnswerAsAWhole() {
        AddressGuard privateLast = new AddressGuard(
                new ScriptedResolver().thenAnswer("93.184.216.34", "8.8.8.8", "10.0.0.1"), List.of(), List.of());
        AddressGuard privateFirst = new AddressGuard(
                new ScriptedResolver().thenAnswer("::1", "2606:2800:220:1::1"), List.of(), List.of());

        assertThat(refusal(privateLast, "mixed.example", HTTPS)).isEqualTo("private");
        assertThat(refusal(privateFirst, "mixed.example", HTTPS)).isEqualTo("loopback");
    }

    @Test
    void asksOnceAndHandsOnTheCheckedAnswerWhenTheNameRebindsToLoopback() throws Exception {
        // TTL 0: the first lookup answers a public address, every later one 127.0.0.1.
        ScriptedResolver dns = new ScriptedResolver().thenAnswer("93.184.216.34").thenAnswer("127.0.0.1");
        AddressGuard guard = new AddressGuard(dns, List.of(), List.of());

        List<InetSocketAddress> first = resolve(guard, "rebind.example", HTTPS);

        assertThat(dns.lookups()).isEqualTo(1);
        assertThat(first).extracting(InetSocketAddress::getAddress)
                .containsExactly(IpLiterals.address("93.184.216.34"));
        assertThat(refusal(guard, "rebind.example", HTTPS)).isEqualTo("loopback");
        assertThat(dns.lookups()).isEqualTo(2);
    }

    @Test
    void ignoresASecondAnswerFromTheSameLookup() throws Exception {
        ScriptedResolver dns = new ScriptedResolver().answeringTwice()
                .thenAnswer("93.184.216.34").thenAnswer("169.254.169.254");
        AddressGuard guard = new AddressGuard(dns, List.of(), List.of());
        CompletableFuture<List<InetSocketAddress>> answer = new CompletableFuture<>();
        int[] answers = new int[1];

        guard.resolve("twice.example", HTTPS, Map.of(), new Promise<>() {
            @Override
            public void succeeded(List<InetSocketAddress> addresses) {
                answers[0]++;
                answer.complete(addresses);
            }

            @Override
            public void failed(Throwable failure) {
                answers[0]++;
                answer.completeExceptionally(failure);
            }
        });

        assertThat(answer.get()).extracting(InetSocketAddress::getAddress)
                .containsExactly(IpLiterals.address("93.184.216.34"));
        assertThat(answers[0]).isEqualTo(1);
    }

    @Test
    void letsThroughPrivateAddressesOnlyInsideAnAllowedNetwork() throws Exception {
        List<Cidr> allowed = Cidr.parseList("10.0.0.0/8, fd00::/8");

        assertThat(resolve(new AddressGuard(new ScriptedResolver().thenAnswer("10.1.2.3", "fd00::7"), allowed,
                List.of()), "api.internal", HTTPS)).hasSize(2);
        assertThat(refusal(new AddressGuard(new ScriptedResolver().thenAnswer("10.1.2.3", "192.168.0.1"), allowed,
                List.of()), "api.internal", HTTPS)).isEqualTo("private");
        assertThat(refusal(new AddressGuard(new ScriptedResolver().thenAnswer("169.254.169.254"), allowed,
                List.of()), "api.internal", HTTPS)).isEqualTo("link_local");
    }

    @Test
    void letsAnAllowedIpv4NetworkCoverTheIpv4MappedFormOnly() throws Exception {
        List<Cidr> allowed = Cidr.parseList("127.0.0.0/8");

        assertThat(resolve(new AddressGuard(new ScriptedResolver().thenAnswer("::ffff:127.0.0.1"), allowed,
                List.of()), "local.test", 8080)).hasSize(1);
        assertThat(refusal(new AddressGuard(new ScriptedResolver().thenAnswer("64:ff9b::7f00:1"), allowed,
                List.of()), "local.test", 8080)).isEqualTo("loopback");
    }

    @Test
    void neverLetsThroughTheProxysOwnListenerEvenWhenItsNetworkIsAllowed() throws Exception {
        InetSocketAddress proxy = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 3128);
        List<Cidr> everything = Cidr.parseList("0.0.0.0/0, ::/0");
        AddressGuard guard = new AddressGuard(new ScriptedResolver()
                .thenAnswer("127.0.0.1").thenAnswer("::ffff:127.0.0.1").thenAnswer("0.0.0.0").thenAnswer("::")
                .thenAnswer("127.0.0.1").thenAnswer("127.0.0.2"),
                everything, List.of(proxy));

        assertThat(refusal(guard, "loop.example", 3128)).isEqualTo(AddressGuard.PROXY_LISTENER);
        assertThat(refusal(guard, "loop.example", 3128)).isEqualTo(AddressGuard.PROXY_LISTENER);
        assertThat(refusal(guard, "loop.example", 3128)).isEqualTo(AddressGuard.PROXY_LISTENER);
        assertThat(refusal(guard, "loop.example", 3128)).isEqualTo(AddressGuard.PROXY_LISTENER);
        assertThat(resolve(guard, "loop.example", 3129)).hasSize(1);
        // 127.0.0.2 does not reach a listener bound to 127.0.0.1 only.
        assertThat(resolve(guard, "loop.example", 3128)).hasSize(1);
    }

    @Test
    void readsListenersThatAreBoundAfterTheGuardWasMade() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        AtomicReference<List<InetSocketAddress>> listeners =
                new AtomicReference<>(List.of(new InetSocketAddress(loopback, 0)));
        ScriptedResolver dns = new ScriptedResolver().thenAnswer("127.0.0.1").thenAnswer("127.0.0.1");
        AddressGuard guard = new AddressGuard(dns, Cidr.parseList("127.0.0.0/8"), listeners::get);

        assertThat(resolve(guard, "loop.example", 3128)).hasSize(1);
        listeners.set(List.of(new InetSocketAddress(loopback, 3128)));
        assertThat(refusal(guard, "loop.example", 3128)).isEqualTo(AddressGuard.PROXY_LISTENER);
    }

    @Test
    void treatsEveryAddressOfThisMachineAsTheListenerWhenItBindsAWildcard() throws Exception {
        InetSocketAddress admin = new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 3129);
        List<String> local = Collections.list(NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(NetworkInterface::inetAddresses)
                .map(address -> address.getHostAddress().replaceAll("%.*", ""))
                .toList();
        assertThat(local).isNotEmpty();

        for (String address : List.of(local.get(0), local.get(local.size() - 1), "127.3.4.5", "::1")) {
            AddressGuard guard = new AddressGuard(new ScriptedResolver().thenAnswer(address).thenAnswer(address),
                    Cidr.parseList("0.0.0.0/0, ::/0"), List.of(admin));
            assertThat(refusal(guard, "self.example", 3129)).as(address).isEqualTo(AddressGuard.PROXY_LISTENER);
            assertThat(resolve(guard, "self.example", 3130)).as(address).hasSize(1);
        }
    }

    @Test
    void checksIpLiteralsLikeNames() {
        AddressGuard guard = new AddressGuard(new SocketAddressResolver.Sync(), List.of(), List.of());

        assertThat(refusal(guard, "127.0.0.1", HTTPS)).isEqualTo("loopback");
        assertThat(refusal(guard, "[::1]", HTTPS)).isEqualTo("loopback");
        assertThat(refusal(guard, "::1", HTTPS)).isEqualTo("loopback");
        assertThat(refusal(guard, "169.254.169.254", HTTPS)).isEqualTo("link_local");
        assertThat(refusal(guard, "[::ffff:10.0.0.1]", HTTPS)).isEqualTo("private");
        // The JDK reads the legacy short form 127.1 as 127.0.0.1; whatever it reads, the address is judged.
        assertThat(refusal(guard, "127.1", HTTPS)).isEqualTo("loopback");
    }

    @Test
    void passesOnTheDelegatesFailureUnchanged() {
        AddressGuard guard = new AddressGuard(new ScriptedResolver().thenAnswer(), List.of(), List.of());

        assertThatThrownBy(() -> resolve(guard, "nxdomain.example", HTTPS))
                .hasCauseInstanceOf(UnknownHostException.class)
                .cause().isNotInstanceOf(AddressDeniedException.class);
    }

    @Test
    void refusesAnUnresolvedAddressRatherThanLetTheClientLookItUpAgain() {
        SocketAddressResolver lazy = (host, port, context, promise) ->
                promise.succeeded(List.of(InetSocketAddress.createUnresolved(host, port)));
        AddressGuard guard = new AddressGuard(lazy, List.of(), List.of());

        assertThat(refusal(guard, "lazy.example", HTTPS)).isEqualTo(AddressGuard.UNRESOLVED);
    }

    @Test
    void refusesAnEmptyAnswer() {
        SocketAddressResolver empty = (host, port, context, promise) -> promise.succeeded(List.of());
        AddressGuard guard = new AddressGuard(empty, List.of(), List.of());

        assertThatThrownBy(() -> resolve(guard, "empty.example", HTTPS))
                .hasCauseInstanceOf(UnknownHostException.class);
    }

    @Test
    void refusesAListenerThatIsNotBoundYet() throws Exception {
        InetSocketAddress unbound = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);

        assertThatThrownBy(() -> new AddressGuard(new ScriptedResolver(), List.of(), List.of(unbound)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<InetSocketAddress> resolve(AddressGuard guard, String host, int port)
            throws ExecutionException, InterruptedException {
        CompletableFuture<List<InetSocketAddress>> answer = new CompletableFuture<>();
        guard.resolve(host, port, Map.of(), Promise.from(answer));
        return answer.get();
    }

    /** The reason code the guard refused with; fails the test when it did not refuse. */
    private static String refusal(AddressGuard guard, String host, int port) {
        CompletableFuture<List<InetSocketAddress>> answer = new CompletableFuture<>();
        guard.resolve(host, port, Map.of(), Promise.from(answer));
        Throwable failure = answer.handle((addresses, error) -> error).join();
        assertThat(failure).as("refusal of %s", host).isInstanceOf(AddressDeniedException.class)
                .hasMessageContaining(host);
        return ((AddressDeniedException) failure).reason();
    }
}
