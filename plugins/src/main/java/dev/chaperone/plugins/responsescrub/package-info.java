/**
 * The {@code response-scrub} filter: replaces an instance's secrets wherever an upstream echoes them back in
 * a response header or text body, before the sandbox sees the response.
 */
package dev.chaperone.plugins.responsescrub;
