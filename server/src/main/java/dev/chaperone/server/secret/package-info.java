/**
 * Encryption of instance secrets at rest and the key they are encrypted under. Internal to the server, not
 * an API for plugins.
 */
package dev.chaperone.server.secret;
