package dev.chaperone.server.upstream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

import dev.chaperone.spi.HostNames;

/**
 * Resolves names from a hosts file first and asks DNS only for the others, so that tests and operators
 * can point a name such as {@code api.example.test} at an address of their choice.
 *
 * <p>The file has the format of {@code /etc/hosts}: an IP literal followed by one or more names on a line,
 * {@code #} starts a comment. A name listed on several lines gets all their addresses, in file order.
 */
public final class HostsFileResolver implements SocketAddressResolver {

    private final Map<String, List<InetAddress>> entries;
    private final SocketAddressResolver dns;

    /**
     * @param entries addresses by canonical host name
     * @param dns the resolver for names that are not in {@code entries}
     */
    public HostsFileResolver(Map<String, List<InetAddress>> entries, SocketAddressResolver dns) {
        Map<String, List<InetAddress>> copy = new LinkedHashMap<>();
        entries.forEach((name, addresses) -> copy.put(name, List.copyOf(addresses)));
        this.entries = Map.copyOf(copy);
        this.dns = Objects.requireNonNull(dns, "dns");
    }

    /**
     * Reads a hosts file.
     *
     * @throws IOException when it cannot be read, or a line is not an IP literal followed by valid names;
     *     the message names the line
     */
    public static HostsFileResolver load(Path file, SocketAddressResolver dns) throws IOException {
        return new HostsFileResolver(parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString()), dns);
    }

    /**
     * Parses the lines of a hosts file into addresses by canonical name.
     *
     * @param source the file name, for messages
     * @throws IOException naming the first line that cannot be used
     */
    public static Map<String, List<InetAddress>> parse(List<String> lines, String source) throws IOException {
        Map<String, List<InetAddress>> entries = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int comment = line.indexOf('#');
            String content = (comment >= 0 ? line.substring(0, comment) : line).trim();
            if (content.isEmpty()) {
                continue;
            }
            String[] fields = content.split("\\s+");
            if (fields.length < 2) {
                throw new IOException(source + " line " + (i + 1) + ": an address needs at least one name");
            }
            InetAddress address;
            try {
                String literal = HostNames.normalize(fields[0]);
                if (!HostNames.isIpLiteral(literal)) {
                    throw new IllegalArgumentException("not an IP address");
                }
                // A canonical IP literal is parsed by the JDK without any lookup.
                address = InetAddress.getByName(literal.indexOf(':') >= 0 ? "[" + literal + "]" : literal);
            } catch (IllegalArgumentException | UnknownHostException e) {
                throw new IOException(source + " line " + (i + 1) + ": '" + fields[0] + "' is not an IP address");
            }
            for (int f = 1; f < fields.length; f++) {
                String name;
                try {
                    name = HostNames.normalize(fields[f]);
                } catch (IllegalArgumentException e) {
                    throw new IOException(source + " line " + (i + 1) + ": '" + fields[f] + "' is not a host name: "
                            + e.getMessage());
                }
                entries.computeIfAbsent(name, n -> new ArrayList<>()).add(address);
            }
        }
        return entries;
    }

    @Override
    public void resolve(String host, int port, Map<String, Object> context, Promise<List<InetSocketAddress>> promise) {
        List<InetAddress> addresses = lookup(host);
        if (addresses == null) {
            dns.resolve(host, port, context, promise);
            return;
        }
        List<InetSocketAddress> result = new ArrayList<>(addresses.size());
        try {
            for (InetAddress address : addresses) {
                // Jetty takes the TLS peer host (SNI and host-name verification) from the resolved address, so
                // the address must carry the name it was looked up by, as DNS answers do.
                result.add(new InetSocketAddress(InetAddress.getByAddress(host, address.getAddress()), port));
            }
        } catch (UnknownHostException e) {
            promise.failed(e);
            return;
        }
        promise.succeeded(result);
    }

    private List<InetAddress> lookup(String host) {
        try {
            return entries.get(HostNames.normalize(host));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** How many names the file maps. */
    public int size() {
        return entries.size();
    }
}
