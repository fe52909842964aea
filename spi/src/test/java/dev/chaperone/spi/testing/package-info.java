/**
 * Hand-written fakes of the SPI for testing filters without a proxy, shipped in the {@code chaperone-spi}
 * test-jar ({@code <type>test-jar</type>}, test scope).
 *
 * <p>{@link dev.chaperone.spi.testing.FakeFilterRequest} normalises host and path and changes its query as
 * the server does; {@link dev.chaperone.spi.testing.FakeFilterContext} carries settings and a clock the test
 * controls ({@link dev.chaperone.spi.testing.MutableClock}). None of these is used by the server itself.
 */
package dev.chaperone.spi.testing;
