/**
 * The {@code allowlist} filter: the hosts, and optionally ports, methods and paths, an instance may reach.
 */
package dev.chaperone.plugins.allowlist;
