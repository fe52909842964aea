/**
 * The plugin contract of Chaperone, and the only public API of the project.
 *
 * <p>A plugin ships one or more {@link dev.chaperone.spi.FilterFactory} implementations, listed in
 * {@code META-INF/services/dev.chaperone.spi.FilterFactory}. The server finds them with
 * {@link java.util.ServiceLoader}, binds each chain entry's JSON config to the factory's
 * {@link dev.chaperone.spi.FilterFactory#configType() config type} and asks the factory for a
 * {@link dev.chaperone.spi.Filter}. Each filter then sees every request of its instance, in chain order.
 *
 * <p>The server owns the upstream call: a filter may read a request, change its headers and query
 * parameters, mark it allowed, or answer it itself, but it can never change where the request goes.
 * A request that no filter explicitly allowed is refused.
 *
 * <p>For a plugin's own tests, the {@code chaperone-spi} test-jar carries hand-written fakes of these types
 * (package {@code dev.chaperone.spi.testing}) that behave as the server does.
 *
 * <p>Every other package of Chaperone is an implementation detail and may change without notice.
 */
package dev.chaperone.spi;
