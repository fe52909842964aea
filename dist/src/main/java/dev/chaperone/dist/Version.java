package dev.chaperone.dist;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of this Chaperone build, written into a resource when the distribution is built. */
final class Version {

    private static final String RESOURCE = "version.properties";

    private Version() {
    }

    /** The version, such as {@code 0.1.0}, or {@code unknown} when the build left no record of it. */
    static String current() {
        try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
