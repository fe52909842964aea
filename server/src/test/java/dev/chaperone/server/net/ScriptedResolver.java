package dev.chaperone.server.net;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
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
    private final AtomicInteger lookups = new AtomicInteger();
    private boolean answerTwice;

    /** Queues the answer for the next lookup: IP literals, in order. An empty answer means "no such host". */
    public synchronized ScriptedResolver thenAnswer(String... literals) {
        answers.addLast(List.of(literals));
        return this;
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
        answer(host, port, promise);
        if (answerTwice) {
            answer(host, port, promise);
        }
    }

    private void answer(String host, int port, Promise<List<InetSocketAddress>> promise) {
        List<String> answer = answers.pollFirst();
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
