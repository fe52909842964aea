package dev.chaperone.admin;

/** The certificate authority's certificate that sandboxes must trust, served by {@code GET /v1/ca}. */
@FunctionalInterface
public interface CaCertificateSource {

    /** The CA certificate in PEM form. */
    String pem();
}
