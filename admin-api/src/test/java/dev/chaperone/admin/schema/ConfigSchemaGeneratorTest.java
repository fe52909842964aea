package dev.chaperone.admin.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ConfigSchemaGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    enum Unit { SECOND, MINUTE }

    record Limit(int requests, Unit per) {
    }

    record Everything(
            @JsonProperty(value = "host_names", required = true) @JsonPropertyDescription("where to go")
            List<String> hosts,
            long count,
            Double ratio,
            BigDecimal price,
            boolean enabled,
            Set<Integer> ports,
            Map<String, List<String>> headers,
            Optional<String> note,
            Limit limit,
            String[] tags,
            URI endpoint,
            JsonNode anything) {
    }

    record Tree(String name, List<Tree> children) {
    }

    @Test
    void describesEveryKindOfConfigComponent() throws Exception {
        JsonNode schema = ConfigSchemaGenerator.schemaOf(Everything.class);

        assertThat(schema).isEqualTo(JSON.readTree("""
                {"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object","properties":{
                  "host_names":{"type":"array","items":{"type":"string"},"description":"where to go"},
                  "count":{"type":"integer"},
                  "ratio":{"type":"number"},
                  "price":{"type":"number"},
                  "enabled":{"type":"boolean"},
                  "ports":{"type":"array","items":{"type":"integer"},"uniqueItems":true},
                  "headers":{"type":"object","additionalProperties":{"type":"array","items":{"type":"string"}}},
                  "note":{"type":"string"},
                  "limit":{"type":"object","properties":{
                      "requests":{"type":"integer"},
                      "per":{"type":"string","enum":["SECOND","MINUTE"]}},"additionalProperties":false},
                  "tags":{"type":"array","items":{"type":"string"}},
                  "endpoint":{"type":"string","format":"uri"},
                  "anything":{}},
                 "required":["host_names"],"additionalProperties":false}"""));
    }

    @Test
    void stopsAtRecursiveRecords() {
        JsonNode schema = ConfigSchemaGenerator.schemaOf(Tree.class);

        assertThat(schema.at("/properties/children/items").toString())
                .isEqualTo("{\"type\":\"object\",\"description\":\"a nested Tree (recursive)\"}");
    }
}
