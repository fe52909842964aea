package dev.chaperone.server.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resolver the upstream {@code HttpClient} connects through: it resolves a host once, refuses it when
 * any of its addresses is not on the public internet, and hands the client exactly the addresses it
 * checked, so that a second lookup (DNS rebinding) can never swap a checked address for another.
 *
 * <p>A host is refused, with an {@link AddressDeniedException} carrying the reason code, when any address
 * it resolves to
 * <ul>
 *   <li>is one of the proxy's own listeners (reason {@code proxy_listener}), whatever is allowed;</li>
 *   <li>is not {@link AddressCategory#PUBLIC public} and lies in no network of
 *       {@code chaperone.upstream.allow-private} (reason: its {@link AddressCategory#reason() category});</li>
 *   <li>is unresolved, which would make the client look it up again (reason {@code unresolved}).</li>
 * </ul>
 * An answer that mixes public and private addresses is refused as a whole: the client could connect to
 * any of them. IP literals take the same path as names, because the delegate returns them as they are.
 *
 * <p>Thread-safe; {@link #resolve} may be called concurrently.
 */
public final class AddressGuard implements SocketAddressResolver {

    /** The reason code for an address that is one of the proxy's own listeners. */
    public static final String PROXY_LISTENER = "proxy_listener";

    /** The reason code for an answer without a resolved address. */
    public static final String UNRESOLVED = "unresolved";

    private static final Logger LOG = LoggerFactory.getLogger(AddressGuard.class);

    private final SocketAddressResolver delegate;
    private final List<Cidr> allowPrivate;
    private final Supplier<Listeners> listeners;

    /**
     * A guard for a proxy whose listeners are already bound.
     *
     * @param delegate the resolver that turns names into addresses (the hosts file, then DNS)
     * @param allowPrivate the networks that may be reached although they are not public
     * @param ownListeners the proxy's own bound listeners (proxy and admin); a listener on a wildcard
     *     address stands for that port on every address of this machine
     * @throws IllegalArgumentException when a listener has no resolved address or port 0 (not bound yet)
     */
    public AddressGuard(SocketAddressResolver delegate, Collection<Cidr> allowPrivate,
            Collection<InetSocketAddress> ownListeners) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.allowPrivate = List.copyOf(allowPrivate);
        Listeners fixed = Listeners.of(ownListeners, true);
        this.listeners = () -> fixed;
    }

    /**
     * A guard for a proxy whose listeners are bound after the guard is made (the upstream client usually
     * starts before the connectors, and port 0 is only known once bound). {@code ownListeners} is asked on
     * every lookup; a listener that is not bound yet accepts nothing and is skipped.
     *
     * @param delegate the resolver that turns names into addresses (the hosts file, then DNS)
     * @param allowPrivate the networks that may be reached although they are not public
     * @param ownListeners gives the proxy's own listeners (proxy and admin) as currently bound
     */
    public AddressGuard(SocketAddressResolver delegate, Collection<Cidr> allowPrivate,
            Supplier<? extends Collection<InetSocketAddress>> ownListeners) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.allowPrivate = List.copyOf(allowPrivate);
        Objects.requireNonNull(ownListeners, "ownListeners");
        this.listeners = () -> Listeners.of(ownListeners.get(), false);
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(promise, "promise");
        AtomicBoolean answered = new AtomicBoolean();
        delegate.resolve(host, port, context, new Promise<>() {
            @Override
            public void succeeded(List<InetSocketAddress> addresses) {
                // A delegate that answers twice must not get a second, unchecked say.
                if (answered.compareAndSet(false, true)) {
                    admit(host, addresses, promise);
                }
            }

            @Override
            public void failed(Throwable failure) {
                if (answered.compareAndSet(false, true)) {
                    promise.failed(failure);
                }
            }
        });
    }

    private void admit(String host, List<InetSocketAddress> addresses, Promise<List<InetSocketAddress>> promise) {
        if (addresses == null || addresses.isEmpty()) {
            promise.failed(new UnknownHostException(host + " resolves to no address"));
            return;
        }
        List<InetSocketAddress> checked = List.copyOf(addresses);
        Listeners own = listeners.get();
        for (InetSocketAddress address : checked) {
            String refusal = refusal(address, own);
            if (refusal != null) {
                LOG.debug("refused {}: it resolves to {} ({}) among {}", host, address, refusal, checked);
                promise.failed(new AddressDeniedException(host, refusal));
                return;
            }
        }
        promise.succeeded(checked);
    }

    /** Why the client must not connect to {@code address}, or {@code null} when it may. */
    private String refusal(InetSocketAddress address, Listeners own) {
        if (address.isUnresolved()) {
            return UNRESOLVED;
        }
        InetAddress ip = address.getAddress();
        if (own.contains(unmapped(ip), address.getPort())) {
            return PROXY_LISTENER;
        }
        AddressCategory category = AddressClassifier.classify(ip);
        if (category.isPublic()) {
            return null;
        }
        for (Cidr network : allowPrivate) {
            if (network.contains(ip)) {
                return null;
            }
        }
        return category.reason();
    }

    /**
     * Whether {@code ip} reaches this machine: any loopback address, or an address of one of its interfaces
     * as they are now (interfaces come and go, so they are looked up on each call; this happens only for
     * upstreams on a listener's port). Fails closed when the interfaces cannot be read.
     */
    private static boolean isAddressOfThisMachine(InetAddress ip) {
        if (ip.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(ip) != null;
        } catch (SocketException e) {
            LOG.debug("cannot read the network interfaces; treating {} as this machine: {}", ip, e.toString());
            return true;
        }
    }

    /** The IPv4 address for an IPv4-mapped IPv6 address, which sockets connect to as that IPv4 address. */
    private static InetAddress unmapped(InetAddress ip) {
        if (!(ip instanceof Inet6Address)) {
            return ip;
        }
        byte[] bytes = ip.getAddress();
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return ip;
            }
        }
        if (bytes[10] != (byte) 0xff || bytes[11] != (byte) 0xff) {
            return ip;
        }
        try {
            return InetAddress.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]});
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    /** The proxy's own listeners, in the shape the check needs. */
    private record Listeners(Set<InetSocketAddress> bound, Set<Integer> wildcardPorts, Set<Integer> ports) {

        static Listeners of(Collection<InetSocketAddress> listeners, boolean mustBeBound) {
            Set<InetSocketAddress> bound = new HashSet<>();
            Set<Integer> wildcardPorts = new HashSet<>();
            Set<Integer> ports = new HashSet<>();
            for (InetSocketAddress listener : listeners) {
                if (listener.isUnresolved() || listener.getPort() <= 0) {
                    if (mustBeBound) {
                        throw new IllegalArgumentException("a listener must be bound to an address and a port: "
                                + listener);
                    }
                    continue;
                }
                ports.add(listener.getPort());
                if (listener.getAddress().isAnyLocalAddress()) {
                    wildcardPorts.add(listener.getPort());
                } else {
                    bound.add(new InetSocketAddress(unmapped(listener.getAddress()), listener.getPort()));
                }
            }
            return new Listeners(Set.copyOf(bound), Set.copyOf(wildcardPorts), Set.copyOf(ports));
        }

        /** Whether connecting to {@code ip} (already unmapped) on {@code port} reaches one of these listeners. */
        boolean contains(InetAddress ip, int port) {
            if (!ports.contains(port)) {
                return false;
            }
            if (ip.isAnyLocalAddress()) {
                // Connecting to 0.0.0.0 or :: reaches this machine.
                return true;
            }
            if (bound.contains(new InetSocketAddress(ip, port))) {
                return true;
            }
            return wildcardPorts.contains(port) && isAddressOfThisMachine(ip);
        }
    }
}
