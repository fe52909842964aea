/**
 * The client-to-proxy leg: identifying the instance, admitting and intercepting {@code CONNECT} tunnels,
 * checking that each request names its tunnel's target, running the chain and forwarding.
 *
 * <p>An implementation detail of the server, not an API: only {@code dev.chaperone.spi} is.
 */
package dev.chaperone.server.proxy;
