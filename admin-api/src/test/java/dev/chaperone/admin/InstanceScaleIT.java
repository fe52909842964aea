package dev.chaperone.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.chaperone.admin.testing.AdminFixture;
import dev.chaperone.server.chain.ChainCompiler;
import dev.chaperone.server.chain.ChainEntry;
import dev.chaperone.server.instance.InstanceRegistry;
import dev.chaperone.server.instance.InstanceService;
import dev.chaperone.server.instance.ProxyToken;
import dev.chaperone.server.plugin.PluginRegistry;
import dev.chaperone.server.secret.SecretCipher;
import dev.chaperone.server.secret.SecretKeys;
import dev.chaperone.server.store.FileInstanceStore;
import dev.chaperone.server.store.InstanceRecord;
import dev.chaperone.server.store.InstanceRecordCodec;
import dev.chaperone.server.store.SealedSecret;

/**
 * Loads 10,000 stored instances with 20-entry chains and prints how long the store load and the compile take
 * and how much heap each instance costs. A measurement, not a pass/fail speed target.
 */
class InstanceScaleIT {

    private static final int INSTANCES = 10_000;
    private static final int ENTRIES = 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dataDir;

    @Test
    void loadsTenThousandInstancesWithTwentyEntryChains() throws Exception {
        SecretCipher cipher = SecretKeys.loadOrCreate(dataDir, Optional.empty());
        Path directory = FileInstanceStore.open(dataDir).directory();
        String token = ProxyToken.generate();
        long writeStarted = System.nanoTime();
        for (int i = 0; i < INSTANCES; i++) {
            String id = "sandbox-" + i;
            List<ChainEntry> chain = new ArrayList<>();
            for (int j = 0; j < ENTRIES; j++) {
                chain.add(new ChainEntry("host-rules", JSON.readTree("{\"generation\":\"s\",\"rules\":[{\"host\":\"h"
                        + j + ".example.com\",\"ports\":[443]}]}")));
            }
            Instant now = Instant.now();
            InstanceRecord record = new InstanceRecord(id, ProxyToken.hash(token), chain, 1, now, now,
                    Map.of("api", new SealedSecret(cipher.seal(id, "api", "value-" + i), now)));
            // Fixture files are written plainly; durability of real writes is the crash test's subject.
            Files.write(directory.resolve(id + ".json"), InstanceRecordCodec.encode(record));
        }
        long writeMillis = (System.nanoTime() - writeStarted) / 1_000_000;

        FileInstanceStore warmStore = FileInstanceStore.open(dataDir);
        long loadStarted = System.nanoTime();
        int loaded = warmStore.loadAll().size();
        long loadMillis = (System.nanoTime() - loadStarted) / 1_000_000;
        warmStore.close();
        assertThat(loaded).isEqualTo(INSTANCES);

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long heapBefore = usedHeapAfterGc(memory);
        PluginRegistry plugins = new PluginRegistry(AdminFixture.testPlugins());
        InstanceRegistry registry = new InstanceRegistry();
        FileInstanceStore store = FileInstanceStore.open(dataDir);
        InstanceService service = new InstanceService(store,
                new ChainCompiler(plugins, name -> Map.of(), Clock.systemUTC()), registry, cipher, Clock.systemUTC());
        long startStarted = System.nanoTime();
        service.start();
        long startMillis = (System.nanoTime() - startStarted) / 1_000_000;
        long heapAfter = usedHeapAfterGc(memory);

        assertThat(registry.size()).isEqualTo(INSTANCES);
        assertThat(registry.authenticate("sandbox-4242", token).orElseThrow().chain().filters()).hasSize(ENTRIES);
        assertThat(registry.get("sandbox-4242").orElseThrow().secrets().get("api")).contains("value-4242");
        long perInstance = (heapAfter - heapBefore) / INSTANCES;
        System.out.printf("scale: %d instances x %d entries: fixture files written in %d ms; store load %d ms;"
                + " store load + compile + registry %d ms; heap %d MB in all, %d bytes per instance%n",
                INSTANCES, ENTRIES, writeMillis, loadMillis, startMillis, (heapAfter - heapBefore) >> 20,
                perInstance);
        // Keep everything measured reachable until after the measurement.
        assertThat(service.size()).isEqualTo(INSTANCES);
        store.close();

        // A second start in the same JVM shows the cost without class loading and JIT warm-up.
        FileInstanceStore again = FileInstanceStore.open(dataDir);
        InstanceService warm = new InstanceService(again,
                new ChainCompiler(plugins, name -> Map.of(), Clock.systemUTC()), new InstanceRegistry(), cipher,
                Clock.systemUTC());
        long warmStarted = System.nanoTime();
        assertThat(warm.start()).isEqualTo(INSTANCES);
        System.out.printf("scale: second (warm) store load + compile + registry %d ms on %d cores%n",
                (System.nanoTime() - warmStarted) / 1_000_000, Runtime.getRuntime().availableProcessors());
        again.close();
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
