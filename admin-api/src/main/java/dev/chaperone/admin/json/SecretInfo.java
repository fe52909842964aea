package dev.chaperone.admin.json;

/**
 * What is shown of a secret: its name and when it was last set.
 *
 * @param name the secret's name
 * @param changedAt ISO-8601 instant of the last change
 */
public record SecretInfo(String name, String changedAt) {
}
