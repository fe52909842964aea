package dev.chaperone.loaddriver;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The schedule of an open-loop run: request {@code i} is due at {@code start + i / rate}, whatever happened to
 * the requests before it, so a slow response never delays the next send.
 *
 * <p>Send times are computed from the index rather than accumulated, so a rate that does not divide a second
 * evenly does not drift. When the sender falls behind, {@link #awaitSlot} returns at once and the caller still
 * measures from the time the request was due: that is what keeps coordinated omission out of the figures.
 */
final class OpenLoopPacer {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final double requestsPerSecond;
    private final long startNanos;
    private final LongSupplier clock;
    private final LongConsumer parker;

    /**
     * @param requestsPerSecond the fixed rate, above zero
     * @param startNanos when request 0 is due, on the {@code clock}'s time line
     * @param clock the current time in nanoseconds ({@link System#nanoTime} outside tests)
     * @param parker waits for about the given number of nanoseconds; may return early
     */
    OpenLoopPacer(double requestsPerSecond, long startNanos, LongSupplier clock, LongConsumer parker) {
        if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("requestsPerSecond must be a positive number: " + requestsPerSecond);
        }
        this.requestsPerSecond = requestsPerSecond;
        this.startNanos = startNanos;
        this.clock = clock;
        this.parker = parker;
    }

    /** When request {@code index} is due. */
    long intendedStartNanos(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative: " + index);
        }
        return startNanos + Math.round(index * (NANOS_PER_SECOND / requestsPerSecond));
    }

    /** How many requests are due before {@code endNanos}: the length of a run that ends there. */
    long requestsDueBefore(long endNanos) {
        if (endNanos <= startNanos) {
            return 0;
        }
        long count = (long) Math.ceil((endNanos - startNanos) * requestsPerSecond / NANOS_PER_SECOND);
        // Rounding in either formula must not let the last counted request fall on or after the end.
        while (count > 0 && intendedStartNanos(count - 1) >= endNanos) {
            count--;
        }
        while (intendedStartNanos(count) < endNanos) {
            count++;
        }
        return count;
    }

    /** Waits until request {@code index} is due, or returns at once when it already is; returns its due time. */
    long awaitSlot(long index) {
        long intended = intendedStartNanos(index);
        for (long wait = intended - clock.getAsLong(); wait > 0; wait = intended - clock.getAsLong()) {
            parker.accept(wait);
        }
        return intended;
    }
}
