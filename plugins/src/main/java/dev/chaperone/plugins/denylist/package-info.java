/**
 * The {@code denylist} filter: hosts, and optionally ports, methods and paths, an instance may never reach,
 * whatever other filters allow.
 */
package dev.chaperone.plugins.denylist;
