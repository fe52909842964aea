/**
 * The {@code header-injection} filter: adds credentials and other headers or query parameters to requests to
 * chosen hosts, so that secrets are added at the proxy and never enter the sandbox.
 */
package dev.chaperone.plugins.headerinjection;
