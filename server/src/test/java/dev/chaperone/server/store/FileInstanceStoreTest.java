package dev.chaperone.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.chaperone.server.chain.ChainEntry;

class FileInstanceStoreTest {

    private static final Instant T0 = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path dataDir;

    @Test
    void readsBackWhatItWrote() throws Exception {
        FileInstanceStore store = FileInstanceStore.open(dataDir);
        InstanceRecord record = record("a", 1);

        store.put(record);
        store.putSecret("a", "key", new SealedSecret(new byte[] {1, 2, 3}, T0.plusSeconds(1)), 2, T0.plusSeconds(1));

        InstanceRecord loaded = FileInstanceStore.open(dataDir).loadAll().get(0);
        assertThat(loaded.id()).isEqualTo("a");
        assertThat(loaded.tokenHash()).isEqualTo(new byte[] {9, 9});
        assertThat(loaded.version()).isEqualTo(2);
        assertThat(loaded.updatedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(loaded.chain()).isEqualTo(record.chain());
        assertThat(loaded.secrets().get("key").sealed()).isEqualTo(new byte[] {1, 2, 3});
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(store.directory().resolve("a.json"))))
                .isEqualTo("rw-------");
    }

    @Test
    void deletesSecretsAndInstances() {
        FileInstanceStore store = FileInstanceStore.open(dataDir);
        store.put(record("a", 1).withSecret("key", new SealedSecret(new byte[] {1}, T0), 2, T0));

        store.deleteSecret("a", "key", 3, T0);
        assertThat(store.load("a").orElseThrow().secrets()).isEmpty();
        assertThat(store.delete("a")).isTrue();
        assertThat(store.delete("a")).isFalse();
        assertThat(store.loadAll()).isEmpty();
        assertThatThrownBy(() -> store.putSecret("a", "key", new SealedSecret(new byte[] {1}, T0), 4, T0))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void removesUnfinishedWritesAndSetsAsideUnreadableFiles() throws Exception {
        FileInstanceStore store = FileInstanceStore.open(dataDir);
        store.put(record("good", 1));
        Files.writeString(store.directory().resolve("good.json.tmp"), "{\"format\":1,");
        Files.writeString(store.directory().resolve("wrong-name.json"),
                new String(InstanceRecordCodec.encode(record("other", 1))));
        Files.writeString(store.directory().resolve("future.json"), "{\"format\":99}");

        List<InstanceRecord> loaded = FileInstanceStore.open(dataDir).loadAll();

        assertThat(loaded).extracting(InstanceRecord::id).containsExactly("good");
        assertThat(store.directory().resolve("good.json.tmp")).doesNotExist();
        try (var aside = Files.list(store.directory().resolve("unreadable"))) {
            assertThat(aside.map(path -> path.getFileName().toString()))
                    .anySatisfy(name -> assertThat(name).startsWith("wrong-name.json."))
                    .anySatisfy(name -> assertThat(name).startsWith("future.json."));
        }
    }

    private static InstanceRecord record(String id, long version) {
        try {
            ChainEntry entry = new ChainEntry("allow", new ObjectMapper().readTree("{\"hosts\":[\"a\"]}"));
            return new InstanceRecord(id, new byte[] {9, 9}, List.of(entry), version, T0, T0, Map.of());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
