package dev.chaperone.server.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns IP literals into addresses for tests, keeping IPv6 forms that the JDK would turn into IPv4. */
final class IpLiterals {

    private IpLiterals() {
    }

    /** The 4 or 16 bytes of an IP literal; {@code ::ffff:127.0.0.1} stays 16 bytes. */
    static byte[] bytes(String literal) {
        InetAddress address = parse(literal);
        byte[] bytes = address.getAddress();
        if (literal.indexOf(':') >= 0 && address instanceof Inet4Address) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(bytes, 0, mapped, 12, 4);
            return mapped;
        }
        return bytes;
    }

    /**
     * The address of an IP literal; an IPv6 literal is always an {@link Inet6Address}, even in the
     * IPv4-mapped form, as a resolver that builds addresses itself could return it.
     */
    static InetAddress address(String literal) {
        byte[] bytes = bytes(literal);
        try {
            return bytes.length == 16 ? Inet6Address.getByAddress(null, bytes, -1) : InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    private static InetAddress parse(String literal) {
        try {
            // A literal, never a lookup: the tests pass only IP literals.
            return InetAddress.getByName(literal.indexOf(':') >= 0 ? "[" + literal + "]" : literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
