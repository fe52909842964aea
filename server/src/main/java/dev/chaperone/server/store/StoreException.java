package dev.chaperone.server.store;

/** The store could not read or write; nothing was changed by the call that failed. */
public final class StoreException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
