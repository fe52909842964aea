package dev.chaperone.spi;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for {@link HttpPaths}: the normal form must be stable and must never hide a dot segment
 * that an upstream decoding {@code %2F}, {@code %5C} or dropping {@code ;} parameters would see, and
 * {@code hasPrefix} must match whole segments. Seeds (UTF-8 text files) live in
 * {@code HttpPathsFuzzTestInputs/<method>/}.
 */
class HttpPathsFuzzTest {

    @FuzzTest
    @DictionaryEntries({"/", "..", ".", "%2F", "%2f", "%5C", "%2E", "%2e", ";", "%25", "%3B", "//"})
    void normalizeIsIdempotentAndLeavesNoDotSegment(byte[] input) {
        String normal = normalizeOrNull(new String(input, UTF_8));
        if (normal == null) {
            return;
        }

        assertThat(HttpPaths.normalize(normal)).as("normalize(%s)", normal).isEqualTo(normal);
        assertThat(normal).startsWith("/");
        String decodedSlashes = normal.replaceAll("(?i)%2F|%5C", "/");
        for (String segment : decodedSlashes.split("/", -1)) {
            int semicolon = segment.indexOf(';');
            String name = semicolon >= 0 ? segment.substring(0, semicolon) : segment;
            assertThat(name).as("a segment of %s", normal).isNotIn(".", "..").doesNotContainIgnoringCase("%2E");
        }
    }

    @FuzzTest
    @DictionaryEntries({"/", "..", "%2F", "%2E", ";", "/v1", "/v1/"})
    void hasPrefixMatchesWholeSegments(byte[] input) {
        // A path and a prefix on two lines; a line break can never be part of a valid path.
        String text = new String(input, UTF_8);
        int newline = text.indexOf('\n');
        if (newline < 0) {
            return;
        }
        String path = normalizeOrNull(text.substring(0, newline));
        String prefix = normalizeOrNull(text.substring(newline + 1));
        if (path == null || prefix == null) {
            return;
        }

        String below = prefix.endsWith("/") ? prefix : prefix + "/";
        boolean expected = prefix.equals("/") || path.equals(prefix) || path.startsWith(below);
        assertThat(HttpPaths.hasPrefix(path, prefix)).as("hasPrefix(%s, %s)", path, prefix).isEqualTo(expected);
        assertThat(HttpPaths.hasPrefix(path, path)).isTrue();
        assertThat(HttpPaths.hasPrefix(path, "/")).isTrue();
    }

    private static String normalizeOrNull(String raw) {
        try {
            return HttpPaths.normalize(raw);
        } catch (IllegalArgumentException refused) {
            return null;
        }
    }
}
