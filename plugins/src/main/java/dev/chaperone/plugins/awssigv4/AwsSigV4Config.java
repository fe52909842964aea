package dev.chaperone.plugins.awssigv4;

import java.util.List;
import java.util.Set;

import dev.chaperone.plugins.common.SecretReferences;
import dev.chaperone.plugins.matching.ConfigValues;
import dev.chaperone.plugins.matching.HostRules;
import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.SecretTemplate;

/**
 * Configuration of the {@code aws-sigv4} filter.
 *
 * <p>Example: {@code {"accessKeyId": "${secret:aws-key-id}", "secretAccessKey": "${secret:aws-secret}"}}. The
 * secret access key and the session token must be references to instance secrets, so that they are stored as
 * secrets and never shown with the chain; the access key id may be written out.
 *
 * @param hosts the hosts whose requests are signed, as host patterns of the allowlist (exact hosts, leading
 *     wildcards, IP addresses or CIDR blocks, each with an optional port); default {@code ["*.amazonaws.com"]}
 * @param accessKeyId the access key id, usually {@code ${secret:NAME}}
 * @param secretAccessKey a reference to the instance secret holding the secret access key
 * @param sessionToken a reference to the instance secret holding a session token, or {@code null}
 * @param region a fixed signing region, or {@code null} to take it from the request
 * @param service a fixed signing service name, or {@code null} to take it from the request
 * @param bodyLimit the largest body, in bytes, that is buffered to be hashed for services other than S3; larger
 *     bodies are refused with 413; default 10 MiB
 * @param allowPresigned whether requests that carry their own presigned URL signature pass untouched; default
 *     {@code false}
 * @param allowPlaintext whether plain {@code http://} requests are signed too, which sends the session token in
 *     clear; default {@code false}
 */
public record AwsSigV4Config(
        List<String> hosts,
        String accessKeyId,
        String secretAccessKey,
        String sessionToken,
        String region,
        String service,
        Long bodyLimit,
        Boolean allowPresigned,
        Boolean allowPlaintext) {

    /** The hosts signed when none are configured. */
    public static final List<String> DEFAULT_HOSTS = List.of("*.amazonaws.com");

    /** The body limit when none is configured: 10 MiB. */
    public static final long DEFAULT_BODY_LIMIT = 10L * 1024 * 1024;

    /** The largest body limit accepted: 1 GiB, since a buffered body is held in memory. */
    public static final long MAX_BODY_LIMIT = 1L << 30;

    public AwsSigV4Config {
        hosts = hosts == null ? DEFAULT_HOSTS : ConfigValues.list(hosts, "hosts");
        if (hosts.isEmpty()) {
            throw new ConfigException("hosts", "at least one host pattern is needed");
        }
        HostRules.parseHosts(hosts, "hosts");
        if (accessKeyId == null || accessKeyId.isBlank()) {
            throw new ConfigException("accessKeyId", "an access key id is needed, such as ${secret:aws-access-key-id}");
        }
        SecretReferences.parse("accessKeyId", accessKeyId);
        if (secretAccessKey == null) {
            throw new ConfigException("secretAccessKey",
                    "a reference to the secret access key is needed, such as ${secret:aws-secret-access-key}");
        }
        requireSingleReference("secretAccessKey", secretAccessKey);
        if (sessionToken != null) {
            requireSingleReference("sessionToken", sessionToken);
        }
        if (region != null && !SigningScope.isValidName(region)) {
            throw new ConfigException("region", "'" + region + "' is not a region name such as eu-west-1");
        }
        if (service != null && !SigningScope.isValidName(service)) {
            throw new ConfigException("service", "'" + service + "' is not a service signing name such as s3");
        }
        bodyLimit = bodyLimit == null ? DEFAULT_BODY_LIMIT : bodyLimit;
        if (bodyLimit < 1 || bodyLimit > MAX_BODY_LIMIT) {
            throw new ConfigException("bodyLimit", "must be between 1 and " + MAX_BODY_LIMIT + " bytes");
        }
        allowPresigned = allowPresigned != null && allowPresigned;
        allowPlaintext = allowPlaintext != null && allowPlaintext;
    }

    /** A configuration with the defaults and the given credentials. */
    public static AwsSigV4Config of(String accessKeyId, String secretAccessKey) {
        return new AwsSigV4Config(null, accessKeyId, secretAccessKey, null, null, null, null, null, null);
    }

    private static void requireSingleReference(String field, String value) {
        SecretTemplate template = SecretReferences.parse(field, value);
        Set<String> names = template.secretNames();
        if (names.size() != 1 || !value.equals("${secret:" + names.iterator().next() + "}")) {
            // Never echo the value: it may be the key itself.
            throw new ConfigException(field, "must be exactly one reference to an instance secret, such as "
                    + "${secret:aws-secret-access-key}, so that the value is stored as a secret");
        }
    }
}
