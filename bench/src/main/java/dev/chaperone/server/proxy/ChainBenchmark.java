package dev.chaperone.server.proxy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.chaperone.plugins.allowlist.AllowlistFilterFactory;
import dev.chaperone.plugins.denylist.DenylistFilterFactory;
import dev.chaperone.plugins.headerinjection.HeaderInjectionFilterFactory;
import dev.chaperone.plugins.ratelimit.RateLimitFilterFactory;
import dev.chaperone.server.chain.ChainCompiler;
import dev.chaperone.server.chain.ChainEntry;
import dev.chaperone.server.chain.ChainValidationException;
import dev.chaperone.server.chain.CompiledChain;
import dev.chaperone.server.plugin.LoadedPlugin;
import dev.chaperone.server.plugin.PluginRegistry;
import dev.chaperone.server.secret.SecretCipher;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.Headers;
import dev.chaperone.spi.SecretLookup;

/**
 * What one request costs in the chain, from the proxy's view of it to its completion: the server's own
 * {@link FilterRequestView} over typical request headers, then every filter's {@code bodyLimit},
 * {@code onRequest}, {@code onResponse} and {@code onComplete}, as the proxy calls them. The chain is the
 * usual four: an allowlist of 100 hosts, a denylist of 100, header injection of a sealed secret (decrypted
 * per request, as the server's secret lookup does) and a rate limit that admits everything. The empty chain
 * is the baseline, so the difference is what the filters add.
 *
 * <p>The benchmark lives in the proxy's package only to build the server's package-private request view.
 * Run with {@code java -jar bench/target/benchmarks.jar ChainBenchmark}, or
 * {@code java -cp bench/target/benchmarks.jar dev.chaperone.bench.RatioReport} for the ratios.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChainBenchmark {

    private static final String INSTANCE = "sandbox-1";
    private static final String SECRET = "stripe";
    private static final String HOST = "api.bench.test";

    private CompiledChain fourFilters;
    private CompiledChain empty;
    private SecretLookup secrets;
    private FilterResponseView response;
    private long requests;

    @Setup(Level.Trial)
    public void compileChains() throws ChainValidationException {
        PluginRegistry plugins = new PluginRegistry(List.of(
                new LoadedPlugin(new AllowlistFilterFactory(), "built-in"),
                new LoadedPlugin(new DenylistFilterFactory(), "built-in"),
                new LoadedPlugin(new HeaderInjectionFilterFactory(), "built-in"),
                new LoadedPlugin(new RateLimitFilterFactory(), "built-in")));
        ChainCompiler compiler = new ChainCompiler(plugins, name -> Map.of(), Clock.systemUTC());
        fourFilters = compiler.compile(INSTANCE, fourFilterEntries());
        empty = compiler.compile(INSTANCE, List.of());

        byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        SecretCipher cipher = new SecretCipher(key);
        byte[] sealed = cipher.seal(INSTANCE, SECRET, "sk_live_0123456789abcdefghijklmnopqrstuv");
        secrets = name -> SECRET.equals(name) ? Optional.of(cipher.open(INSTANCE, name, sealed)) : Optional.empty();

        Headers responseHeaders = new Headers()
                .add("Content-Type", "application/json")
                .add("Content-Length", "128")
                .add("Date", "Thu, 03 Dec 2026 18:00:00 GMT");
        response = new FilterResponseView(200, responseHeaders);

        Decision decision = runChain(fourFilters);
        if (decision.kind() != Decision.Kind.ALLOW) {
            throw new IllegalStateException("the four-filter chain does not allow the benchmark's request: "
                    + decision.reason());
        }
    }

    private static List<ChainEntry> fourFilterEntries() {
        ObjectMapper mapper = new ObjectMapper();
        List<String> allowed = new ArrayList<>();
        List<String> denied = new ArrayList<>();
        for (int i = 0; i < 98; i++) {
            allowed.add("allowed-" + i + ".example");
            denied.add("denied-" + i + ".example");
        }
        allowed.add(HOST);
        allowed.add("*.bench.test");
        denied.add("169.254.169.254");
        denied.add("*.internal.example");
        return List.of(
                new ChainEntry("denylist", mapper.valueToTree(Map.of("hosts", denied))),
                new ChainEntry("allowlist", mapper.valueToTree(Map.of("hosts", allowed))),
                new ChainEntry("header-injection", mapper.valueToTree(Map.of(
                        "hosts", List.of(HOST),
                        "set", Map.of("Authorization", "Bearer ${secret:" + SECRET + "}")))),
                new ChainEntry("rate-limit", mapper.valueToTree(Map.of(
                        "requestsPerSecond", 1_000_000, "burst", 1_000_000_000, "maxConcurrent", 1_000))));
    }

    @TearDown(Level.Trial)
    public void closeChains() {
        fourFilters.retire();
        empty.retire();
    }

    /** The request head a typical SDK sends, after the proxy has dropped hop-by-hop fields. */
    private Headers requestHeaders() {
        return new Headers()
                .add("Host", HOST)
                .add("User-Agent", "Stripe/v1 PythonBindings/7.0.0")
                .add("Accept", "application/json")
                .add("Accept-Encoding", "gzip, deflate")
                .add("Content-Type", "application/x-www-form-urlencoded")
                .add("Idempotency-Key", "6f0c6bd2-6d2f-4a43-9a2b-1c3e1f1d2a77")
                .add("Authorization", "Bearer placeholder");
    }

    /** One request through a chain, calling the filters the way the proxy does; returns the chain's verdict. */
    private Decision runChain(CompiledChain chain) {
        if (!chain.acquire()) {
            throw new IllegalStateException("chain retired");
        }
        String requestId = Long.toHexString(++requests);
        FilterRequestView view = new FilterRequestView(INSTANCE, requestId, "POST", "https", HOST, 443, "HTTP/1.1",
                "/v1/charges", "expand=customer", requestHeaders(), secrets);
        List<Filter> filters = chain.filters();
        long bodyLimit = 0;
        for (Filter filter : filters) {
            bodyLimit = Math.max(bodyLimit, filter.bodyLimit(view));
        }
        Decision verdict = Decision.proceed();
        int ran = 0;
        for (Filter filter : filters) {
            ran++;
            Decision decision = filter.onRequest(view);
            if (decision.kind() == Decision.Kind.RESPOND) {
                verdict = decision;
                break;
            }
            if (decision.kind() == Decision.Kind.ALLOW) {
                verdict = decision;
            }
        }
        for (int i = ran - 1; i >= 0; i--) {
            filters.get(i).onResponse(view, response);
        }
        for (int i = 0; i < ran; i++) {
            filters.get(i).onComplete(view, 200);
        }
        chain.release();
        return bodyLimit < 0 ? Decision.proceed() : verdict;
    }

    @Benchmark
    public Decision emptyChain() {
        return runChain(empty);
    }

    @Benchmark
    public Decision fourFilterChain() {
        return runChain(fourFilters);
    }
}
