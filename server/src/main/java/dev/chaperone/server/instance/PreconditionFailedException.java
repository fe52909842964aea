package dev.chaperone.server.instance;

/** A change's {@link Precondition} was not met; nothing was changed. */
public final class PreconditionFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PreconditionFailedException(String message) {
        super(message);
    }
}
