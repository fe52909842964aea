/**
 * Where instances and their sealed secrets are kept between restarts: the {@link
 * dev.chaperone.server.store.InstanceStore} contract and the embedded file store. Internal to the server, not
 * an API for plugins.
 */
package dev.chaperone.server.store;
