/**
 * The admin API: a JAX-RS application on its own Jetty server through which a platform manages instances,
 * their chains and secrets. Not an API for other code: only the HTTP interface (described by
 * {@code openapi.json}) is stable.
 */
package dev.chaperone.admin;
