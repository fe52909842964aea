package dev.chaperone.server.proxy;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.io.EndPoint;

/**
 * How many client connections each instance holds open, so that one sandbox cannot take every socket of
 * the proxy. A connection counts for the instance of its first tunnel or plain request, until it closes.
 */
final class InstanceConnections {

    private final int limit;
    private final Map<EndPoint, String> owners = new ConcurrentHashMap<>();
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    InstanceConnections(int limit) {
        this.limit = limit;
    }

    /**
     * Counts {@code endPoint} for {@code instanceId} unless it already counts for an instance.
     *
     * @return {@code false} when the instance already holds its limit of connections
     */
    boolean claim(String instanceId, EndPoint endPoint) {
        if (owners.containsKey(endPoint)) {
            return true;
        }
        boolean[] admitted = new boolean[1];
        counts.compute(instanceId, (id, count) -> {
            int current = count == null ? 0 : count;
            admitted[0] = current < limit;
            return admitted[0] ? current + 1 : count;
        });
        if (!admitted[0]) {
            return false;
        }
        owners.put(endPoint, instanceId);
        // The connection may have closed while it was being counted; its close would then have been missed.
        if (!endPoint.isOpen()) {
            release(endPoint);
        }
        return true;
    }

    /** Stops counting a closed connection. */
    void release(EndPoint endPoint) {
        String instanceId = owners.remove(endPoint);
        if (instanceId != null) {
            counts.computeIfPresent(instanceId, (id, count) -> count <= 1 ? null : count - 1);
        }
    }
}
