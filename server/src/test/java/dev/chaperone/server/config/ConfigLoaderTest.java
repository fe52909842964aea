package dev.chaperone.server.config;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chaperone.server.net.Cidr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @TempDir
    Path home;

    @Test
    void usesBuiltInDefaultsWhenNothingIsSet() {
        ChaperoneConfig config = load(null, Map.of(), Map.of("chaperone.home", home.toString()));

        assertThat(config.proxy()).isEqualTo(new ChaperoneConfig.Endpoint("127.0.0.1", 3128));
        assertThat(config.admin()).isEqualTo(new ChaperoneConfig.Endpoint("127.0.0.1", 3129));
        assertThat(config.dataDir()).isEqualTo(home.resolve("data"));
        assertThat(config.pluginsDir()).isEqualTo(home.resolve("plugins"));
        assertThat(config.logDir()).isEqualTo(home.resolve("logs"));
        assertThat(config.adminToken()).isEmpty();
        assertThat(config.secretsKey()).isEmpty();
        assertThat(config.upstreamCaFile()).isEmpty();
        assertThat(config.upstreamAllowPrivate()).isEmpty();
        assertThat(config.dnsHostsFile()).isEmpty();
        assertThat(config.audit()).isEqualTo(new ChaperoneConfig.Audit(100L * 1024 * 1024, 10));
        assertThat(config.metricsInstanceLabels()).isFalse();
        assertThat(config.limits()).isEqualTo(new ChaperoneConfig.Limits(16 * 1024, 1024L * 1024 * 1024,
                Duration.ofSeconds(60), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(300),
                Duration.ofSeconds(30), Duration.ofSeconds(30), 256, Duration.ofSeconds(30)));
    }

    @Test
    void fileOverridesDefaults() throws IOException {
        Path file = properties("chaperone.proxy.port=1000");

        assertThat(load(file, Map.of(), Map.of()).proxy().port()).isEqualTo(1000);
    }

    @Test
    void environmentOverridesFile() throws IOException {
        Path file = properties("chaperone.proxy.port=1000");

        ChaperoneConfig config = load(file, Map.of("CHAPERONE_PROXY_PORT", "2000"), Map.of());

        assertThat(config.proxy().port()).isEqualTo(2000);
    }

    @Test
    void systemPropertyOverridesEnvironment() throws IOException {
        Path file = properties("chaperone.proxy.port=1000");

        ChaperoneConfig config = load(file, Map.of("CHAPERONE_PROXY_PORT", "2000"),
                Map.of("chaperone.proxy.port", "3000"));

        assertThat(config.proxy().port()).isEqualTo(3000);
    }

    @Test
    void resolvesRelativePathsAgainstTheHomeDirectory() throws IOException {
        Path file = properties("chaperone.data.dir=var/data", "chaperone.log.dir=/var/log/chaperone");

        ChaperoneConfig config = load(file, Map.of(), Map.of("chaperone.home", home.toString()));

        assertThat(config.home()).isEqualTo(home);
        assertThat(config.dataDir()).isEqualTo(home.resolve("var/data"));
        assertThat(config.logDir()).isEqualTo(Path.of("/var/log/chaperone"));
    }

    @Test
    void readsEveryKindOfValue() throws Exception {
        Path ca = writeCertificate(home.resolve("upstream-ca.pem"));
        Path hosts = Files.writeString(home.resolve("hosts"), "127.0.0.1 api.example.test\n");
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        Path file = properties(
                "chaperone.proxy.host=0.0.0.0",
                "chaperone.proxy.port=0",
                "chaperone.admin.port=0",
                "chaperone.admin.token=0123456789abcdef0123",
                "chaperone.secrets.key=" + key,
                "chaperone.upstream.ca-file=upstream-ca.pem",
                "chaperone.upstream.allow-private=10.0.0.0/8, fd00::/8,192.168.1.7/32",
                "chaperone.dns.hosts-file=" + hosts,
                "chaperone.audit.max-file-size=64KB",
                "chaperone.audit.max-files=3",
                "chaperone.metrics.instance-labels=TRUE",
                "chaperone.limits.max-header-size=8192",
                "chaperone.limits.max-body-size=10MB",
                "chaperone.limits.idle-timeout=PT2M",
                "chaperone.limits.tls-handshake-timeout=500ms",
                "chaperone.limits.upstream-connect-timeout=5s",
                "chaperone.limits.upstream-idle-timeout=1h",
                "chaperone.limits.upstream-pool-idle-timeout=45s",
                "chaperone.limits.shutdown-timeout=2m",
                "chaperone.limits.connections-per-instance=8",
                "chaperone.limits.header-read-timeout=5s");

        ChaperoneConfig config = load(file, Map.of(), Map.of("chaperone.home", home.toString()));

        assertThat(config.proxy()).isEqualTo(new ChaperoneConfig.Endpoint("0.0.0.0", 0));
        assertThat(config.adminToken()).contains("0123456789abcdef0123");
        assertThat(config.secretsKeyBytes().orElseThrow()).hasSize(32);
        assertThat(config.upstreamCaFile()).contains(ca);
        assertThat(config.upstreamAllowPrivate()).extracting(Cidr::toString)
                .containsExactly("10.0.0.0/8", "fd00::/8", "192.168.1.7/32");
        assertThat(config.dnsHostsFile()).contains(hosts);
        assertThat(config.audit()).isEqualTo(new ChaperoneConfig.Audit(64 * 1024, 3));
        assertThat(config.metricsInstanceLabels()).isTrue();
        assertThat(config.limits()).isEqualTo(new ChaperoneConfig.Limits(8192, 10L * 1024 * 1024,
                Duration.ofMinutes(2), Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofHours(1),
                Duration.ofSeconds(45), Duration.ofMinutes(2), 8, Duration.ofSeconds(5)));
    }

    @Test
    void givesEachPluginItsOwnSettingsWithEnvironmentOverrides() throws IOException {
        Path file = properties(
                "chaperone.plugin.rate-limit.store=memory",
                "chaperone.plugin.rate-limit.redis.url=redis://localhost",
                "chaperone.plugin.aws-sigv4.region=eu-west-1");

        ChaperoneConfig config = load(file, Map.of("CHAPERONE_PLUGIN_RATE_LIMIT_STORE", "redis"),
                Map.of("chaperone.plugin.allowlist.strict", "true"));

        assertThat(config.pluginSettings("rate-limit"))
                .isEqualTo(Map.of("store", "redis", "redis.url", "redis://localhost"));
        assertThat(config.pluginSettings("aws-sigv4")).isEqualTo(Map.of("region", "eu-west-1"));
        assertThat(config.pluginSettings("allowlist")).isEqualTo(Map.of("strict", "true"));
        assertThat(config.pluginSettings("denylist")).isEmpty();
    }

    @Test
    void neverShowsSecretsInItsDescription() {
        ChaperoneConfig config = load(null, Map.of(), Map.of("chaperone.admin.token", "do-not-print-this-token"));

        assertThat(config.toString()).doesNotContain("do-not-print-this-token").contains("adminToken=(set)");
    }

    @Test
    void refusesPortOutOfRangeNamingTheEnvironmentVariable() {
        assertThatThrownBy(() -> load(null, Map.of("CHAPERONE_PROXY_PORT", "70000"), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.proxy.port = '70000' (from environment variable CHAPERONE_PROXY_PORT): "
                        + "must be a port from 0 to 65535");
    }

    @Test
    void refusesPortThatIsNotANumberNamingTheFile() throws IOException {
        Path file = properties("chaperone.admin.port=http");

        assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.admin.port = 'http' (from file " + file + "): must be a port from 0 to 65535");
    }

    @Test
    void refusesAdminApiOnTheProxyAddress() {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("chaperone.admin.port", "3128")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.admin.port = '3128' (from system property -Dchaperone.admin.port): "
                        + "the admin API cannot listen on the proxy's address 127.0.0.1:3128");
    }

    @Test
    void refusesHostWithSpaces() {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("chaperone.proxy.host", "local host")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.proxy.host = 'local host' (from system property -Dchaperone.proxy.host): "
                        + "must be a host name or IP address to listen on");
    }

    @Test
    void refusesUnknownKeyInTheFileSuggestingTheNearestOne() throws IOException {
        Path file = properties("chaperone.proxy.prot=3128");

        assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.proxy.prot (from file " + file + "): unknown setting; "
                        + "did you mean chaperone.proxy.port?");
    }

    @Test
    void refusesUnknownSystemProperty() {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("chaperone.turbo", "on")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.turbo (from system property -Dchaperone.turbo): unknown setting");
    }

    @Test
    void acceptsUnrelatedKeysAndEnvironmentVariables() throws IOException {
        Path file = properties("java.awt.headless=true");

        ChaperoneConfig config = load(file, Map.of("CHAPERONE_PORT", "tcp://10.0.0.1:3128"), Map.of());

        assertThat(config.proxy().port()).isEqualTo(3128);
    }

    @Test
    void refusesMissingUpstreamCaFile() {
        Path missing = home.resolve("missing.pem");

        assertThatThrownBy(() -> load(null, Map.of(), Map.of("chaperone.upstream.ca-file", missing.toString())))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.upstream.ca-file = '" + missing + "' (from system property "
                        + "-Dchaperone.upstream.ca-file): the file " + missing + " does not exist or cannot be read");
    }

    @Test
    void refusesUpstreamCaFileWithoutACertificate() throws IOException {
        Path notPem = Files.writeString(home.resolve("ca.pem"), "hello\n");

        assertThatThrownBy(() -> load(null, Map.of("CHAPERONE_UPSTREAM_CA_FILE", notPem.toString()), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.upstream.ca-file = '" + notPem + "' (from environment variable "
                        + "CHAPERONE_UPSTREAM_CA_FILE): the file " + notPem + " holds no readable PEM certificate");
    }

    @Test
    void refusesMissingHostsFile() throws IOException {
        Path file = properties("chaperone.dns.hosts-file=/nonexistent/hosts");

        assertThatThrownBy(() -> load(file, Map.of(), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.dns.hosts-file = '/nonexistent/hosts' (from file " + file
                        + "): the file /nonexistent/hosts does not exist or cannot be read");
    }

    @Test
    void refusesCidrWithPrefixOutOfRange() {
        assertThatThrownBy(() -> load(null, Map.of(),
                Map.of("chaperone.upstream.allow-private", "10.0.0.0/8, 10.1.2.3/33")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.upstream.allow-private = '10.0.0.0/8, 10.1.2.3/33' (from system property "
                        + "-Dchaperone.upstream.allow-private): '10.1.2.3/33': the prefix length is over 32 "
                        + "(expected CIDR blocks such as 10.0.0.0/8, fd00::/8)");
    }

    @Test
    void refusesCidrWithHostBitsSet() {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("chaperone.upstream.allow-private", "10.1.0.0/8")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.upstream.allow-private = '10.1.0.0/8' (from system property "
                        + "-Dchaperone.upstream.allow-private): '10.1.0.0/8' has bits set after the prefix "
                        + "(did you mean 10.0.0.0/8?) (expected CIDR blocks such as 10.0.0.0/8, fd00::/8)");
    }

    @Test
    void refusesHostNameInsteadOfCidr() {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("chaperone.upstream.allow-private", "intranet")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.upstream.allow-private = 'intranet' (from system property "
                        + "-Dchaperone.upstream.allow-private): 'intranet' has no prefix length (write 10.0.0.0/8) "
                        + "(expected CIDR blocks such as 10.0.0.0/8, fd00::/8)");
    }

    @Test
    void refusesShortAdminTokenWithoutRepeatingIt() {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("chaperone.admin.token", "hunter2")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.admin.token (from system property -Dchaperone.admin.token): "
                        + "must be at least 16 characters; leave it unset to have one generated");
    }

    @Test
    void refusesSecretsKeyOfTheWrongLengthWithoutRepeatingIt() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> load(null, Map.of("CHAPERONE_SECRETS_KEY", shortKey), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.secrets.key (from environment variable CHAPERONE_SECRETS_KEY): "
                        + "must be 32 random bytes in base64 (openssl rand -base64 32)");
    }

    @Test
    void refusesDurationWithoutAUnit() {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("chaperone.limits.idle-timeout", "30")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.limits.idle-timeout = '30' (from system property "
                        + "-Dchaperone.limits.idle-timeout): must be a positive duration such as 500ms, 30s, 5m, "
                        + "1h or PT30S");
    }

    @Test
    void refusesZeroDuration() {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("chaperone.limits.shutdown-timeout", "PT0S")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.limits.shutdown-timeout = 'PT0S' (from system property "
                        + "-Dchaperone.limits.shutdown-timeout): must be a positive duration such as 500ms, 30s, "
                        + "5m, 1h or PT30S");
    }

    @Test
    void refusesSizeWithAnUnknownUnit() {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("chaperone.limits.max-body-size", "10 TB")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.limits.max-body-size = '10 TB' (from system property "
                        + "-Dchaperone.limits.max-body-size): must be a size such as 65536, 64KB, 10MB or 1GB, "
                        + "from 1 to 9223372036854775807 bytes");
    }

    @Test
    void refusesHeaderLimitAboveOneMegabyte() {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("chaperone.limits.max-header-size", "2MB")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.limits.max-header-size = '2MB' (from system property "
                        + "-Dchaperone.limits.max-header-size): must be a size such as 65536, 64KB, 10MB or 1GB, "
                        + "from 1024 to 1048576 bytes");
    }

    @Test
    void refusesZeroRotatedFiles() {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("chaperone.audit.max-files", "0")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.audit.max-files = '0' (from system property -Dchaperone.audit.max-files): "
                        + "must be a whole number from 1 to 1000");
    }

    @Test
    void refusesConnectionLimitThatIsNotANumber() {
        assertThatThrownBy(() -> load(null, Map.of("CHAPERONE_LIMITS_CONNECTIONS_PER_INSTANCE", "many"), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.limits.connections-per-instance = 'many' (from environment variable "
                        + "CHAPERONE_LIMITS_CONNECTIONS_PER_INSTANCE): must be a whole number from 1 to 1000000");
    }

    @Test
    void refusesBooleanThatIsNotTrueOrFalse() {
        assertThatThrownBy(() -> load(null, Map.of(), Map.of("chaperone.metrics.instance-labels", "yes")))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("chaperone.metrics.instance-labels = 'yes' (from system property "
                        + "-Dchaperone.metrics.instance-labels): must be true or false");
    }

    @Test
    void refusesMissingConfigurationFile() {
        Path missing = home.resolve("conf/chaperone.properties");

        assertThatThrownBy(() -> load(missing, Map.of(), Map.of()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessage("the configuration file " + missing + " does not exist or cannot be read");
    }

    private ChaperoneConfig load(Path file, Map<String, String> environment, Map<String, String> properties) {
        return ConfigLoader.load(file, environment, properties);
    }

    private Path properties(String... lines) throws IOException {
        return Files.write(home.resolve("chaperone.properties"), java.util.List.of(lines));
    }

    private static Path writeCertificate(Path file) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=Test Upstream CA");
        Instant now = Instant.now();
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now),
                        Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(certificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        return Files.writeString(file, pem);
    }
}
