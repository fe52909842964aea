package dev.chaperone.loaddriver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyRecorderTest {
    private static final long MILLI = 1_000_000L;

    @Test
    void measuresLatencyFromTheDueTimeNotFromTheSend() {
        LatencyRecorder recorder = new LatencyRecorder(0, 1_000 * MILLI);

        // Due at 100 ms, actually sent late at 140 ms, answered at 150 ms: the latency is 50 ms, not 10 ms.
        recorder.recordSuccess(100 * MILLI, 150 * MILLI);

        LatencyRecorder.Snapshot snapshot = recorder.snapshot();
        assertThat(snapshot.requests()).isEqualTo(1);
        assertThat(snapshot.percentileMicros(50)).isCloseTo(50_000, within(50.0));
    }

    @Test
    void reportsPercentilesOfTheMeasuredRequests() {
        LatencyRecorder recorder = new LatencyRecorder(0, Long.MAX_VALUE);

        for (int i = 1; i <= 1_000; i++) {
            recorder.recordSuccess(0, i * 1_000L);
        }

        LatencyRecorder.Snapshot snapshot = recorder.snapshot();
        assertThat(snapshot.percentileMicros(50)).isCloseTo(500, within(1.0));
        assertThat(snapshot.percentileMicros(99)).isCloseTo(990, within(1.0));
        assertThat(snapshot.percentileMicros(99.9)).isCloseTo(999, within(1.0));
    }

    @Test
    void leavesRequestsDueOutsideTheWindowOutOfTheFigures() {
        LatencyRecorder recorder = new LatencyRecorder(1_000 * MILLI, 2_000 * MILLI);

        recorder.recordSuccess(999 * MILLI, 1_500 * MILLI);
        recorder.recordSuccess(1_000 * MILLI, 1_001 * MILLI);
        recorder.recordError(2_000 * MILLI, "status 502");

        LatencyRecorder.Snapshot snapshot = recorder.snapshot();
        assertThat(snapshot.requests()).isEqualTo(1);
        assertThat(snapshot.errors()).isZero();
        assertThat(snapshot.completed()).isEqualTo(3);
        assertThat(snapshot.latencyNanos().getMaxValue()).isLessThan(2 * MILLI);
    }

    @Test
    void countsErrorsWithoutTheirLatencyAndKeepsTheFirst() {
        LatencyRecorder recorder = new LatencyRecorder(0, Long.MAX_VALUE);

        recorder.recordSuccess(0, MILLI);
        recorder.recordError(0, "status 407");
        recorder.recordError(0, "ConnectException: refused");

        LatencyRecorder.Snapshot snapshot = recorder.snapshot();
        assertThat(snapshot.requests()).isEqualTo(3);
        assertThat(snapshot.errors()).isEqualTo(2);
        assertThat(snapshot.latencyNanos().getTotalCount()).isEqualTo(1);
        assertThat(snapshot.firstError()).isEqualTo("status 407");
    }

    @Test
    void capsLatenciesBeyondTheTrackableRange() {
        LatencyRecorder recorder = new LatencyRecorder(0, Long.MAX_VALUE);

        recorder.recordSuccess(0, 2 * LatencyRecorder.HIGHEST_TRACKABLE_NANOS);

        assertThat(recorder.snapshot().latencyNanos().getMaxValue())
                .isBetween(LatencyRecorder.HIGHEST_TRACKABLE_NANOS / 2, 2 * LatencyRecorder.HIGHEST_TRACKABLE_NANOS);
    }
}
