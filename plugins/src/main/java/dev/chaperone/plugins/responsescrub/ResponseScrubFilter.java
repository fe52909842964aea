package dev.chaperone.plugins.responsescrub;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.chaperone.spi.Decision;
import dev.chaperone.spi.Filter;
import dev.chaperone.spi.FilterRequest;
import dev.chaperone.spi.FilterResponse;
import dev.chaperone.spi.Headers;
import dev.chaperone.spi.ResponseBodyRewriter;

/**
 * Scrubs the configured secrets from response headers and from text bodies ({@code text/*}, JSON, XML)
 * as they stream. Other bodies pass untouched. So that bodies arrive scrubbable, requests go out without
 * {@code Accept-Encoding}; a text body an upstream compresses anyway is refused rather than passed on
 * unscrubbed. Has no opinion about whether a request is allowed.
 */
final class ResponseScrubFilter implements Filter {

    private final List<String> secretNames;
    private final String replacement;

    ResponseScrubFilter(List<String> secretNames, String replacement) {
        this.secretNames = List.copyOf(secretNames);
        this.replacement = replacement;
    }

    @Override
    public Decision onRequest(FilterRequest request) {
        request.headers().remove("Accept-Encoding");
        return Decision.proceed();
    }

    @Override
    public void onResponse(FilterRequest request, FilterResponse response) {
        SecretScrubber scrubber = scrubber(request);
        if (scrubber.isEmpty()) {
            return;
        }
        Headers headers = response.headers();
        List<String[]> fields = new ArrayList<>();
        boolean changed = false;
        for (int i = 0; i < headers.size(); i++) {
            String value = headers.valueAt(i);
            String scrubbed = scrubber.scrub(value);
            changed |= !scrubbed.equals(value);
            fields.add(new String[] {headers.nameAt(i), scrubbed});
        }
        if (!changed) {
            return;
        }
        Set<String> names = new LinkedHashSet<>();
        fields.forEach(field -> names.add(field[0]));
        names.forEach(headers::remove);
        fields.forEach(field -> headers.add(field[0], field[1]));
    }

    @Override
    public ResponseBodyRewriter responseBody(FilterRequest request, FilterResponse response) {
        if (!isText(response.headers().get("Content-Type"))) {
            return null;
        }
        SecretScrubber scrubber = scrubber(request);
        if (scrubber.isEmpty()) {
            return null;
        }
        String coding = response.headers().get("Content-Encoding");
        if (coding != null && !coding.isBlank() && !coding.trim().equalsIgnoreCase("identity")) {
            // The proxy does not decode bodies, so an encoded secret would slip through: refuse instead.
            throw new IllegalStateException("cannot scrub a text body with Content-Encoding " + coding);
        }
        return scrubber.bodyRewriter();
    }

    private SecretScrubber scrubber(FilterRequest request) {
        List<String> values = new ArrayList<>();
        for (String name : secretNames) {
            request.secrets().get(name).ifPresent(values::add);
        }
        return SecretScrubber.of(values, replacement);
    }

    /** Whether a body of this media type is text a secret could be echoed in. */
    static boolean isText(String contentType) {
        if (contentType == null) {
            return false;
        }
        String type = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return type.startsWith("text/") || type.equals("application/json") || type.equals("application/xml")
                || type.endsWith("+json") || type.endsWith("+xml") || type.equals("application/javascript")
                || type.equals("application/x-www-form-urlencoded");
    }
}
