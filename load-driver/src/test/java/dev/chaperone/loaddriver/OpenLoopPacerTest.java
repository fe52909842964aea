package dev.chaperone.loaddriver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class OpenLoopPacerTest {
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong();
    private final List<Long> parks = new ArrayList<>();

    /** A parker that lets exactly the requested time pass on the fake clock. */
    private OpenLoopPacer pacer(double rate, long start) {
        return new OpenLoopPacer(rate, start, now::get, nanos -> {
            parks.add(nanos);
            now.addAndGet(nanos);
        });
    }

    @Test
    void spacesRequestsEvenlyFromTheStart() {
        OpenLoopPacer pacer = pacer(4, 1_000);

        assertThat(pacer.intendedStartNanos(0)).isEqualTo(1_000);
        assertThat(pacer.intendedStartNanos(1)).isEqualTo(1_000 + SECOND / 4);
        assertThat(pacer.intendedStartNanos(7)).isEqualTo(1_000 + 7 * SECOND / 4);
    }

    @Test
    void doesNotDriftWhenTheRateDoesNotDivideASecond() {
        OpenLoopPacer pacer = pacer(3, 0);

        assertThat(pacer.intendedStartNanos(3)).isEqualTo(SECOND);
        assertThat(pacer.intendedStartNanos(3 * 3_600)).isEqualTo(3_600 * SECOND);
    }

    @Test
    void waitsUntilEachRequestIsDue() {
        OpenLoopPacer pacer = pacer(10, 500);

        long first = pacer.awaitSlot(0);
        long second = pacer.awaitSlot(1);

        assertThat(first).isEqualTo(500);
        assertThat(second).isEqualTo(500 + SECOND / 10);
        assertThat(now.get()).isEqualTo(second);
        assertThat(parks).containsExactly(500L, SECOND / 10);
    }

    @Test
    void keepsWaitingWhenTheParkerReturnsEarly() {
        OpenLoopPacer pacer = new OpenLoopPacer(1, SECOND, now::get, nanos -> now.addAndGet(Math.min(nanos, 1_000)));

        assertThat(pacer.awaitSlot(0)).isEqualTo(SECOND);
        assertThat(now.get()).isEqualTo(SECOND);
    }

    @Test
    void sendsLateRequestsAtOnceButKeepsTheirDueTime() {
        OpenLoopPacer pacer = pacer(100, 0);
        now.set(5 * SECOND);

        long due = pacer.awaitSlot(42);

        // The caller measures from the due time, so the 4.58 s the sender was late count as latency.
        assertThat(due).isEqualTo(42 * SECOND / 100);
        assertThat(parks).isEmpty();
        assertThat(now.get()).isEqualTo(5 * SECOND);
    }

    @Test
    void countsTheRequestsDueBeforeAnEnd() {
        OpenLoopPacer pacer = pacer(3, 10);

        assertThat(pacer.requestsDueBefore(10)).isZero();
        assertThat(pacer.requestsDueBefore(11)).isEqualTo(1);
        assertThat(pacer.requestsDueBefore(10 + SECOND)).isEqualTo(3);
        assertThat(pacer.requestsDueBefore(11 + SECOND)).isEqualTo(4);
    }

    @Test
    void rejectsARateThatIsNotPositive() {
        assertThatThrownBy(() -> pacer(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pacer(Double.NaN, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
