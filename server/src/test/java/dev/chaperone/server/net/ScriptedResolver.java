package dev.chaperone.server.net;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * A resolver whose answers a test writes in advance, one per lookup, like a DNS server with a TTL of 0
 * that can change its answer between two lookups. Counts the lookups. Public so that tests of the whole
 * proxy can put it behind the address guard to simulate names resolving to private, mixed or rebinding
 * answers.
 */
public final class ScriptedResolver implements SocketAddressResolver {

    private final Deque<List<String>> answers = new ArrayDeque<>();
    private final Map<String, Deque<List<String>>> answersByName = new HashMap<>();
    private final List<String> names = new CopyOnWriteArrayList<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private boolean answerTwice;

    /** Queues the answer for the next lookup: IP literals, in order. An empty answer means "no such host". */
    public synchronized ScriptedResolver thenAnswer(String... literals) {
        answers.addLast(List.of(literals));
        return this;
    }

    /**
     * Queues an answer for lookups of {@code host} only, which take precedence over the shared queue; the
     * last answer queued for a name is repeated for every later lookup of it.
     */
    public synchronized ScriptedResolver answer(String host, String... literals) {
        answersByName.computeIfAbsent(host, name -> new ArrayDeque<>()).addLast(List.of(literals));
        return this;
    }

    /** Every name looked up so far, in order, repeated as often as it was asked. */
    public List<String> names() {
        return List.copyOf(names);
    }

    /** Makes every lookup answer once with its scripted answer and again with the next one. */
    public synchronized ScriptedResolver answeringTwice() {
        answerTwice = true;
        return this;
    }

    /** How many lookups were made so far. */
    public int lookups() {
        return lookups.get();
    }

    @Override
    public synchronized void resolve(String host, int port, Map<String, Object> context,
            Promise<List<InetSocketAddress>> promise) {
        lookups.incrementAndGet();
        names.add(host);
        Deque<List<String>> byName = answersByName.get(host);
        if (byName != null) {
            deliver(host, port, byName.size() > 1 ? byName.pollFirst() : byName.peekFirst(), promise);
            return;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (answers.isEmpty() && isLiteral(bare)) {
            // Like a real resolver: an address needs no lookup and stands for itself.
            deliver(host, port, List.of(bare), promise);
            return;
        }
        answer(host, port, promise);
        if (answerTwice) {
            answer(host, port, promise);
        }
    }

    /** Decided by the spelling alone, so that a name never reaches the JDK's resolver. */
    private static boolean isLiteral(String host) {
        return host.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}") || host.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");
    }

    private void answer(String host, int port, Promise<List<InetSocketAddress>> promise) {
        deliver(host, port, answers.pollFirst(), promise);
    }

    private static void deliver(String host, int port, List<String> answer, Promise<List<InetSocketAddress>> promise) {
        if (answer == null || answer.isEmpty()) {
            promise.failed(new UnknownHostException(host));
            return;
        }
        List<InetSocketAddress> addresses = new ArrayList<>();
        for (String literal : answer) {
            addresses.add(new InetSocketAddress(IpLiterals.address(literal), port));
        }
        promise.succeeded(addresses);
    }
}
