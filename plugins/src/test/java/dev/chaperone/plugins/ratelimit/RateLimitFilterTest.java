package dev.chaperone.plugins.ratelimit;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.testing.FakeFilterContext;
import dev.chaperone.spi.testing.FakeFilterRequest;
import dev.chaperone.spi.testing.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitFilterTest {

    private final MutableClock clock = new MutableClock();
    private final InProcessRateLimitStore store = new InProcessRateLimitStore();
    private final RateLimitFilterFactory factory = new RateLimitFilterFactory(store);

    private Filter create(RateLimitConfig config, String instanceId) {
        return factory.create(config, new FakeFilterContext(instanceId, clock));
    }

    private static Decision send(Filter filter, String host) {
        return filter.onRequest(FakeFilterRequest.https(host, "/"));
    }

    @Test
    void letsTheBurstThroughThenAnswers429WithRetryAfter() {
        Filter filter = create(RateLimitConfig.perInstance(2, 3), "sandbox-1");
        for (int i = 0; i < 3; i++) {
            assertThat(send(filter, "api.stripe.com").kind()).isEqualTo(Decision.Kind.PROCEED);
        }
        Decision limited = send(filter, "api.stripe.com");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.error()).isEqualTo("rate_limited");
        assertThat(limited.reason()).isEqualTo("too_many_requests");
        assertThat(limited.headers()).containsEntry("Retry-After", "1");
    }

    @Test
    void refillsAtTheConfiguredRate() {
        Filter filter = create(RateLimitConfig.perInstance(2, 1), "sandbox-1");
        assertThat(send(filter, "a.example").kind()).isEqualTo(Decision.Kind.PROCEED);
        assertThat(send(filter, "a.example").status()).isEqualTo(429);
        clock.advance(Duration.ofMillis(499));
        assertThat(send(filter, "a.example").status()).isEqualTo(429);
        clock.advance(Duration.ofMillis(1));
        assertThat(send(filter, "a.example").kind()).isEqualTo(Decision.Kind.PROCEED);
    }

    @Test
    void roundsRetryAfterUpToWholeSeconds() {
        Filter slow = create(RateLimitConfig.perInstance(0.2, 1), "sandbox-1");
        send(slow, "a.example");
        assertThat(send(slow, "a.example").headers()).containsEntry("Retry-After", "5");
        clock.advance(Duration.ofMillis(1500));
        assertThat(send(slow, "a.example").headers()).containsEntry("Retry-After", "4");
        assertThat(RateLimitFilter.retryAfterSeconds(Duration.ofMillis(1))).isEqualTo(1);
        assertThat(RateLimitFilter.retryAfterSeconds(Duration.ofSeconds(2))).isEqualTo(2);
        assertThat(RateLimitFilter.retryAfterSeconds(Duration.ofNanos(2_000_000_001L))).isEqualTo(3);
    }

    @Test
    void keepsOneBucketPerInstance() {
        Filter first = create(RateLimitConfig.perInstance(1, 1), "sandbox-1");
        Filter second = create(RateLimitConfig.perInstance(1, 1), "sandbox-2");
        assertThat(send(first, "a.example").kind()).isEqualTo(Decision.Kind.PROCEED);
        assertThat(send(first, "b.example").status()).isEqualTo(429);
        assertThat(send(second, "a.example").kind()).isEqualTo(Decision.Kind.PROCEED);
    }

    @Test
    void keepsOneBucketPerHostWhenAsked() {
        Filter filter = create(new RateLimitConfig(1.0, 1, "host", null), "sandbox-1");
        assertThat(send(filter, "a.example").kind()).isEqualTo(Decision.Kind.PROCEED);
        assertThat(send(filter, "b.example").kind()).isEqualTo(Decision.Kind.PROCEED);
        assertThat(send(filter, "a.example").status()).isEqualTo(429);
    }

    @Test
    void keepsBucketsWhenTheChainIsReplaced() {
        Filter before = create(RateLimitConfig.perInstance(1, 2), "sandbox-1");
        send(before, "a.example");
        send(before, "a.example");
        before.close();
        Filter after = create(RateLimitConfig.perInstance(1, 2), "sandbox-1");
        assertThat(send(after, "a.example").status()).isEqualTo(429);
    }

    @Test
    void capsConcurrentRequestsAndReleasesOnCompletion() {
        Filter filter = create(new RateLimitConfig(1000.0, 1000, null, 2), "sandbox-1");
        FakeFilterRequest first = FakeFilterRequest.https("a.example", "/");
        FakeFilterRequest second = FakeFilterRequest.https("a.example", "/");
        assertThat(filter.onRequest(first).kind()).isEqualTo(Decision.Kind.PROCEED);
        assertThat(filter.onRequest(second).kind()).isEqualTo(Decision.Kind.PROCEED);
        Decision third = send(filter, "a.example");
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.reason()).isEqualTo("too_many_concurrent_requests");
        assertThat(third.headers()).containsEntry("Retry-After", "1");

        filter.onComplete(first, 200);
        filter.onComplete(first, 200);
        assertThat(store.permitsTaken("concurrent/sandbox-1")).isEqualTo(1);
        assertThat(send(filter, "a.example").kind()).isEqualTo(Decision.Kind.PROCEED);
    }

    @Test
    void givesThePermitBackWhenTheRateRefuses() {
        Filter filter = create(new RateLimitConfig(1.0, 1, null, 5), "sandbox-1");
        FakeFilterRequest allowed = FakeFilterRequest.https("a.example", "/");
        filter.onRequest(allowed);
        FakeFilterRequest refused = FakeFilterRequest.https("a.example", "/");
        assertThat(filter.onRequest(refused).reason()).isEqualTo("too_many_requests");
        assertThat(store.permitsTaken("concurrent/sandbox-1")).isEqualTo(1);
        filter.onComplete(refused, 429);
        filter.onComplete(allowed, 200);
        assertThat(store.permitsTaken("concurrent/sandbox-1")).isZero();
    }

    @Test
    void forgetsOnlyBucketsThatHaveRefilled() {
        for (int i = 0; i <= 10_000; i++) {
            store.take("host/sandbox-1/h" + i, 1, 1, clock.instant());
        }
        clock.advance(Duration.ofSeconds(2));
        store.take("host/sandbox-1/fresh", 1, 1, clock.instant());
        assertThat(store.bucketCount()).isEqualTo(1);
        assertThat(store.take("host/sandbox-1/fresh", 1, 1, clock.instant()).admitted()).isFalse();
    }

    @Test
    void ignoresAClockThatStepsBack() {
        Filter filter = create(RateLimitConfig.perInstance(1, 1), "sandbox-1");
        send(filter, "a.example");
        clock.advance(Duration.ofSeconds(-10));
        assertThat(send(filter, "a.example").status()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(10));
        assertThat(send(filter, "a.example").status()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        assertThat(send(filter, "a.example").kind()).isEqualTo(Decision.Kind.PROCEED);
    }

    @Test
    void validatesTheConfigNamingTheField() {
        assertThat(new RateLimitConfig(2.5, null, null, null).burst()).isEqualTo(3);
        assertThat(new RateLimitConfig(2.5, null, null, null).per()).isEqualTo("instance");
        assertThatThrownBy(() -> new RateLimitConfig(null, 1, null, null))
                .isInstanceOf(ConfigException.class).hasMessage("requestsPerSecond is required")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("requestsPerSecond");
        assertThatThrownBy(() -> new RateLimitConfig(0.0, 1, null, null))
                .hasMessage("requestsPerSecond must be above 0 and at most 1000000, not 0.0");
        assertThatThrownBy(() -> new RateLimitConfig(Double.NaN, 1, null, null))
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("requestsPerSecond");
        assertThatThrownBy(() -> new RateLimitConfig(1.0, 0, null, null))
                .hasMessage("burst must be from 1 to 1000000000, not 0")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("burst");
        assertThatThrownBy(() -> new RateLimitConfig(1.0, 1, "tenant", null))
                .hasMessage("per must be \"instance\" or \"host\"")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("per");
        assertThatThrownBy(() -> new RateLimitConfig(1.0, 1, null, 0))
                .hasMessage("maxConcurrent must be at least 1, not 0")
                .extracting(e -> ((ConfigException) e).field()).isEqualTo("maxConcurrent");
    }

    @Test
    void describesItself() {
        assertThat(factory.name()).isEqualTo("rate-limit");
        assertThat(factory.configType()).isEqualTo(RateLimitConfig.class);
    }
}
