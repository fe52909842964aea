package dev.chaperone.server.proxy;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;

/**
 * Counts client sockets rather than connection objects: a tunnel replaces the socket's HTTP connection by
 * a TLS one, which must count neither as a close nor as a new client.
 */
final class ClientConnectionCounter implements Connection.Listener {

    private final ProxyListeners listeners;
    private final Set<EndPoint> open = ConcurrentHashMap.newKeySet();

    ClientConnectionCounter(ProxyListeners listeners) {
        this.listeners = listeners;
    }

    @Override
    public void onOpened(Connection connection) {
        if (open.add(connection.getEndPoint())) {
            listeners.clientConnection(1);
        }
    }

    @Override
    public void onClosed(Connection connection) {
        EndPoint endPoint = connection.getEndPoint();
        if (!endPoint.isOpen() && open.remove(endPoint)) {
            listeners.clientConnection(-1);
        }
    }
}
