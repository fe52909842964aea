package dev.chaperone.server.proxy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;

/**
 * Counts client sockets rather than connection objects: a tunnel replaces the socket's HTTP connection by
 * a TLS one, which must count neither as a close nor as a new client. A new socket starts its
 * {@link HeaderReadDeadline}; a closed one is no longer counted for its instance.
 */
final class ClientConnectionCounter implements Connection.Listener {

    private final ProxyListeners listeners;
    private final InstanceConnections instanceConnections;
    private final HeaderReadDeadline headerDeadline;
    private final Set<EndPoint> open = ConcurrentHashMap.newKeySet();

    ClientConnectionCounter(ProxyListeners listeners, InstanceConnections instanceConnections,
            HeaderReadDeadline headerDeadline) {
        this.listeners = listeners;
        this.instanceConnections = instanceConnections;
        this.headerDeadline = headerDeadline;
    }

    @Override
    public void onOpened(Connection connection) {
        if (open.add(connection.getEndPoint())) {
            headerDeadline.arm(connection.getEndPoint());
            listeners.clientConnection(1);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        EndPoint endPoint = connection.getEndPoint();
        if (!endPoint.isOpen() && open.remove(endPoint)) {
            headerDeadline.disarm(endPoint);
            instanceConnections.release(endPoint);
            listeners.clientConnection(-1);
        }
    }
}
