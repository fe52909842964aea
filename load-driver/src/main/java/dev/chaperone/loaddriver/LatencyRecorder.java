package dev.chaperone.loaddriver;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Collects the outcome of every request of a run, counting only those that were due inside the measurement
 * window, and their latency from the time they were due (not from when they were actually sent) to completion.
 *
 * <p>Safe to call from any number of threads at once.
 */
final class LatencyRecorder {
    /** Latencies above this are recorded as this: a run in which requests wait ten minutes is broken anyway. */
    static final long HIGHEST_TRACKABLE_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final long measureFromNanos;
    private final long measureUntilNanos;
    private final Recorder recorder = new Recorder(HIGHEST_TRACKABLE_NANOS, 3);
    private final LongAdder measured = new LongAdder();
    private final LongAdder measuredErrors = new LongAdder();
    private final LongAdder completed = new LongAdder();
    private final AtomicReference<String> firstError = new AtomicReference<>();

    /** Requests due in {@code [measureFromNanos, measureUntilNanos)} are measured; the others only counted. */
    LatencyRecorder(long measureFromNanos, long measureUntilNanos) {
        if (measureUntilNanos < measureFromNanos) {
            throw new IllegalArgumentException("the measurement window ends before it starts");
        }
        this.measureFromNanos = measureFromNanos;
        this.measureUntilNanos = measureUntilNanos;
    }

    /** Whether a request due at {@code intendedStartNanos} falls into the measurement window. */
    boolean isMeasured(long intendedStartNanos) {
        return intendedStartNanos >= measureFromNanos && intendedStartNanos < measureUntilNanos;
    }

    /** Records a request that was answered with the expected status. */
    void recordSuccess(long intendedStartNanos, long completedNanos) {
        completed.increment();
        if (isMeasured(intendedStartNanos)) {
            measured.increment();
            long latency = Math.max(0, completedNanos - intendedStartNanos);
            recorder.recordValue(Math.min(latency, HIGHEST_TRACKABLE_NANOS));
        }
    }

    /** Records a request that failed or got an unexpected status; its latency is left out of the histogram. */
    void recordError(long intendedStartNanos, String description) {
        Objects.requireNonNull(description, "description");
        completed.increment();
        firstError.compareAndSet(null, description);
        if (isMeasured(intendedStartNanos)) {
            measured.increment();
            measuredErrors.increment();
        }
    }

    /** Requests completed so far, measured or not: the denominator for resources spent over the whole run. */
    long completed() {
        return completed.sum();
    }

    /** What was measured so far; the histogram is handed over, so call this once, at the end of the run. */
    Snapshot snapshot() {
        return new Snapshot(recorder.getIntervalHistogram(), measured.sum(), measuredErrors.sum(), completed.sum(),
                firstError.get());
    }

    /**
     * The figures of a run.
     *
     * @param latencyNanos latency of the measured successful requests, in nanoseconds
     * @param requests measured requests, successful or not
     * @param errors measured requests that failed
     * @param completed all completed requests, warm-up included
     * @param firstError the first failure seen, or {@code null}
     */
    record Snapshot(Histogram latencyNanos, long requests, long errors, long completed, String firstError) {
        Snapshot {
            Objects.requireNonNull(latencyNanos, "latencyNanos");
        }

        /** The latency at {@code percentile} (0 to 100) in microseconds; 0 when nothing succeeded. */
        double percentileMicros(double percentile) {
            return latencyNanos.getTotalCount() == 0 ? 0 : latencyNanos.getValueAtPercentile(percentile) / 1_000.0;
        }
    }
}
