package dev.chaperone.server.audit;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The audit log: one JSON line per request and per admin change in {@code audit.log}, rotated by size into
 * {@code audit.log.1} (the newest) to {@code audit.log.N}.
 *
 * <p>Callers never wait for the disk: events go into a bounded queue that one background thread writes
 * out. When the queue is full the event is dropped and counted, and a WARN line reports the drops at most
 * once a minute, because a slow disk must not slow down or stop the proxy.
 *
 * <p>A line holds only the fields of an {@link ExchangeRecord}, which carries no header value and no query
 * string, so nothing a filter injected and no credential reaches the log.
 */
public final class AuditLog implements ProxyListener, AutoCloseable {

    /** The name of the current log file inside the log directory. */
    public static final String FILE_NAME = "audit.log";

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
    private static final Duration WARN_INTERVAL = Duration.ofMinutes(1);
    private static final int DEFAULT_QUEUE_CAPACITY = 8192;
    /** How long the writer waits after writing a batch before it takes the next one. */
    private static final long BATCH_PAUSE_MILLIS = 10;
    private static final Object STOP = new Object();

    private final Path directory;
    private final Path file;
    private final long maxFileSize;
    private final int maxFiles;
    private final Clock clock;
    private final BlockingQueue<Object> queue;
    private final JsonFactory json = new JsonFactory();
    private final AtomicLong dropped = new AtomicLong();
    private final Thread writer;

    private OutputStream out;
    private long size;
    /** Only the writer thread uses it. */
    private final ByteArrayOutputStream lineBuffer = new ByteArrayOutputStream(512);
    private long droppedReported;
    private Instant lastDropWarning = Instant.MIN;
    private Instant lastWriteWarning = Instant.MIN;
    private volatile boolean closed;

    /**
     * Opens (or continues) {@code audit.log} in {@code directory}, creating the directory, and starts the
     * writer thread.
     *
     * @param directory the log directory ({@code chaperone.log.dir})
     * @param maxFileSize the size in bytes after which the file is rotated
     * @param maxFiles how many rotated files are kept
     * @throws IOException when the directory or file cannot be created
     */
    public AuditLog(Path directory, long maxFileSize, int maxFiles) throws IOException {
        this(directory, maxFileSize, maxFiles, DEFAULT_QUEUE_CAPACITY, Clock.systemUTC());
    }

