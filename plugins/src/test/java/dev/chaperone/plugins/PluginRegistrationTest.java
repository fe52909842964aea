package dev.chaperone.plugins;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

import dev.chaperone.spi.FilterFactory;

import static org.assertj.core.api.Assertions.assertThat;

class PluginRegistrationTest {

    @Test
    void serviceLoaderFindsEveryBuiltInFilterByName() {
        List<String> names = new ArrayList<>();
        for (FilterFactory<?> factory : ServiceLoader.load(FilterFactory.class)) {
            names.add(factory.name());
            assertThat(factory.description()).isNotBlank();
            assertThat(factory.configType().isRecord()).as(factory.name()).isTrue();
        }
        assertThat(names).contains("allowlist", "denylist", "header-injection", "rate-limit", "response-scrub")
                .doesNotHaveDuplicates();
    }
}
