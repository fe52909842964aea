package dev.chaperone.plugins.responsescrub;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import dev.chaperone.spi.ResponseBodyRewriter;

/**
 * Replaces secret values in text: each secret as it is, JSON-escaped and URL-encoded, the forms in which
 * echo endpoints and error pages print a request back. Immutable; {@link #bodyRewriter()} gives a streaming
 * rewriter that holds back just enough bytes to catch a secret split across two chunks.
 */
final class SecretScrubber {

    private final List<byte[]> patterns;
    private final byte[] replacement;
    private final int longest;

    private SecretScrubber(List<byte[]> patterns, byte[] replacement) {
        this.patterns = patterns;
        this.replacement = replacement;
        this.longest = patterns.stream().mapToInt(pattern -> pattern.length).max().orElse(0);
    }

    /** A scrubber for the given secret values; empty values are ignored. */
    static SecretScrubber of(Collection<String> secretValues, String replacement) {
        List<byte[]> patterns = new ArrayList<>();
        for (String value : secretValues) {
            if (value.isEmpty()) {
                continue;
            }
            for (String form : List.of(value, jsonEscaped(value), URLEncoder.encode(value, StandardCharsets.UTF_8))) {
                byte[] bytes = form.getBytes(StandardCharsets.UTF_8);
                if (patterns.stream().noneMatch(known -> Arrays.equals(known, bytes))) {
                    patterns.add(bytes);
                }
            }
        }
        // Longer forms first, so that a form containing a shorter one is replaced whole.
        patterns.sort((a, b) -> Integer.compare(b.length, a.length));
        return new SecretScrubber(List.copyOf(patterns), replacement.getBytes(StandardCharsets.UTF_8));
    }

    boolean isEmpty() {
        return patterns.isEmpty();
    }

    /** {@code text} with every occurrence replaced. */
    String scrub(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        scan(bytes, bytes.length, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A rewriter for one response body. */
    ResponseBodyRewriter bodyRewriter() {
        return new ResponseBodyRewriter() {
            private byte[] held = new byte[0];

            @Override
            public ByteBuffer rewrite(ByteBuffer chunk, boolean last) {
                byte[] data = new byte[held.length + chunk.remaining()];
                System.arraycopy(held, 0, data, 0, held.length);
                chunk.get(data, held.length, chunk.remaining());
                // A position closer to the end than the longest pattern could start a secret that the next
                // chunk completes: keep it back until more arrives.
                int safe = last ? data.length : Math.max(0, data.length - Math.max(0, longest - 1));
                ByteArrayOutputStream out = new ByteArrayOutputStream(data.length);
                int consumed = scan(data, safe, out);
                held = Arrays.copyOfRange(data, consumed, data.length);
                return ByteBuffer.wrap(out.toByteArray());
            }
        };
    }

    /**
     * Copies {@code data} to {@code out} from its start, replacing patterns, for every position before
     * {@code end} (a pattern starting there may extend beyond it). Returns where it stopped.
     */
    private int scan(byte[] data, int end, ByteArrayOutputStream out) {
        int i = 0;
        while (i < end) {
            byte[] match = matchAt(data, i);
            if (match != null) {
                out.write(replacement, 0, replacement.length);
                i += match.length;
            } else {
                out.write(data[i]);
                i++;
            }
        }
        return i;
    }

    private byte[] matchAt(byte[] data, int at) {
        for (byte[] pattern : patterns) {
            if (at + pattern.length <= data.length
                    && Arrays.equals(data, at, at + pattern.length, pattern, 0, pattern.length)) {
                return pattern;
            }
        }
        return null;
    }

    private static String jsonEscaped(String value) {
        StringBuilder escaped = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> escaped.append("\\\"");
                case '\\' -> escaped.append("\\\\");
                case '/' -> escaped.append("\\/");
                default -> {
                    if (c < 0x20) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
