package dev.chaperone.server.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded store: one JSON file per instance ({@code <id>.json}) in a directory under the data dir,
 * each replaced atomically and durably on every change (see {@link DurableFiles}).
 *
 * <p>Files that cannot be read at start-up are moved into {@code unreadable/} with a WARN line, so that an
 * operator can look at them; leftovers of writes cut short by a crash are removed. Only this process uses
 * the directory, so it never reports changes to {@link StoreListener}s.
 */
public final class FileInstanceStore implements InstanceStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileInstanceStore.class);
    private static final String SUFFIX = ".json";
    private static final String UNREADABLE = "unreadable";

    private final Path directory;

    /** What was last written per instance, so that a secret change need not read the file back. */
    private final ConcurrentMap<String, InstanceRecord> written = new ConcurrentHashMap<>();

    private FileInstanceStore(Path directory) {
        this.directory = directory;
    }

    /** Opens (and creates, if needed) the store in {@code <dataDir>/instances}. */
    public static FileInstanceStore open(Path dataDir) {
        Path directory = dataDir.resolve("instances");
        try {
            DurableFiles.createDirectories(directory);
        } catch (IOException e) {
            throw new StoreException("cannot create the instance directory " + directory, e);
        }
        return new FileInstanceStore(directory);
    }

    /** The directory holding the instance files. */
    public Path directory() {
        return directory;
    }

    @Override
    public List<InstanceRecord> loadAll() {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path file : entries) {
                String name = file.getFileName().toString();
                if (name.endsWith(DurableFiles.TEMP_SUFFIX)) {
                    LOG.info("removing {}, left by a write that did not finish", file);
                    Files.deleteIfExists(file);
                } else if (name.endsWith(SUFFIX) && Files.isRegularFile(file)) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            throw new StoreException("cannot read the instance directory " + directory, e);
        }
        // Parsing dominates a large start-up; the files are independent, so use every core.
        List<InstanceRecord> records = files.parallelStream()
                .map(this::read)
                .flatMap(Optional::stream)
                .toList();
        written.clear();
        records.forEach(record -> written.put(record.id(), record));
        return records;
    }

    @Override
    public Optional<InstanceRecord> load(String id) {
        Path file = fileOf(id);
        return Files.exists(file) ? read(file) : Optional.empty();
    }

    @Override
    public void put(InstanceRecord record) {
        try {
            DurableFiles.write(fileOf(record.id()), InstanceRecordCodec.encode(record));
        } catch (IOException e) {
            throw new StoreException("cannot write instance " + record.id(), e);
        }
        written.put(record.id(), record);
    }

    @Override
    public boolean delete(String id) {
        try {
            boolean existed = DurableFiles.delete(fileOf(id));
            written.remove(id);
            return existed;
        } catch (IOException e) {
            throw new StoreException("cannot delete instance " + id, e);
        }
    }

    @Override
    public void putSecret(String id, String name, SealedSecret secret, long version, Instant updatedAt) {
        put(current(id).withSecret(name, secret, version, updatedAt));
    }

    @Override
    public void deleteSecret(String id, String name, long version, Instant updatedAt) {
        put(current(id).withoutSecret(name, version, updatedAt));
    }

    @Override
    public void addListener(StoreListener listener) {
        // Nobody else writes this directory, so there is never anything to tell.
    }

    @Override
    public void close() {
        written.clear();
    }

    private InstanceRecord current(String id) {
        InstanceRecord record = written.get(id);
        if (record == null) {
            record = load(id).orElseThrow(() -> new IllegalStateException("instance " + id + " is not stored"));
        }
        return record;
    }

    private Optional<InstanceRecord> read(Path file) {
        String name = file.getFileName().toString();
        try {
            InstanceRecord record = InstanceRecordCodec.decode(Files.readAllBytes(file));
            if (!name.equals(record.id() + SUFFIX)) {
                throw new IOException("the file holds instance '" + record.id() + "'");
            }
            return Optional.of(record);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            setAside(file, e);
            return Optional.empty();
        }
    }

    private void setAside(Path file, IOException problem) {
        Path aside = directory.resolve(UNREADABLE)
                .resolve(file.getFileName() + "." + System.currentTimeMillis());
        try {
            DurableFiles.createDirectories(aside.getParent());
            DurableFiles.move(file, aside);
            LOG.warn("instance file {} cannot be read ({}); moved it to {}, the instance is not loaded",
                    file.getFileName(), firstLine(problem), aside);
        } catch (IOException e) {
            LOG.warn("instance file {} cannot be read ({}) nor moved aside ({}); the instance is not loaded",
                    file.getFileName(), firstLine(problem), e.toString());
        }
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }

    private Path fileOf(String id) {
        return directory.resolve(id + SUFFIX);
    }
}
