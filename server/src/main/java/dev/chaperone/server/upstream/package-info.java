/**
 * The proxy-to-server leg: the HTTP client, the certificates it trusts, the hosts file consulted before DNS,
 * and how upstream failures are reported to the client.
 *
 * <p>An implementation detail of the server, not an API: only {@code dev.chaperone.spi} is.
 */
package dev.chaperone.server.upstream;
