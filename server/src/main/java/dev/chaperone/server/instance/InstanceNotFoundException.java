package dev.chaperone.server.instance;

/** The instance (or the secret of an instance) that a call names does not exist. */
public final class InstanceNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InstanceNotFoundException(String message) {
        super(message);
    }
}
