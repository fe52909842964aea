package dev.chaperone.plugins.awssigv4;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The region and service a SigV4 signature is scoped to, and how to find them for a request: from the
 * sandbox's own credential scope or from the AWS host name.
 *
 * @param region the signing region, such as {@code eu-west-1}
 * @param service the signing name of the service, such as {@code s3} or {@code dynamodb}
 */
record SigningScope(String region, String service) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");
    private static final Pattern LEGACY_S3_REGION = Pattern.compile("s3-(?:fips-)?([a-z]{2}(?:-[a-z]+)+-\\d{1,2})");
    private static final Pattern CREDENTIAL = Pattern.compile(
            "Credential=[^/,\\s]*/\\d{8}/([^/,\\s]+)/([^/,\\s]+)/aws4_request");
    private static final String US_EAST_1 = "us-east-1";

    /** Endpoints without a region in their name, all signed for us-east-1. */
    private static final Map<String, String> GLOBAL_ENDPOINTS = Map.of(
            "s3", "s3",
            "s3-external-1", "s3",
            "iam", "iam",
            "sts", "sts",
            "route53", "route53",
            "cloudfront", "cloudfront",
            "organizations", "organizations",
            "globalaccelerator", "globalaccelerator");

    /** Endpoint prefixes whose signing name differs from the prefix. */
    private static final Map<String, String> SIGNING_NAMES = Map.of(
            "s3-accesspoint", "s3",
            "s3-control", "s3",
            "email", "ses",
            "bedrock-runtime", "bedrock",
            "bedrock-agent", "bedrock",
            "bedrock-agent-runtime", "bedrock");

    /** Labels that change how an endpoint is reached but not what it is. */
    private static final Set<String> ENDPOINT_VARIANTS = Set.of("dualstack", "fips");

    /** Services that take S3's rules: unsigned or declared payloads, paths encoded once and never normalised. */
    private static final Set<String> S3_FAMILY = Set.of("s3", "s3-object-lambda", "s3-outposts", "s3express");

    SigningScope {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(service, "service");
    }

    /** Whether the region or service name is a plausible signing name: lower case letters, digits and dashes. */
    static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Whether requests of this scope follow S3's rules for payloads and paths. */
    boolean isS3() {
        return S3_FAMILY.contains(service);
    }

    /**
     * The scope a sandbox signed its request for, read from the credential scope of its {@code Authorization}
     * header ({@code AWS4-HMAC-SHA256 Credential=AKID/20240101/us-west-2/s3/aws4_request, ...}). Only the
     * region and service are taken; the access key and signature are ignored.
     */
    static Optional<SigningScope> fromAuthorization(String authorization) {
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256 ")) {
            return Optional.empty();
        }
        Matcher matcher = CREDENTIAL.matcher(authorization);
        if (!matcher.find()) {
            return Optional.empty();
        }
        String region = matcher.group(1);
        String service = matcher.group(2);
        if (!isValidName(region) || !isValidName(service)) {
            return Optional.empty();
        }
        return Optional.of(new SigningScope(region, service));
    }

    /**
     * The scope an AWS endpoint host name implies, such as {@code dynamodb.us-east-1.amazonaws.com},
     * {@code bucket.s3.dualstack.eu-west-1.amazonaws.com} or {@code iam.amazonaws.com}; empty for hosts
     * outside {@code amazonaws.com} and {@code amazonaws.com.cn} or whose service cannot be told.
     */
    static Optional<SigningScope> fromHost(String canonicalHost) {
        String prefix;
        if (canonicalHost.endsWith(".amazonaws.com")) {
            prefix = canonicalHost.substring(0, canonicalHost.length() - ".amazonaws.com".length());
        } else if (canonicalHost.endsWith(".amazonaws.com.cn")) {
            prefix = canonicalHost.substring(0, canonicalHost.length() - ".amazonaws.com.cn".length());
        } else {
            return Optional.empty();
        }
        String[] labels = prefix.split("\\.");
        for (int i = labels.length - 1; i >= 0; i--) {
            if (REGION.matcher(labels[i]).matches()) {
                String region = labels[i];
                return serviceAround(labels, i).map(service -> new SigningScope(region, service));
            }
            Matcher legacy = LEGACY_S3_REGION.matcher(labels[i]);
            if (legacy.matches()) {
                return Optional.of(new SigningScope(legacy.group(1), "s3"));
            }
        }
        String last = labels[labels.length - 1];
        return Optional.ofNullable(GLOBAL_ENDPOINTS.get(last)).map(service -> new SigningScope(US_EAST_1, service));
    }

    /**
     * The service of a host whose label {@code regionIndex} is the region: the label after the region when
     * there is one ({@code search-x.eu-west-1.es}), otherwise the nearest label before it that is not an
     * endpoint variant ({@code bucket.s3.dualstack.eu-west-1}).
     */
    private static Optional<String> serviceAround(String[] labels, int regionIndex) {
        if (regionIndex + 1 < labels.length) {
            return Optional.of(signingName(labels[regionIndex + 1]));
        }
        for (int i = regionIndex - 1; i >= 0; i--) {
            if (!ENDPOINT_VARIANTS.contains(labels[i])) {
                return Optional.of(signingName(labels[i]));
            }
        }
        return Optional.empty();
    }

    private static String signingName(String label) {
        String name = label.endsWith("-fips") ? label.substring(0, label.length() - "-fips".length()) : label;
        return SIGNING_NAMES.getOrDefault(name, name);
    }

    @Override
    public String toString() {
        return region + "/" + service;
    }
}
