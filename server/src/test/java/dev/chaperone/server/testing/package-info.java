/**
 * Fixtures for integration tests that need a real Chaperone proxy; shipped in the server's test JAR so that
 * other modules' tests use them too.
 *
 * <p>A typical test:
 *
 * <pre>{@code
 * @TempDir static Path workDir;
 *
 * try (ProxyFixture proxy = ProxyFixture.start(workDir)) {
 *     WireMockServer upstream = WireMockUpstreams.start(proxy.upstreamCertificates());
 *     upstream.stubFor(get("/v1").willReturn(ok("hello")));
 *     ProxyFixture.Credentials box = proxy.register("box", TestFilters.allowAll());
 *
 *     Curl.Result result = proxy.curl(box, "https://api.example.test:" + upstream.httpsPort() + "/v1");
 *
 *     assertThat(result.status()).isEqualTo(200);
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.chaperone.server.testing.ProxyFixture}: the proxy on port 0, a hosts file pointing
 *       {@link dev.chaperone.server.testing.ProxyFixture#TEST_HOSTS} at 127.0.0.1, instances registered from
 *       filters or from real plugins' chain entries, curl and JDK clients wired to it;</li>
 *   <li>{@link dev.chaperone.server.testing.TestCertificates}: the upstream CA and server certificate;</li>
 *   <li>{@link dev.chaperone.server.testing.WireMockUpstreams} and
 *       {@link dev.chaperone.server.testing.TestUpstream}: HTTPS upstreams presenting that certificate;</li>
 *   <li>{@link dev.chaperone.server.testing.RawTunnel}: CONNECT and TLS by hand, for requests real clients
 *       refuse to send;</li>
 *   <li>{@link dev.chaperone.server.testing.RecordingListener}: the exchanges the proxy reported.</li>
 * </ul>
 */
package dev.chaperone.server.testing;
