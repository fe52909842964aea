package dev.chaperone.admin;

import static dev.chaperone.admin.testing.AdminClient.hostRulesChain;
import static dev.chaperone.admin.testing.AdminClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chaperone.admin.testing.AdminClient;
import dev.chaperone.admin.testing.AdminFixture;
import dev.chaperone.admin.testing.AdminProcessMain;
import dev.chaperone.admin.testing.HostRulesFilterFactory.HostRulesFilter;
import dev.chaperone.server.instance.Instance;

/**
 * Kills the admin server's JVM with SIGKILL in the middle of a burst of writes, again and again: after each
 * restart every acknowledged write must be there and the store must load whole.
 */
class AdminCrashIT {

    private static final int ROUNDS = 4;
    private static final int WRITERS = 3;
    private static final int IDS_PER_WRITER = 15;

    @TempDir
    Path dataDir;

    /** What a writer knows of one instance: the state last acknowledged and the one possibly in flight. */
    private record Known(String token, String generation, String secret, String pendingGeneration,
            String pendingSecret) {
    }

    private final Map<String, Known> known = new ConcurrentHashMap<>();

    @Test
    void keepsEveryAcknowledgedWriteThroughKillNine() throws Exception {
        for (int round = 1; round <= ROUNDS; round++) {
            Process server = startServer();
            try {
                URI uri = URI.create("http://127.0.0.1:" + awaitPort(server) + "/");
                int acknowledged = burst(new AdminClient(uri, AdminFixture.adminTokenOf(dataDir)), server, round);
                System.out.printf("crash round %d: %d writes acknowledged before kill -9%n", round, acknowledged);
                assertThat(acknowledged).isPositive();
            } finally {
                server.destroyForcibly();
                server.waitFor(30, TimeUnit.SECONDS);
            }
            verifyAfterRestart();
        }
    }

    /** Writes from several threads until the server is killed mid-way; returns how many were acknowledged. */
    private int burst(AdminClient client, Process server, int round) throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(new Thread(() -> {
                try {
                    for (int k = 0; !killed.get(); k++) {
                        write(client, "w" + writer + "-" + (k % IDS_PER_WRITER), round + "." + k, acknowledged);
                    }
                } catch (IOException e) {
                    if (!killed.get()) {
                        failure.set(e);
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "writer-" + w));
        }
        writers.forEach(Thread::start);
        // Kill at a random point well into the burst, whatever the speed of the machine.
        int target = ThreadLocalRandom.current().nextInt(60, 300);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.get() < target && failure.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        killed.set(true);
        server.destroyForcibly();
        for (Thread writer : writers) {
            writer.join();
        }
        assertThat(failure.get()).isNull();
        return acknowledged.get();
    }

    /** Sets the chain of {@code id} to a new generation, then its secret; records what was acknowledged. */
    private void write(AdminClient client, String id, String generation, AtomicInteger acknowledged)
            throws IOException, InterruptedException {
        Known before = known.get(id);
        known.put(id, before == null ? new Known(null, null, null, generation, null)
                : new Known(before.token(), before.generation(), before.secret(), generation, null));
        HttpResponse<String> chain = client.put("v1/instances/" + id, hostRulesChain(generation, "a.example.com"));
        assertThat(chain.statusCode()).isIn(200, 201);
        String token = chain.statusCode() == 201 ? json(chain).get("token").asText()
                : before == null ? null : before.token();
        String secret = before == null ? null : before.secret();
        known.put(id, new Known(token, generation, secret, null, "value-" + generation));
        acknowledged.incrementAndGet();

        HttpResponse<String> put = client.put("v1/instances/" + id + "/secrets/key",
                "{\"value\":\"value-" + generation + "\"}");
        assertThat(put.statusCode()).isIn(201, 204);
        known.put(id, new Known(token, generation, "value-" + generation, null, null));
        acknowledged.incrementAndGet();
    }

    private void verifyAfterRestart() throws Exception {
        try (AdminFixture admin = AdminFixture.start(dataDir)) {
            assertThat(dataDir.resolve("instances").resolve("unreadable")).doesNotExist();
            try (var files = Files.list(dataDir.resolve("instances"))) {
                assertThat(files.map(path -> path.getFileName().toString()))
                        .allSatisfy(name -> assertThat(name).endsWith(".json"));
            }
            for (Map.Entry<String, Known> entry : known.entrySet()) {
                String id = entry.getKey();
                Known expected = entry.getValue();
                Instance instance = admin.registry().get(id).orElse(null);
                if (expected.generation() == null) {
                    // Only a create was in flight: it may or may not have been stored.
                    if (instance == null) {
                        known.remove(id);
                        continue;
                    }
                } else {
                    assertThat(instance).as("acknowledged instance %s", id).isNotNull();
                }
                String generation = ((HostRulesFilter) instance.chain().filters().get(0)).generation();
                assertThat(generation).as("generation of %s", id)
                        .isIn(expected.generation(), expected.pendingGeneration());
                String secret = instance.secrets().get("key").orElse(null);
                if (expected.pendingSecret() != null) {
                    assertThat(secret).as("secret of %s", id).isIn(expected.secret(), expected.pendingSecret());
                } else {
                    assertThat(secret).as("secret of %s", id).isEqualTo(expected.secret());
                }
                if (expected.token() != null) {
                    assertThat(admin.registry().authenticate(id, expected.token())).as("token of %s", id).isPresent();
                }
                known.put(id, new Known(expected.token(), generation, secret, null, null));
            }
        }
    }

    private Process startServer() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                AdminProcessMain.class.getName(), dataDir.toString())
                .redirectErrorStream(true)
                .start();
    }

    /** Waits for the child's READY line and keeps draining its output so it never blocks on a full pipe. */
    private static int awaitPort(Process server) throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        AtomicInteger port = new AtomicInteger();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("READY ")) {
                        port.set(Integer.parseInt(line.substring(6).strip()));
                        ready.countDown();
                    } else if (ready.getCount() > 0) {
                        output.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // The process was killed; nothing more to read.
            }
        }, "server-output");
        reader.setDaemon(true);
        reader.start();
        assertThat(ready.await(60, TimeUnit.SECONDS)).as("server start-up:%n%s", output).isTrue();
        return port.get();
    }
}
