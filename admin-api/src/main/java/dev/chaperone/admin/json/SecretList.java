package dev.chaperone.admin.json;

import java.util.List;

/**
 * The answer of {@code GET /v1/instances/{id}/secrets}.
 *
 * @param secrets the instance's secrets by name, without values
 */
public record SecretList(List<SecretInfo> secrets) {
}
