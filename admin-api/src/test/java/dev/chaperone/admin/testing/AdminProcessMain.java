package dev.chaperone.admin.testing;

import java.nio.file.Path;

/**
 * Runs an admin server in a JVM of its own over the data dir given as the only argument, so that a test can
 * kill it with SIGKILL. Prints {@code READY <port>} once it listens.
 */
public final class AdminProcessMain {

    private AdminProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        AdminFixture admin = AdminFixture.start(Path.of(args[0]));
        System.out.println("READY " + admin.port());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
