package dev.chaperone.server.proxy;

import org.eclipse.jetty.io.ByteArrayEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InstanceConnectionsTest {

    private final InstanceConnections connections = new InstanceConnections(2);

    @Test
    void refusesTheConnectionAboveTheLimitOfOneInstanceOnly() {
        assertThat(connections.claim("box", new ByteArrayEndPoint())).isTrue();
        assertThat(connections.claim("box", new ByteArrayEndPoint())).isTrue();

        assertThat(connections.claim("box", new ByteArrayEndPoint())).isFalse();
        assertThat(connections.claim("other", new ByteArrayEndPoint())).isTrue();
    }

    @Test
    void countsAConnectionOnceHoweverManyRequestsItCarries() {
        EndPoint keepAlive = new ByteArrayEndPoint();

        for (int i = 0; i < 5; i++) {
            assertThat(connections.claim("box", keepAlive)).isTrue();
        }
        assertThat(connections.claim("box", new ByteArrayEndPoint())).isTrue();
    }

    @Test
    void givesTheSlotOfAClosedConnectionBack() {
        EndPoint first = new ByteArrayEndPoint();
        connections.claim("box", first);
        connections.claim("box", new ByteArrayEndPoint());

        connections.release(first);

        assertThat(connections.claim("box", new ByteArrayEndPoint())).isTrue();
    }

    @Test
    void doesNotKeepCountingAConnectionThatClosedWhileItWasClaimed() {
        EndPoint closed = new ByteArrayEndPoint();
        closed.close();

        assertThat(connections.claim("box", closed)).isTrue();

        assertThat(connections.claim("box", new ByteArrayEndPoint())).isTrue();
        assertThat(connections.claim("box", new ByteArrayEndPoint())).isTrue();
    }
}
