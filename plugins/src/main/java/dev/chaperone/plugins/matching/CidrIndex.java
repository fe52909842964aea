package dev.chaperone.plugins.matching;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CIDR blocks of one address family, in one hash map per prefix length: a lookup masks the address once
 * for each length in use, so its cost depends on the lengths in use (at most the address's bit count), not
 * on the number of blocks.
 */
final class CidrIndex {

    private final int bits;
    private final List<Map<Key, List<HostMatcher.Indexed>>> byLength;
    private int[] lengthsInUse = new int[0];

    CidrIndex(int bits) {
        this.bits = bits;
        this.byLength = new ArrayList<>(bits + 1);
        for (int i = 0; i <= bits; i++) {
            byLength.add(null);
        }
    }

    void add(byte[] address, int prefixLength, HostMatcher.Indexed entry) {
        Map<Key, List<HostMatcher.Indexed>> blocks = byLength.get(prefixLength);
        if (blocks == null) {
            blocks = new HashMap<>();
            byLength.set(prefixLength, blocks);
            lengthsInUse = Arrays.copyOf(lengthsInUse, lengthsInUse.length + 1);
            lengthsInUse[lengthsInUse.length - 1] = prefixLength;
        }
        blocks.computeIfAbsent(Key.of(address, prefixLength), k -> new ArrayList<>(1)).add(entry);
    }

    void find(byte[] address, HostMatcher.Search search) {
        if (address.length * 8 != bits) {
            return;
        }
        for (int prefixLength : lengthsInUse) {
            search.consider(byLength.get(prefixLength).get(Key.of(address, prefixLength)));
        }
    }

    /** An address masked to a prefix length, as two longs (an IPv4 address uses the low one only). */
    record Key(long high, long low) {

        static Key of(byte[] address, int prefixLength) {
            long high = 0;
            long low = 0;
            if (address.length == 4) {
                low = toLong(address, 0, 4) & mask(prefixLength, 32);
                return new Key(0, low);
            }
            high = toLong(address, 0, 8) & mask(Math.min(prefixLength, 64), 64);
            low = toLong(address, 8, 8) & mask(Math.max(prefixLength - 64, 0), 64);
            return new Key(high, low);
        }

        private static long toLong(byte[] bytes, int from, int count) {
            long value = 0;
            for (int i = from; i < from + count; i++) {
                value = value << 8 | (bytes[i] & 0xffL);
            }
            return value;
        }

        /** The leading {@code kept} bits of a {@code width}-bit number set. */
        private static long mask(int kept, int width) {
            if (kept == 0) {
                return 0;
            }
            long all = width == 64 ? -1L : (1L << width) - 1;
            return all & (-1L << (width - kept));
        }
    }
}
