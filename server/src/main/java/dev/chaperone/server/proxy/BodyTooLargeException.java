package dev.chaperone.server.proxy;

/** A request body grew past the proxy's limit while it was being streamed upstream. */
final class BodyTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    BodyTooLargeException(long limit) {
        super("the request body is larger than " + limit + " bytes", null, false, false);
    }

    /** Whether {@code failure} or one of its causes is a body over the limit. */
    static boolean isCause(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof BodyTooLargeException) {
                return true;
            }
        }
        return false;
    }
}
