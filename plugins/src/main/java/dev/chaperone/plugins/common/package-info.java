/**
 * Helpers that several built-in plugins share beyond host matching, such as the handling of secret
 * references in their configs.
 *
 * <p>Part of the built-in plugins, not of Chaperone's API: it may change without notice.
 */
package dev.chaperone.plugins.common;
