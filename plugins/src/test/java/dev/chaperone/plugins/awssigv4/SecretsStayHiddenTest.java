package dev.chaperone.plugins.awssigv4;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;

import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.testing.FakeFilterContext;
import dev.chaperone.spi.testing.FakeFilterRequest;

import static dev.chaperone.plugins.awssigv4.AwsSigV4FilterTest.KEY_ID;
import static dev.chaperone.plugins.awssigv4.AwsSigV4FilterTest.SECRET_KEY;
import static dev.chaperone.plugins.awssigv4.AwsSigV4FilterTest.SESSION_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Runs the filter through every outcome with all logging switched on and looks for the real secret access key
 * and session token in everything the filter produces besides the signed request itself.
 */
class SecretsStayHiddenTest {

    private static final AwsSigV4Config WITH_TOKEN = new AwsSigV4Config(null, "${secret:aws-id}",
            "${secret:aws-secret}", "${secret:aws-token}", null, null, null, null, null);

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private Level rootLevel;

    @BeforeEach
    void captureLogs() {
        rootLevel = root.getLevel();
        logs.start();
        root.addAppender(logs);
    }

    @AfterEach
    void restoreLogs() {
        root.detachAppender(logs);
        root.setLevel(rootLevel);
    }

    @Test
    void neverShowsTheSecretAccessKeyOrSessionTokenInDecisionsExceptionsOrLogs() {
        root.setLevel(Level.ALL);
        Filter filter = new AwsSigV4FilterFactory().create(WITH_TOKEN, new FakeFilterContext(AwsSigV4FilterTest.CLOCK));
        List<String> seen = new ArrayList<>();
        seen.add(filter.toString());
        seen.add(WITH_TOKEN.toString());
        seen.add(filter.headerSecrets().toString());

        for (Supplier<FakeFilterRequest> scenario : scenarios()) {
            FakeFilterRequest request = scenario.get();
            seen.add(String.valueOf(filter.bodyLimit(request)));
            Throwable thrown = catchThrowable(() -> seen.add(describe(filter.onRequest(request))));
            if (thrown != null) {
                seen.add(thrown.toString());
                seen.add(String.valueOf(thrown.getCause()));
            }
        }
        Throwable brokenToken = catchThrowable(() -> filter.onRequest(AwsSigV4FilterTest.withSecrets(
                FakeFilterRequest.of("GET", "https", "bucket.s3.amazonaws.com", 443, "/k"))
                .withSecret("aws-token", SESSION_TOKEN + "\r\nX-Injected: 1")));
        assertThat(brokenToken).isInstanceOf(IllegalArgumentException.class);
        seen.add(brokenToken.toString());

        assertThat(ownLogLines()).isNotEmpty();
        assertThat(String.join("\n", seen)).doesNotContain(SECRET_KEY, SESSION_TOKEN).contains("'aws-token'");
        assertThat(allLogLines()).doesNotContain(SECRET_KEY);
        assertThat(ownLogLines()).doesNotContain(SECRET_KEY, SESSION_TOKEN);
    }

    @Test
    void sdkSignerShowsTheSessionTokenOnlyWhenItsDebugLogIsOn() {
        Filter filter = new AwsSigV4FilterFactory().create(WITH_TOKEN, new FakeFilterContext(AwsSigV4FilterTest.CLOCK));

        root.setLevel(Level.INFO);
        filter.onRequest(AwsSigV4FilterTest.withSecrets(
                FakeFilterRequest.of("GET", "https", "bucket.s3.amazonaws.com", 443, "/k")));
        assertThat(allLogLines()).doesNotContain(SESSION_TOKEN, SECRET_KEY);

        root.setLevel(Level.DEBUG);
        filter.onRequest(AwsSigV4FilterTest.withSecrets(
                FakeFilterRequest.of("GET", "https", "bucket.s3.amazonaws.com", 443, "/k")));
        // The SDK prints its canonical request, which holds the token header: why the package documentation
        // asks for software.amazon.awssdk to stay at INFO.
        assertThat(allLogLines()).contains(SESSION_TOKEN).doesNotContain(SECRET_KEY);
    }

    private static List<Supplier<FakeFilterRequest>> scenarios() {
        return List.of(
                () -> AwsSigV4FilterTest.withSecrets(FakeFilterRequest.of("POST", "https",
                        "dynamodb.us-east-1.amazonaws.com", 443, "/"))
                        .withBody("{}".getBytes(StandardCharsets.UTF_8)),
                () -> AwsSigV4FilterTest.withSecrets(FakeFilterRequest.of("PUT", "https",
                        "bucket.s3.amazonaws.com", 443, "/k"))
                        .withHeader("X-Amz-Content-Sha256", SigV4Reference.sha256Hex("x")),
                () -> AwsSigV4FilterTest.withSecrets(FakeFilterRequest.of("PUT", "https",
                        "bucket.s3.amazonaws.com", 443, "/k"))
                        .withHeader("Content-Encoding", "aws-chunked")
                        .withHeader("X-Amz-Content-Sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
                () -> AwsSigV4FilterTest.withSecrets(FakeFilterRequest.of("GET", "https",
                        "bucket.s3.amazonaws.com", 443, "/k").withQuery("X-Amz-Signature=abc")),
                () -> AwsSigV4FilterTest.withSecrets(FakeFilterRequest.of("GET", "https",
                        "bucket.s3.amazonaws.com", 443, "/k").withQuery("a=%zz")),
                () -> AwsSigV4FilterTest.withSecrets(FakeFilterRequest.of("GET", "http", "bucket.s3.amazonaws.com",
                        80, "/k")),
                () -> FakeFilterRequest.of("GET", "https", "bucket.s3.amazonaws.com", 443, "/k")
                        .withSecret("aws-id", KEY_ID).withSecret("aws-secret", SECRET_KEY),
                () -> AwsSigV4FilterTest.withSecrets(FakeFilterRequest.of("POST", "https",
                        "sts.amazonaws.com", 443, "/")));
    }

    private static String describe(Decision decision) {
        return decision + " " + decision.error() + " " + decision.reason() + " " + decision.detail() + " "
                + decision.rule() + " " + decision.headers();
    }

    private String allLogLines() {
        StringBuilder out = new StringBuilder();
        for (ILoggingEvent event : logs.list) {
            out.append(event.getLoggerName()).append(' ').append(event.getFormattedMessage()).append('\n');
            for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
                out.append(t.getClassName()).append(": ").append(t.getMessage()).append('\n');
            }
        }
        return out.toString();
    }

    private String ownLogLines() {
        StringBuilder out = new StringBuilder();
        for (ILoggingEvent event : logs.list) {
            if (event.getLoggerName().startsWith("dev.chaperone")) {
                out.append(event.getFormattedMessage()).append('\n');
            }
        }
        return out.toString();
    }
}
