package dev.chaperone.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.glassfish.jersey.server.model.Resource;
import org.glassfish.jersey.server.model.ResourceMethod;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.chaperone.admin.resources.OpenApiResource;

/** The OpenAPI document describes exactly the operations the resources implement, no more, no fewer. */
class OpenApiDocumentTest {

    private static final Set<String> VERBS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    @Test
    void documentsEveryResourceMethodAndNothingElse() throws Exception {
        assertThat(documented()).isEqualTo(implemented()).isNotEmpty();
    }

    @Test
    void isAnOpenApiThreeDocumentWhoseReferencesResolve() throws Exception {
        JsonNode document = document();
        assertThat(document.get("openapi").asText()).startsWith("3.");
        String text = document.toString();
        int at = 0;
        while ((at = text.indexOf("\"$ref\":\"#/", at)) >= 0) {
            int end = text.indexOf('"', at + 9);
            String pointer = text.substring(at + 9, end);
            assertThat(document.at(pointer).isMissingNode()).as("reference %s", pointer).isFalse();
            at = end;
        }
    }

    private static Set<String> implemented() {
        Set<String> operations = new TreeSet<>();
        for (Class<?> resourceClass : AdminServer.RESOURCES) {
            collect(Resource.from(resourceClass), "", operations);
        }
        return operations;
    }

    private static void collect(Resource resource, String prefix, Set<String> operations) {
        String path = join(prefix, resource.getPath());
        for (ResourceMethod method : resource.getResourceMethods()) {
            operations.add(method.getHttpMethod() + " " + path);
        }
        for (Resource child : resource.getChildResources()) {
            collect(child, path, operations);
        }
    }

    private static String join(String prefix, String path) {
        if (path == null || path.isEmpty() || path.equals("/")) {
            return prefix.isEmpty() ? "/" : prefix;
        }
        String joined = (prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix)
                + (path.startsWith("/") ? path : "/" + path);
        return joined.length() > 1 && joined.endsWith("/") ? joined.substring(0, joined.length() - 1) : joined;
    }

    private static Set<String> documented() throws Exception {
        Set<String> operations = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document().get("paths").properties()) {
            for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
                if (VERBS.contains(operation.getKey())) {
                    operations.add(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        return operations;
    }

    private static JsonNode document() throws Exception {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(OpenApiResource.DOCUMENT)) {
            assertThat(in).isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }
}