    AuditLog(Path directory, long maxFileSize, int maxFiles, int queueCapacity, Clock clock) throws IOException {
        if (maxFileSize < 1 || maxFiles < 1) {
            throw new IllegalArgumentException("rotation needs a positive size and file count");
        }
        this.directory = Files.createDirectories(directory);
        this.file = directory.resolve(FILE_NAME);
        this.maxFileSize = maxFileSize;
        this.maxFiles = maxFiles;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        open();
        this.writer = new Thread(this::writeLoop, "chaperone-audit-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /** Records one request or refused tunnel. Never blocks; drops the event when the queue is full. */
    @Override
    public void onExchange(ExchangeRecord record) {
        enqueue(Objects.requireNonNull(record, "record"));
    }

    /**
     * Records a change made through the admin API. Names the fields that changed, never their values.
     *
     * @param actor who made the change, such as {@code admin-token}
     * @param action what was done, such as {@code instance.put} or {@code secret.delete}
     * @param instanceId the instance changed, or {@code null} for a change not tied to one
     * @param fields the names of what changed (secret names, {@code chain}, {@code token}); never values
     */
    public void adminChange(String actor, String action, String instanceId, List<String> fields) {
        enqueue(new AdminChange(clock.instant(), Objects.requireNonNull(actor, "actor"),
                Objects.requireNonNull(action, "action"), instanceId, List.copyOf(fields)));
    }

    /** How many events were dropped because the queue was full, since the log was opened. */
    public long droppedEvents() {
        return dropped.get();
    }

    /**
     * Writes out what is queued, stops the writer thread and closes the file. Events recorded afterwards
     * are dropped.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            queue.put(STOP);
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void enqueue(Object event) {
        if (closed || !queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    private void writeLoop() {
        List<Object> batch = new ArrayList<>();
        boolean running = true;
        while (running) {
            try {
                Object first = queue.poll(1, TimeUnit.SECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch);
                }
            } catch (InterruptedException e) {
                running = false;
            }
            for (Object event : batch) {
                if (event == STOP) {
                    running = false;
                } else {
                    write(event);
                }
            }
            boolean wrote = !batch.isEmpty();
            batch.clear();
            flush();
            reportDrops();
            if (running && wrote) {
                // Waking this thread for every event would cost a context switch per request; pausing
                // after each write lets events gather and costs them at most this much delay.
                try {
                    Thread.sleep(BATCH_PAUSE_MILLIS);
                } catch (InterruptedException e) {
                    running = false;
                }
            }
        }
        closeFile();
    }

    private void write(Object event) {
        try {
            ByteArrayOutputStream line = toJsonLine(event);
            if (size > 0 && size + line.size() > maxFileSize) {
                rotate();
            }
            line.writeTo(out);
            size += line.size();
        } catch (IOException e) {
            warnWriteFailure(e);
        }
    }

    /**
     * Shifts {@code audit.log.i} to {@code audit.log.i+1}, dropping the oldest, and starts a new
     * {@code audit.log}.
     */
    private void rotate() throws IOException {
        closeFile();
        Files.deleteIfExists(rotated(maxFiles));
        for (int i = maxFiles - 1; i >= 1; i--) {
            if (Files.exists(rotated(i))) {
                Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        open();
    }

    private Path rotated(int index) {
        return directory.resolve(FILE_NAME + "." + index);
    }

    private void open() throws IOException {
        out = new BufferedOutputStream(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE));
        size = Files.size(file);
    }

    private void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            warnWriteFailure(e);
        }
    }

    private void closeFile() {
        try {
            out.close();
        } catch (IOException e) {
            warnWriteFailure(e);
        }
    }

    private void reportDrops() {
        long total = dropped.get();
        Instant now = clock.instant();
        if (total > droppedReported && !now.isBefore(lastDropWarning.plus(WARN_INTERVAL))) {
            LOG.warn("audit log queue full: {} events were not written (disk too slow?)", total - droppedReported);
            droppedReported = total;
            lastDropWarning = now;
        }
    }

    private void warnWriteFailure(IOException e) {
        Instant now = clock.instant();
        if (!now.isBefore(lastWriteWarning.plus(WARN_INTERVAL))) {
            LOG.warn("audit log {} cannot be written: {}", file, e.toString());
            lastWriteWarning = now;
        }
    }

    /** The event as one JSON line in {@link #lineBuffer}, which the next call reuses. */
    private ByteArrayOutputStream toJsonLine(Object event) throws IOException {
        ByteArrayOutputStream buffer = lineBuffer;
        buffer.reset();
        try (JsonGenerator generator = json.createGenerator(buffer, JsonEncoding.UTF8)) {
            if (event instanceof ExchangeRecord record) {
                writeExchange(generator, record);
            } else {
                writeAdminChange(generator, (AdminChange) event);
            }
        }
        buffer.write('\n');
        return buffer;
    }

    private static void writeExchange(JsonGenerator out, ExchangeRecord record) throws IOException {
        out.writeStartObject();
        out.writeStringField("time", record.time() == null ? null : record.time().toString());
        out.writeStringField("instance", record.instanceId());
        out.writeStringField("request_id", record.requestId());
        out.writeStringField("method", record.method());
        out.writeStringField("scheme", record.scheme());
        out.writeStringField("host", record.host());
        out.writeNumberField("port", record.port());
        out.writeStringField("path", withoutQuery(record.path()));
        out.writeStringField("decision", record.decision());
        out.writeStringField("filter", record.filter());
        out.writeStringField("reason", record.reason());
        out.writeStringField("rule", record.rule());
        out.writeNumberField("status", record.status());
        out.writeNumberField("bytes_up", record.bytesUp());
        out.writeNumberField("bytes_down", record.bytesDown());
        out.writeNumberField("duration_ms", record.duration() == null ? 0 : record.duration().toMillis());
        out.writeStringField("upstream", record.upstreamAddress());
        out.writeStringField("protocol", record.protocol());
        out.writeEndObject();
    }

    private static void writeAdminChange(JsonGenerator out, AdminChange change) throws IOException {
        out.writeStartObject();
        out.writeStringField("time", change.time().toString());
        out.writeStringField("event", "admin");
        out.writeStringField("actor", change.actor());
        out.writeStringField("action", change.action());
        out.writeStringField("instance", change.instanceId());
        out.writeArrayFieldStart("fields");
        for (String field : change.fields()) {
            out.writeString(field);
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    /** The record promises a path without query; this keeps the promise even when a caller breaks it. */
    private static String withoutQuery(String path) {
        if (path == null) {
            return null;
        }
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    private record AdminChange(Instant time, String actor, String action, String instanceId, List<String> fields) {
    }
}
