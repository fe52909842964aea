package dev.chaperone.plugins.responsescrub;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.chaperone.spi.ConfigException;
import dev.chaperone.spi.ResponseBodyRewriter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretScrubberTest {

    private static final String SECRET = "sk_live_a/b\"c+d";
    private final SecretScrubber scrubber = SecretScrubber.of(List.of(SECRET, "short-token"), "[redacted]");

    @Test
    void replacesTheSecretAsItIsJsonEscapedAndUrlEncoded() {
        String echoed = "raw=" + SECRET + " json=\"sk_live_a\\/b\\\"c+d\" url=sk_live_a%2Fb%22c%2Bd";

        assertThat(scrubber.scrub(echoed)).isEqualTo("raw=[redacted] json=\"[redacted]\" url=[redacted]");
    }

    @Test
    void leavesTextWithoutSecretsAlone() {
        assertThat(scrubber.scrub("nothing to see, sk_live_ only")).isEqualTo("nothing to see, sk_live_ only");
    }

    @Test
    void catchesASecretSplitAtEveryPossiblePointBetweenChunks() {
        String body = "{\"Authorization\": \"Bearer " + SECRET + "\", \"other\": \"short-token\"}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        for (int split = 0; split <= bytes.length; split++) {
            ResponseBodyRewriter rewriter = scrubber.bodyRewriter();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            append(out, rewriter.rewrite(ByteBuffer.wrap(bytes, 0, split), false));
            append(out, rewriter.rewrite(ByteBuffer.wrap(bytes, split, bytes.length - split), false));
            append(out, rewriter.rewrite(ByteBuffer.allocate(0), true));

            assertThat(out.toString(StandardCharsets.UTF_8)).as("split at %d", split)
                    .isEqualTo("{\"Authorization\": \"Bearer [redacted]\", \"other\": \"[redacted]\"}");
        }
    }

    @Test
    void catchesASecretDeliveredOneByteAtATime() {
        byte[] bytes = ("x" + SECRET + "y").getBytes(StandardCharsets.UTF_8);
        ResponseBodyRewriter rewriter = scrubber.bodyRewriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte b : bytes) {
            append(out, rewriter.rewrite(ByteBuffer.wrap(new byte[] {b}), false));
        }
        append(out, rewriter.rewrite(ByteBuffer.allocate(0), true));

        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("x[redacted]y");
    }

    @Test
    void holdsBackNoMoreThanASecretCouldSpan() {
        ResponseBodyRewriter rewriter = scrubber.bodyRewriter();

        ByteBuffer first = rewriter.rewrite(ByteBuffer.wrap("a".repeat(100).getBytes(StandardCharsets.UTF_8)), false);

        assertThat(first.remaining()).isEqualTo(100 - (longestForm() - 1));
    }

    @Test
    void configNeedsAtLeastOneSecretAndNoControlCharacters() {
        assertThatThrownBy(() -> new ResponseScrubConfig(List.of(), null)).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> new ResponseScrubConfig(List.of(" "), null)).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> new ResponseScrubConfig(List.of("api"), "a\r\nb"))
                .isInstanceOf(ConfigException.class);
        assertThat(ResponseScrubConfig.of("api").replacement()).isEqualTo("[redacted]");
    }

    @Test
    void recognisesTextMediaTypes() {
        assertThat(ResponseScrubFilter.isText("text/html; charset=utf-8")).isTrue();
        assertThat(ResponseScrubFilter.isText("application/json")).isTrue();
        assertThat(ResponseScrubFilter.isText("application/problem+json")).isTrue();
        assertThat(ResponseScrubFilter.isText("Application/XML")).isTrue();
        assertThat(ResponseScrubFilter.isText("image/png")).isFalse();
        assertThat(ResponseScrubFilter.isText(null)).isFalse();
    }

    /** The URL-encoded form is the longest: '/', '"' and '+' each become three characters. */
    private static int longestForm() {
        return "sk_live_a%2Fb%22c%2Bd".length();
    }

    private static void append(ByteArrayOutputStream out, ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        out.write(copy, 0, copy.length);
    }
}
