package dev.chaperone.admin.testing;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/**
 * The config of {@link HostRulesFilterFactory}.
 *
 * @param rules the hosts to allow, in order
 * @param generation a label tests use to tell one configured chain from another
 */
public record HostRulesConfig(
        @JsonProperty(required = true) @JsonPropertyDescription("hosts to allow") List<HostRule> rules,
        String generation) {

    public HostRulesConfig {
        rules = rules == null ? List.of() : List.copyOf(rules);
        generation = generation == null ? "" : generation;
    }
}
