package dev.chaperone.server.chain;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.chaperone.server.plugin.LoadedPlugin;
import dev.chaperone.server.plugin.PluginRegistry;
import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterContext;
import dev.chaperone.spi.FilterFactory;
import dev.chaperone.spi.FilterRequest;
import dev.chaperone.spi.HostNames;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for the chain config parser: whatever JSON an operator sends as a plugin's config, compiling
 * the chain either succeeds or fails with a {@link ChainValidationException}; anything else escaping
 * (Jazzer reports it) would reach the admin API as a 500 instead of a 422 naming the field. Seeds are JSON
 * texts in {@code ChainCompilerFuzzTestInputs/<method>/}.
 */
class ChainCompilerFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNode VALID_CONFIG = JSON.valueToTree(Map.of("hosts", List.of("api.example.com")));

    @FuzzTest
    void compilesAnyConfigOrRefusesItWithAValidationError(byte[] input) {
        JsonNode config;
        try {
            config = JSON.readTree(new String(input, UTF_8));
        } catch (JsonProcessingException notJson) {
            // The admin API refuses a body that is not JSON before any chain is compiled.
            return;
        }
        FuzzFilterFactory factory = new FuzzFilterFactory();
        PluginRegistry plugins = new PluginRegistry(List.of(new LoadedPlugin(factory, "built-in")));
        ChainCompiler compiler = new ChainCompiler(plugins, name -> Map.of(), Clock.systemUTC());
        List<ChainEntry> entries = List.of(
                new ChainEntry(FuzzFilterFactory.NAME, VALID_CONFIG), new ChainEntry(FuzzFilterFactory.NAME, config));

        try {
            CompiledChain chain = compiler.compile("fuzz-instance", entries);
            assertThat(chain.filters()).hasSize(2);
            assertThat(factory.closed).hasValue(0);
        } catch (ChainValidationException refused) {
            assertThat(refused.index()).as("%s", refused.getMessage()).isEqualTo(1);
            assertThat(refused.plugin()).isEqualTo(FuzzFilterFactory.NAME);
            assertThat(refused.getMessage()).isNotBlank();
            // The filter made for the first entry must not leak.
            assertThat(factory.closed).hasValue(factory.created.get());
        }
    }

    /** A plugin whose config has the shapes real plugins use: lists, numbers, maps and nested records. */
    static final class FuzzFilterFactory implements FilterFactory<FuzzConfig> {

        static final String NAME = "fuzz-config";

        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger closed = new AtomicInteger();

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public Class<FuzzConfig> configType() {
            return FuzzConfig.class;
        }

        @Override
        public String description() {
            return "Accepts configs shaped like the built-in plugins' ones, for fuzzing the config parser.";
        }

        @Override
        public Filter create(FuzzConfig config, FilterContext context) {
            if (config.limit() > 1000) {
                throw new ConfigException("limit", "must be at most 1000");
            }
            if (config.hosts().contains("refused.example")) {
                throw new IllegalArgumentException("refused.example is refused");
            }
            created.incrementAndGet();
            return new Filter() {
                @Override
                public Decision onRequest(FilterRequest request) {
                    return Decision.proceed();
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }
    }

    /** A config record validated in its compact constructor, as the style guide asks of every plugin. */
    record FuzzConfig(List<String> hosts, Integer limit, Map<String, String> headers, List<Rule> rules) {

        FuzzConfig {
            if (hosts == null || hosts.isEmpty()) {
                throw new ConfigException("hosts", "at least one host is needed");
            }
            hosts = hosts.stream().map(HostNames::normalize).toList();
            limit = limit == null ? 100 : limit;
            if (limit < 0) {
                throw new ConfigException("limit", "must not be negative");
            }
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            rules = rules == null ? List.of() : List.copyOf(rules);
        }
    }

    /** A nested config element. */
    record Rule(String path, int status) {

        Rule {
            if (path == null || !path.startsWith("/")) {
                throw new ConfigException("path", "must start with '/'");
            }
            if (status != 0 && (status < 100 || status > 599)) {
                throw new ConfigException("status", "must be an HTTP status");
            }
        }
    }
}
