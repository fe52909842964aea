/**
 * The bypass regression suite: raw requests, written byte by byte where real clients would not, driven
 * through a real proxy that sits behind the address guard, with a scripted resolver as its only source of
 * addresses and a recording upstream behind it. Every row names the public advisory or class of attack it
 * covers, and asserts both the proxy's answer (a status or a close) and what reached the upstream: nothing,
 * or exactly one complete, re-serialised request.
 *
 * <table>
 *   <caption>The classes of the suite</caption>
 *   <tr><th>class</th><th>covers</th></tr>
 *   <tr><td>{@link dev.chaperone.server.bypass.IdentityBypassIT}</td>
 *       <td>domain fronting: SNI, {@code Host}, absolute-form and HTTP/2 {@code :authority} against the
 *       CONNECT target; malformed CONNECT targets</td></tr>
 *   <tr><td>{@link dev.chaperone.server.bypass.AddressGuardBypassIT}</td>
 *       <td>SSRF: names resolving to private, metadata, mixed or rebinding answers; IP literals in decimal,
 *       octal, hex and IPv6-embedded forms; the proxy's own listener; refused names never resolved</td></tr>
 *   <tr><td>{@link dev.chaperone.server.bypass.FramingBypassIT}</td>
 *       <td>request smuggling (CWE-444): CL.TE, TE.CL, duplicate lengths, obfuscated codings, obs-fold,
 *       control characters, invalid names, h2c upgrades, {@code Expect}, pipelining, path confusion</td></tr>
 *   <tr><td>{@link dev.chaperone.server.bypass.LimitsBypassIT}</td>
 *       <td>resource exhaustion: header and body sizes, slowloris, TLS handshake timeout, connections per
 *       instance, HTTP/2 rapid reset, PING, SETTINGS and CONTINUATION floods</td></tr>
 *   <tr><td>{@link dev.chaperone.server.bypass.CredentialLeakBypassIT}</td>
 *       <td>credential leakage: injection only to the named host, redirects returned not followed, the
 *       proxy token never forwarded, secrets never in answers or audit records</td></tr>
 * </table>
 *
 * <p>Cases the older integration tests already prove ({@code TunnelIdentityIT}, {@code AddressGuardIT},
 * {@code HandshakeTimeoutIT}, {@code UpstreamFailureIT}) are not repeated here. A new bypass gets a row in
 * the class of its kind, named after its advisory.
 */
package dev.chaperone.server.bypass;
