package dev.chaperone.admin.testing;

/**
 * The config of {@link HeaderSecretFilterFactory}.
 *
 * @param header the header to set
 * @param value its value, which may refer to secrets as {@code ${secret:NAME}}
 */
public record HeaderSecretConfig(String header, String value) {
}
