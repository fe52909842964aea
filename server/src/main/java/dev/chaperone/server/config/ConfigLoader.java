package dev.chaperone.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.smallrye.config.ConfigValue;
import io.smallrye.config.DefaultValuesConfigSource;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

import dev.chaperone.server.config.ChaperoneConfig.Audit;
import dev.chaperone.server.config.ChaperoneConfig.Endpoint;
import dev.chaperone.server.config.ChaperoneConfig.Limits;
import dev.chaperone.server.net.Cidr;
import dev.chaperone.server.tls.Pem;

/**
 * Reads the server's settings through MicroProfile Config (SmallRye) into one {@link ChaperoneConfig}.
 * Sources, from lowest to highest priority: the built-in defaults, the properties file
 * ({@code conf/chaperone.properties}), environment variables ({@code CHAPERONE_PROXY_PORT} for
 * {@code chaperone.proxy.port}) and system properties.
 *
 * <p>Every value is checked before anything starts. The first one that is wrong becomes a
 * {@link ConfigurationException} whose one-line message names the key, the source it came from and what
 * would be right; the values of secret keys are never repeated in it.
 */
public final class ConfigLoader {

    /** The source name of values given as system properties. */
    static final String SYSTEM_PROPERTIES = "SysPropConfigSource";

    /** How SmallRye names a properties source: this, the name it was given, and {@code ]}. */
    private static final String PROPERTIES_SOURCE = "PropertiesConfigSource[source=";
    private static final String PREFIX = "chaperone.";
    private static final int FILE_ORDINAL = 250;
    private static final int ENVIRONMENT_ORDINAL = 300;
    private static final int SYSTEM_PROPERTIES_ORDINAL = 400;

    /** Every setting with its default; the order is the order of the documented properties file. */
    private static final Map<String, String> DEFAULTS = defaults();

    /** Settings without a default: unset means "none" or "generate one". */
    private static final Set<String> OPTIONAL = Set.of(
            "chaperone.admin.token",
            "chaperone.secrets.key",
            "chaperone.upstream.ca-file",
            "chaperone.upstream.allow-private",
            "chaperone.dns.hosts-file");

