package dev.chaperone.plugins.awssigv4;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signs every header-signing case of the AWS SigV4 test suite with the plugin's signer and compares the
 * canonical request, the string to sign and the signature.
 *
 * <p>The SDK signer always signs {@code x-amz-content-sha256} and always signs the session token, while the
 * suite signs the payload hash header only in its {@code sign_body} cases and leaves the token unsigned in
 * {@code post-sts-header-after}. For the other cases the expected canonical request is the suite's plus those
 * lines, and the expected string to sign and signature follow from it by the specification's own steps; where
 * nothing had to be added, the signature must equal the suite's exactly.
 *
 * <p>The suite writes request paths unencoded ({@code /example space/}) and encodes them once; on the wire
 * such a path is already encoded once, so the cases are signed from the wire path without the second encoding
 * that services other than S3 apply to real requests ({@link AwsSigV4FilterTest} covers that).
 */
class SigV4TestSuiteTest {

    private static final Map<String, String> OUTCOMES = new ConcurrentSkipListMap<>();

    private final RequestSigner signer = new RequestSigner();

    static List<SigV4TestSuite.Case> cases() {
        return SigV4TestSuite.load();
    }

    @Test
    void suiteHoldsEveryHeaderSigningCase() {
        assertThat(cases()).extracting(SigV4TestSuite.Case::name).hasSize(38).contains(
                "get-vanilla", "get-vanilla-query", "get-vanilla-query-order-key-case",
                "get-vanilla-query-unreserved", "get-vanilla-utf8-query", "get-header-key-duplicate",
                "get-header-value-multiline", "get-header-value-order", "get-header-value-trim", "get-unreserved",
                "get-utf8", "get-space-normalized", "get-slash-normalized", "get-slashes-unnormalized",
                "post-vanilla", "post-vanilla-query", "post-header-key-case", "post-header-key-sort",
                "post-header-value-case", "post-x-www-form-urlencoded", "post-x-www-form-urlencoded-parameters",
                "post-sts-header-before", "post-sts-header-after", "get-vanilla-with-session-token");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void referenceStepsReproduceTheSuiteFromItsCanonicalRequest(SigV4TestSuite.Case c) {
        String stringToSign = SigV4Reference.stringToSign(amzDate(c), scope(c), c.section("canonical-request"));

        assertThat(stringToSign).isEqualTo(c.section("string-to-sign"));
        assertThat(SigV4Reference.signature(c.context("secret-access-key"), scope(c), stringToSign))
                .isEqualTo(c.section("signature"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void signerReproducesTheCanonicalRequestStringToSignAndSignature(SigV4TestSuite.Case c) {
        ParsedRequest request = ParsedRequest.parse(c.section("request"));
        String expectedCanonical = withSignerHeaders(c, SigV4Reference.sha256Hex(request.body()));
        String expectedStringToSign = SigV4Reference.stringToSign(amzDate(c), scope(c), expectedCanonical);

        SigV4Signature signature = signer.sign(request.upstream(), Payload.body(ByteBuffer.wrap(request.body())),
                credentials(c), new SigningScope(c.context("region"), c.context("service")),
                new UriRules(false, Boolean.parseBoolean(c.context("normalize"))), clock(c));

        assertThat(signature.canonicalRequest()).isEqualTo(expectedCanonical);
        assertThat(signature.amzDate()).isEqualTo(amzDate(c));
        assertThat(signature.authorization()).isEqualTo("AWS4-HMAC-SHA256 Credential=" + c.context("access-key-id")
                + "/" + scope(c) + ", SignedHeaders=" + signedHeaders(expectedCanonical) + ", Signature="
                + SigV4Reference.signature(c.context("secret-access-key"), scope(c), expectedStringToSign));
        boolean exact = expectedCanonical.equals(c.section("canonical-request"));
        if (exact) {
            assertThat(signature.signature()).isEqualTo(c.section("signature"));
            assertThat(expectedStringToSign).isEqualTo(c.section("string-to-sign"));
        }
        OUTCOMES.put(c.name(), exact ? "exact" : "plus " + addedHeaders(c, expectedCanonical));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void declaredHashPathSignsExactlyLikeTheSdkSigner(SigV4TestSuite.Case c) {
        ParsedRequest request = ParsedRequest.parse(c.section("request"));
        UriRules rules = new UriRules(true, Boolean.parseBoolean(c.context("normalize")));
        SigningScope scope = new SigningScope(c.context("region"), c.context("service"));

        SigV4Signature bySdk = signer.sign(request.upstream(), Payload.body(ByteBuffer.wrap(request.body())),
                credentials(c), scope, rules, clock(c));
        SigV4Signature byHash = signer.signWithDeclaredHash(request.upstream(),
                SigV4Reference.sha256Hex(request.body()), credentials(c), scope, rules, clock(c));

        assertThat(byHash.authorization()).isEqualTo(bySdk.authorization());
        assertThat(byHash.canonicalRequest()).isEqualTo(bySdk.canonicalRequest());
    }

    @AfterAll
    static void printOutcomes() {
        Map<String, List<String>> byOutcome = OUTCOMES.entrySet().stream().collect(Collectors.groupingBy(
                Map.Entry::getValue, Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        byOutcome.forEach((outcome, names) ->
                System.out.println("SigV4 suite " + outcome + " (" + names.size() + "): " + String.join(" ", names)));
    }

    /** The suite's canonical request with the headers the SDK signer always signs added in their place. */
    private static String withSignerHeaders(SigV4TestSuite.Case c, String payloadHash) {
        List<String> lines = List.of(c.section("canonical-request").split("\n", -1));
        List<String> head = lines.subList(0, 3);
        List<String> headerLines = new ArrayList<>(lines.subList(3, 3 + lines.subList(3, lines.size()).indexOf("")));
        if (headerLines.stream().noneMatch(line -> line.startsWith("x-amz-content-sha256:"))) {
            headerLines.add("x-amz-content-sha256:" + payloadHash);
        }
        String token = c.context().get("session-token");
        if (token != null && headerLines.stream().noneMatch(line -> line.startsWith("x-amz-security-token:"))) {
            headerLines.add("x-amz-security-token:" + token);
        }
        headerLines.sort(Comparator.comparing(line -> line.substring(0, line.indexOf(':'))));
        String signed = headerLines.stream().map(line -> line.substring(0, line.indexOf(':')))
                .collect(Collectors.joining(";"));
        return String.join("\n", head) + "\n" + String.join("\n", headerLines) + "\n\n" + signed
                + "\n" + payloadHash;
    }

    private static String addedHeaders(SigV4TestSuite.Case c, String expectedCanonical) {
        List<String> suite = List.of(signedHeaders(c.section("canonical-request")).split(";"));
        return List.of(signedHeaders(expectedCanonical).split(";")).stream().filter(h -> !suite.contains(h))
                .collect(Collectors.joining(","));
    }

    private static String signedHeaders(String canonicalRequest) {
        String[] lines = canonicalRequest.split("\n");
        return lines[lines.length - 2];
    }

    private static AwsCredentialsIdentity credentials(SigV4TestSuite.Case c) {
        String token = c.context().get("session-token");
        return token == null
                ? AwsCredentialsIdentity.create(c.context("access-key-id"), c.context("secret-access-key"))
                : AwsSessionCredentialsIdentity.create(c.context("access-key-id"), c.context("secret-access-key"),
                        token);
    }

    private static Clock clock(SigV4TestSuite.Case c) {
        return Clock.fixed(Instant.parse(c.context("timestamp")), ZoneOffset.UTC);
    }

    private static String amzDate(SigV4TestSuite.Case c) {
        return c.context("timestamp").replace("-", "").replace(":", "");
    }

    private static String scope(SigV4TestSuite.Case c) {
        return amzDate(c).substring(0, 8) + "/" + c.context("region") + "/" + c.context("service") + "/aws4_request";
    }

    /** A request of the suite, turned into what a client would put on the wire. */
    record ParsedRequest(UpstreamRequest upstream, byte[] body) {

        static ParsedRequest parse(String text) {
            String[] headAndBody = text.split("\n\n", 2);
            String[] lines = headAndBody[0].split("\n");
            String requestLine = lines[0];
            String method = requestLine.substring(0, requestLine.indexOf(' '));
            String target = requestLine.substring(method.length() + 1, requestLine.lastIndexOf(" HTTP/"));
            int question = target.indexOf('?');
            String path = wireForm(question < 0 ? target : target.substring(0, question));
            String query = question < 0 ? null : wireForm(target.substring(question + 1));
            String host = null;
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                String line = lines[i];
                if (Character.isWhitespace(line.charAt(0))) {
                    // An obsolete line folding: the server turns it into a space.
                    Map.Entry<String, String> last = headers.remove(headers.size() - 1);
                    headers.add(Map.entry(last.getKey(), last.getValue() + " " + line.strip()));
                    continue;
                }
                int colon = line.indexOf(':');
                String name = line.substring(0, colon);
                String value = line.substring(colon + 1);
                if (name.equalsIgnoreCase("Host")) {
                    host = value;
                } else {
                    headers.add(Map.entry(name, value));
                }
            }
            byte[] body = headAndBody.length > 1 ? headAndBody[1].getBytes(StandardCharsets.UTF_8) : new byte[0];
            return new ParsedRequest(new UpstreamRequest(method, "https", host, 443, host, path, query, headers), body);
        }

        /** Percent-encodes what cannot stand in a request target: spaces, controls and non-ASCII. */
        private static String wireForm(String raw) {
            StringBuilder out = new StringBuilder();
            for (byte b : raw.getBytes(StandardCharsets.UTF_8)) {
                int c = b & 0xff;
                if (c > 0x20 && c < 0x7f) {
                    out.append((char) c);
                } else {
                    out.append('%').append(String.format("%02X", c));
                }
            }
            return out.toString();
        }
    }
}
