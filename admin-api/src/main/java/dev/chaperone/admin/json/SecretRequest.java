package dev.chaperone.admin.json;

/**
 * The body of {@code PUT /v1/instances/{id}/secrets/{name}}.
 *
 * @param value the secret's value; never returned by any call
 */
public record SecretRequest(String value) {

    public SecretRequest {
        if (value == null) {
            throw new IllegalArgumentException("'value' is required and must be a string");
        }
    }

    @Override
    public String toString() {
        return "SecretRequest[value=<redacted>]";
    }
}
