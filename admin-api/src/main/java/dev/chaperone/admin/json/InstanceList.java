package dev.chaperone.admin.json;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One page of {@code GET /v1/instances}.
 *
 * @param instances the instances, ordered by id
 * @param next the value of {@code after} that fetches the next page; absent on the last page
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record InstanceList(List<InstanceBody> instances, String next) {
}