    private static final Set<String> SECRET = Set.of("chaperone.admin.token", "chaperone.secrets.key");

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%\\[\\]-]+");
    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*(|B|KB|KIB|MB|MIB|GB|GIB)");
    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h)");
    private static final Pattern PLUGIN_KEY = Pattern.compile("chaperone\\.plugin\\.([a-z0-9][a-z0-9-]*)\\.(.+)");
    private static final int MIN_ADMIN_TOKEN_LENGTH = 16;

    private final SmallRyeConfig config;
    private final Map<String, String> systemProperties;
    private final Map<String, String> fileProperties;
    private final String fileSource;

    private ConfigLoader(Path file, Map<String, String> environment, Map<String, String> systemProperties) {
        this.systemProperties = Map.copyOf(systemProperties);
        this.fileSource = file == null ? null : file.toAbsolutePath().normalize().toString();
        this.fileProperties = file == null ? Map.of() : readFile(file);
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder()
                .withDefaultValues(DEFAULTS)
                .withSources(new EnvConfigSource(Map.copyOf(environment), ENVIRONMENT_ORDINAL))
                .withSources(new PropertiesConfigSource(this.systemProperties, SYSTEM_PROPERTIES,
                        SYSTEM_PROPERTIES_ORDINAL));
        if (file != null) {
            builder.withSources(new PropertiesConfigSource(fileProperties, fileSource, FILE_ORDINAL));
        }
        this.config = builder.build();
    }

    /**
     * Reads the settings from the file, this process's environment and its system properties.
     *
     * @param file the properties file, or {@code null} for none
     * @throws ConfigurationException when a setting is wrong or the file cannot be read
     */
    public static ChaperoneConfig load(Path file) {
        Map<String, String> systemProperties = new LinkedHashMap<>();
        System.getProperties().stringPropertyNames()
                .forEach(name -> systemProperties.put(name, System.getProperty(name)));
        return load(file, System.getenv(), systemProperties);
    }

    /**
     * Reads the settings from the file and the given environment and system properties; tests use this to
     * stand in for the process's own.
     *
     * @throws ConfigurationException when a setting is wrong or the file cannot be read
     */
    public static ChaperoneConfig load(Path file, Map<String, String> environment,
            Map<String, String> systemProperties) {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(systemProperties, "systemProperties");
        return new ConfigLoader(file, environment, systemProperties).read();
    }

    /** Every key Chaperone knows, besides the {@code chaperone.plugin.<name>.*} settings of plugins. */
    public static Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>(DEFAULTS.keySet());
        keys.addAll(OPTIONAL);
        return Collections.unmodifiableSet(keys);
    }

    /** The built-in default of a key, or empty when the key has none. */
    public static Optional<String> defaultValue(String key) {
        return Optional.ofNullable(DEFAULTS.get(key));
    }

    private static Map<String, String> defaults() {
        Map<String, String> defaults = new LinkedHashMap<>();
        defaults.put("chaperone.home", ".");
        defaults.put("chaperone.proxy.host", "127.0.0.1");
        defaults.put("chaperone.proxy.port", "3128");
        defaults.put("chaperone.admin.host", "127.0.0.1");
        defaults.put("chaperone.admin.port", "3129");
        defaults.put("chaperone.data.dir", "data");
        defaults.put("chaperone.plugins.dir", "plugins");
        defaults.put("chaperone.log.dir", "logs");
        defaults.put("chaperone.audit.max-file-size", "100MB");
        defaults.put("chaperone.audit.max-files", "10");
        defaults.put("chaperone.metrics.instance-labels", "false");
        defaults.put("chaperone.limits.max-header-size", "16KB");
        defaults.put("chaperone.limits.max-body-size", "1GB");
        defaults.put("chaperone.limits.idle-timeout", "60s");
        defaults.put("chaperone.limits.tls-handshake-timeout", "10s");
        defaults.put("chaperone.limits.upstream-connect-timeout", "10s");
        defaults.put("chaperone.limits.upstream-idle-timeout", "300s");
        defaults.put("chaperone.limits.upstream-pool-idle-timeout", "30s");
        defaults.put("chaperone.limits.shutdown-timeout", "30s");
        defaults.put("chaperone.limits.connections-per-instance", "256");
        defaults.put("chaperone.limits.header-read-timeout", "30s");
        return Collections.unmodifiableMap(defaults);
    }

    private ChaperoneConfig read() {
        checkKeysAreKnown(fileProperties.keySet(), key -> "file " + fileSource);
        checkKeysAreKnown(systemProperties.keySet(), key -> describeSource(SYSTEM_PROPERTIES, key));

        Path home = path("chaperone.home", Path.of("")).toAbsolutePath().normalize();
        Endpoint proxy = new Endpoint(host("chaperone.proxy.host"), port("chaperone.proxy.port"));
        Endpoint admin = new Endpoint(host("chaperone.admin.host"), port("chaperone.admin.port"));
        if (admin.port() != 0 && admin.equals(proxy)) {
            throw invalid("chaperone.admin.port", "the admin API cannot listen on the proxy's address " + proxy);
        }
        Path dataDir = path("chaperone.data.dir", home);
        Path pluginsDir = path("chaperone.plugins.dir", home);
        Path logDir = path("chaperone.log.dir", home);
        Optional<String> adminToken = adminToken();
        Optional<String> secretsKey = secretsKey();
        Optional<Path> upstreamCaFile = caFile("chaperone.upstream.ca-file", home);
        List<Cidr> allowPrivate = cidrs("chaperone.upstream.allow-private");
        Optional<Path> hostsFile = readableFile("chaperone.dns.hosts-file", home);
        Audit audit = new Audit(
                size("chaperone.audit.max-file-size", 1024, Long.MAX_VALUE),
                integer("chaperone.audit.max-files", 1, 1000));
        boolean instanceLabels = bool("chaperone.metrics.instance-labels");
        Limits limits = new Limits(
                (int) size("chaperone.limits.max-header-size", 1024, 1024 * 1024),
                size("chaperone.limits.max-body-size", 1, Long.MAX_VALUE),
                duration("chaperone.limits.idle-timeout"),
                duration("chaperone.limits.tls-handshake-timeout"),
                duration("chaperone.limits.upstream-connect-timeout"),
                duration("chaperone.limits.upstream-idle-timeout"),
                duration("chaperone.limits.upstream-pool-idle-timeout"),
                duration("chaperone.limits.shutdown-timeout"),
                integer("chaperone.limits.connections-per-instance", 1, 1_000_000),
                duration("chaperone.limits.header-read-timeout"));
        return new ChaperoneConfig(home, proxy, admin, dataDir, pluginsDir, logDir, adminToken, secretsKey,
                upstreamCaFile, allowPrivate, hostsFile, audit, instanceLabels, limits, pluginSettings());
    }

    /**
     * Refuses a {@code chaperone.} key that is neither a setting nor a plugin setting: a misspelt key
     * would otherwise leave the default silently in force. Environment variables are not checked, because
     * platforms add variables of their own with the application's name as a prefix (Kubernetes service
     * links such as {@code CHAPERONE_PORT}).
     */
    private static void checkKeysAreKnown(Set<String> keys, Function<String, String> source) {
        for (String key : new TreeSet<>(keys)) {
            if (!key.startsWith(PREFIX) || DEFAULTS.containsKey(key) || OPTIONAL.contains(key)
                    || PLUGIN_KEY.matcher(key).matches()) {
                continue;
            }
            String suggestion = closestKey(key).map(known -> "; did you mean " + known + "?").orElse("");
            throw new ConfigurationException(key, key + " (from " + source.apply(key)
                    + "): unknown setting" + suggestion);
        }
    }

    private Map<String, Map<String, String>> pluginSettings() {
        Set<String> keys = new TreeSet<>(fileProperties.keySet());
        keys.addAll(systemProperties.keySet());
        Map<String, Map<String, String>> settings = new TreeMap<>();
        for (String key : keys) {
            Matcher matcher = PLUGIN_KEY.matcher(key);
            if (matcher.matches()) {
                String value = config.getConfigValue(key).getValue();
                if (value != null) {
                    settings.computeIfAbsent(matcher.group(1), name -> new TreeMap<>()).put(matcher.group(2), value);
                }
            }
        }
        return settings;
    }

    private String host(String key) {
        String host = required(key);
        if (!HOST.matcher(host).matches()) {
            throw invalid(key, "must be a host name or IP address to listen on");
        }
        return host;
    }

    private int port(String key) {
        return integer(key, 0, 65535, "must be a port from 0 to 65535");
    }

    private int integer(String key, int min, int max) {
        return integer(key, min, max, "must be a whole number from " + min + " to " + max);
    }

    private int integer(String key, int min, int max, String expected) {
        String text = required(key);
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // Reported below with the expected range.
        }
        throw invalid(key, expected);
    }

    private boolean bool(String key) {
        String text = required(key).strip();
        if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(text);
        }
        throw invalid(key, "must be true or false");
    }

    /** A size in bytes: a number, optionally followed by KB, MB or GB (multiples of 1024). */
    private long size(String key, long min, long max) {
        String text = required(key).strip().toUpperCase(Locale.ROOT);
        Matcher matcher = SIZE.matcher(text);
        String expected = "must be a size such as 65536, 64KB, 10MB or 1GB, from " + min + " to " + max + " bytes";
        if (!matcher.matches()) {
            throw invalid(key, expected);
        }
        long multiplier = switch (matcher.group(2)) {
            case "KB", "KIB" -> 1024L;
            case "MB", "MIB" -> 1024L * 1024;
            case "GB", "GIB" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        try {
            long value = Math.multiplyExact(Long.parseLong(matcher.group(1)), multiplier);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (ArithmeticException | NumberFormatException e) {
            // Reported below with the expected range.
        }
        throw invalid(key, expected);
    }

    /** A positive duration: ISO-8601 ({@code PT30S}) or a number with ms, s, m or h ({@code 30s}). */
    private Duration duration(String key) {
        String text = required(key).strip();
        Duration duration = null;
        Matcher matcher = SHORT_DURATION.matcher(text);
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            duration = switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
        } else if (text.startsWith("P") || text.startsWith("p")) {
            try {
                duration = Duration.parse(text);
            } catch (DateTimeParseException e) {
                duration = null;
            }
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw invalid(key, "must be a positive duration such as 500ms, 30s, 5m, 1h or PT30S");
        }
        return duration;
    }

    private Path path(String key, Path base) {
        String text = required(key).strip();
        try {
            return base.resolve(text).normalize();
        } catch (InvalidPathException e) {
            throw invalid(key, "is not a valid path: " + e.getReason());
        }
    }

    private Optional<Path> readableFile(String key, Path home) {
        if (optional(key).isEmpty()) {
            return Optional.empty();
        }
        Path file = path(key, home);
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw invalid(key, "the file " + file + " does not exist or cannot be read");
        }
        return Optional.of(file);
    }

    private Optional<Path> caFile(String key, Path home) {
        Optional<Path> file = readableFile(key, home);
        if (file.isPresent()) {
            // Parsed as the upstream trust store will parse it, so a file accepted here is not refused at start.
            List<X509Certificate> certificates;
            try {
                certificates = Pem.readCertificates(file.get());
            } catch (IOException e) {
                certificates = List.of();
            }
            if (certificates.isEmpty()) {
                throw invalid(key, "the file " + file.get() + " holds no readable PEM certificate");
            }
        }
        return file;
    }

    private List<Cidr> cidrs(String key) {
        Optional<String> text = optional(key);
        if (text.isEmpty()) {
            return List.of();
        }
        try {
            return Cidr.parseList(text.get());
        } catch (IllegalArgumentException e) {
            throw invalid(key, e.getMessage() + " (expected CIDR blocks such as 10.0.0.0/8, fd00::/8)");
        }
    }

    private Optional<String> adminToken() {
        Optional<String> token = optional("chaperone.admin.token").map(String::strip);
        if (token.isPresent() && token.get().length() < MIN_ADMIN_TOKEN_LENGTH) {
            throw invalid("chaperone.admin.token", "must be at least " + MIN_ADMIN_TOKEN_LENGTH
                    + " characters; leave it unset to have one generated");
        }
        return token;
    }

    private Optional<String> secretsKey() {
        String key = "chaperone.secrets.key";
        Optional<String> text = optional(key).map(String::strip);
        if (text.isPresent()) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(text.get());
            } catch (IllegalArgumentException e) {
                bytes = new byte[0];
            }
            if (bytes.length != 32) {
                throw invalid(key, "must be 32 random bytes in base64 (openssl rand -base64 32)");
            }
        }
        return text;
    }

    /** The value of a key that has a default; a blank value falls back to the default. */
    private String required(String key) {
        return optional(key).orElseGet(() -> DEFAULTS.get(key));
    }

    private Optional<String> optional(String key) {
        String value = config.getConfigValue(key).getValue();
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    private ConfigurationException invalid(String key, String problem) {
        ConfigValue value = config.getConfigValue(key);
        String source = describeSource(value.getConfigSourceName(), key);
        String shown = SECRET.contains(key) ? "" : " = '" + value.getValue() + "'";
        return new ConfigurationException(key, key + shown + " (from " + source + "): " + problem);
    }

    private String describeSource(String configSourceName, String key) {
        String sourceName = configSourceName;
        if (sourceName != null && sourceName.startsWith(PROPERTIES_SOURCE) && sourceName.endsWith("]")) {
            sourceName = sourceName.substring(PROPERTIES_SOURCE.length(), sourceName.length() - 1);
        }
        if (sourceName == null || sourceName.startsWith(DefaultValuesConfigSource.NAME)) {
            return "built-in default";
        }
        if (sourceName.startsWith(EnvConfigSource.NAME)) {
            return "environment variable " + environmentName(key);
        }
        if (sourceName.equals(SYSTEM_PROPERTIES)) {
            return "system property -D" + key;
        }
        return sourceName.equals(fileSource) ? "file " + fileSource : sourceName;
    }

    /** The environment variable MicroProfile Config reads for a key: {@code CHAPERONE_PROXY_PORT}. */
    static String environmentName(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static Map<String, String> readFile(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute) || !Files.isReadable(absolute)) {
            throw new ConfigurationException("", "the configuration file " + absolute
                    + " does not exist or cannot be read");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException("", "the configuration file " + absolute + " cannot be read: "
                    + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(name -> values.put(name, properties.getProperty(name)));
        return values;
    }

    /** The known key nearest to a misspelt one, when it is near enough to be a likely typo. */
    private static Optional<String> closestKey(String key) {
        String best = null;
        int bestDistance = 4;
        for (String known : knownKeys()) {
            int distance = editDistance(key, known);
            if (distance < bestDistance) {
                best = known;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
