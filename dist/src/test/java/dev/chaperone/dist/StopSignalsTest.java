package dev.chaperone.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import sun.misc.Signal;

import org.junit.jupiter.api.Test;

/** Raises a real SIGTERM in the test JVM, with the handler installed, and puts the JVM's own back after. */
class StopSignalsTest {

    @Test
    void turnsSigtermIntoAStopRequestInsteadOfAnExit() throws InterruptedException {
        CountDownLatch stopRequested = new CountDownLatch(1);
        try (StopSignals signals = StopSignals.install(stopRequested::countDown)) {
            assertThat(signals.handlesTerm()).isTrue();

            Signal.raise(new Signal("TERM"));

            assertThat(stopRequested.await(30, TimeUnit.SECONDS)).isTrue();
        }
    }
}
