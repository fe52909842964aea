package dev.chaperone.server.proxy;

import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chaperone.server.audit.ExchangeRecord;
import dev.chaperone.server.audit.ProxyListener;

/**
 * Every {@link ProxyListener} of the server, called so that one that breaks its contract by throwing
 * cannot break an exchange.
 */
public final class ProxyListeners {

    private static final Logger LOG = LoggerFactory.getLogger(ProxyListeners.class);

    private final List<ProxyListener> listeners;

    public ProxyListeners(List<ProxyListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    /** The listeners, for components that call them directly. */
    public List<ProxyListener> all() {
        return listeners;
    }

    void exchange(ExchangeRecord record) {
        each(listener -> listener.onExchange(record));
    }

    void clientConnection(int delta) {
        each(listener -> listener.onClientConnection(delta));
    }

    void tlsHandshake(boolean success) {
        each(listener -> listener.onTlsHandshake(success));
    }

    private void each(Consumer<ProxyListener> call) {
        for (ProxyListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("proxy listener {} failed: {}", listener.getClass().getName(), e.toString());
            }
        }
    }
}
