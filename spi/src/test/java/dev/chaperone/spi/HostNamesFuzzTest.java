package dev.chaperone.spi;

import java.net.InetAddress;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for {@link HostNames}. Without {@code JAZZER_FUZZ=1} they run once per seed (a file of
 * UTF-8 text) in {@code HostNamesFuzzTestInputs/<method>/} as ordinary tests; with it, Jazzer mutates the
 * seeds looking for a host whose canonical form is not canonical, or that makes normalising throw anything
 * but {@link IllegalArgumentException} (Jazzer reports every other exception as a finding).
 */
class HostNamesFuzzTest {

    @FuzzTest
    @DictionaryEntries({".", "[", "]", ":", "::", "::ffff:", "0x", "xn--", "127", "255", "\u3002", "\uff0e", "%"})
    void normalizeIsIdempotentAndCanonical(byte[] input) throws Exception {
        String host = new String(input, UTF_8);
        String canonical;
        try {
            canonical = HostNames.normalize(host);
        } catch (IllegalArgumentException refused) {
            return;
        }

        assertThat(HostNames.normalize(canonical)).as("normalize(%s)", canonical).isEqualTo(canonical);
        assertThat(canonical).isNotEmpty().doesNotEndWith(".");
        for (int i = 0; i < canonical.length(); i++) {
            char c = canonical.charAt(i);
            assertThat(c < 0x80 && !(c >= 'A' && c <= 'Z')).as("character %s of %s", i, canonical).isTrue();
        }
        if (canonical.indexOf(':') >= 0) {
            assertThat(HostNames.formatIpv6(ipv6Bytes(canonical))).isEqualTo(canonical);
            assertThat(HostNames.isIpLiteral(canonical)).isTrue();
        } else if (canonical.matches("[0-9.]+")) {
            assertThat(canonical).matches("(\\d{1,3}\\.){3}\\d{1,3}");
            for (String part : canonical.split("\\.")) {
                assertThat(Integer.parseInt(part)).isLessThanOrEqualTo(255);
                assertThat(part).as("no leading zero in %s", canonical).matches("0|[1-9][0-9]*");
            }
            assertThat(HostNames.isIpLiteral(canonical)).isTrue();
        } else {
            assertThat(canonical).matches("[a-z0-9-]{1,63}(\\.[a-z0-9-]{1,63})*").hasSizeLessThanOrEqualTo(253);
            assertThat(HostNames.isIpLiteral(canonical)).isFalse();
        }
    }

    /** The 16 bytes of an IPv6 literal, keeping IPv4-mapped forms that the JDK turns into IPv4. */
    private static byte[] ipv6Bytes(String literal) throws Exception {
        byte[] bytes = InetAddress.getByName("[" + literal + "]").getAddress();
        if (bytes.length == 16) {
            return bytes;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(bytes, 0, mapped, 12, 4);
        return mapped;
    }
}
