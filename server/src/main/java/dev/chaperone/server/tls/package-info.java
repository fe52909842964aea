/**
 * The proxy's certificate authority and the leaf certificates it mints for intercepted hosts.
 *
 * <p>An implementation detail of the server, not an API: only {@code dev.chaperone.spi} is.
 */
package dev.chaperone.server.tls;
