/**
 * Host, port, method and path matching shared by the built-in filters: patterns are parsed once into
 * {@link dev.chaperone.plugins.matching.HostRule}s and indexed by a
 * {@link dev.chaperone.plugins.matching.HostMatcher}, whose lookups cost the same for ten rules or a
 * hundred thousand.
 *
 * <p>Part of the built-in plugins, not of Chaperone's API: it may change without notice.
 */
package dev.chaperone.plugins.matching;
