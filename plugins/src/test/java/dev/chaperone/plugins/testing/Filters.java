package dev.chaperone.plugins.testing;

import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterFactory;
import dev.chaperone.spi.testing.FakeFilterContext;

/** Makes filters through their public factories, as the server does. */
public final class Filters {

    private Filters() {
    }

    public static <C> Filter create(FilterFactory<C> factory, C config) {
        return factory.create(config, new FakeFilterContext());
    }
}
