package dev.chaperone.server.instance;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.chaperone.server.chain.ChainCompiler;
import dev.chaperone.server.chain.ChainEntry;
import dev.chaperone.server.chain.ChainValidationException;
import dev.chaperone.server.chain.CompiledChain;
import dev.chaperone.server.secret.SecretCipher;
import dev.chaperone.server.store.InstanceRecord;
import dev.chaperone.server.store.InstanceStore;
import dev.chaperone.server.store.SealedSecret;
import dev.chaperone.spi.Filter;

/**
 * The one place where instances change: every change is validated, made durable in the {@link InstanceStore}
 * and only then swapped into the {@link InstanceRegistry} that the proxy reads, so the proxy never runs a
 * chain that was not stored and a stored change is in force for the next request.
 *
 * <p>Changes to one instance are serialized by a lock per instance (striped), changes to different
 * instances run in parallel; reads never wait. A swapped-out chain keeps serving the requests that started
 * on it and is closed after them.
 */
public final class InstanceService {

    /** The largest page {@link #list} returns. */
    public static final int MAX_PAGE = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(InstanceService.class);
    private static final int LOCK_STRIPES = 64;

    private final InstanceStore store;
    private final ChainCompiler compiler;
    private final InstanceRegistry registry;
    private final SecretCipher cipher;
    private final Clock clock;
    private final ConcurrentMap<String, Current> instances = new ConcurrentHashMap<>();
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    /** The stored state of one instance and, when its chain no longer compiles, why. */
    private record Current(InstanceRecord record, Optional<String> chainProblem) {
    }

    /**
     * The result of {@link #put}.
     *
     * @param created whether the instance is new
     * @param instance the instance after the change
     * @param token the new proxy token, present only when the instance was created
     */
    public record PutResult(boolean created, InstanceView instance, Optional<String> token) {
    }

    /**
     * A proxy token that was just issued; the only time it is ever shown.
     *
     * @param instance the instance after the change
     * @param token the new proxy token
     */
    public record IssuedToken(InstanceView instance, String token) {
    }

    /**
     * The result of {@link #putSecret}.
     *
     * @param created whether the instance had no secret of this name before
     * @param instance the instance after the change
     */
    public record SecretResult(boolean created, InstanceView instance) {
    }

    /**
     * One page of {@link #list}.
     *
     * @param instances the instances, ordered by id
     * @param next the id to pass as {@code after} for the next page, or empty on the last page
     */
    public record Page(List<InstanceView> instances, Optional<String> next) {
    }

    public InstanceService(InstanceStore store, ChainCompiler compiler, InstanceRegistry registry,
            SecretCipher cipher, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.compiler = Objects.requireNonNull(compiler, "compiler");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.cipher = Objects.requireNonNull(cipher, "cipher");
        this.clock = Objects.requireNonNull(clock, "clock");
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /**
     * Loads and compiles every stored instance into the registry, and follows changes the store reports
     * from then on. An instance whose chain no longer compiles (its plugin is gone, say) is kept and
     * denies all traffic until its chain is set again; a WARN line says why.
     *
     * @return how many instances were loaded
     */
    public int start() {
        long started = System.nanoTime();
        // Compiling is independent per instance and dominates a large start-up, so it runs on every core.
        long denied = store.loadAll().parallelStream()
                .filter(record -> {
                    ReentrantLock lock = lock(record.id());
                    lock.lock();
                    try {
                        return activateStored(record).chainProblem().isPresent();
                    } finally {
                        lock.unlock();
                    }
                })
                .count();
        store.addListener(this::reload);
        LOG.info("loaded {} instances in {} ms ({} deny all traffic because their chain no longer compiles)",
                instances.size(), (System.nanoTime() - started) / 1_000_000, denied);
        return instances.size();
    }

    /**
     * Creates an instance or replaces its chain, keeping its token and secrets.
     *
     * @throws ChainValidationException when an entry does not compile; nothing was changed
     * @throws UnsafeSecretException when the chain would write a secret holding CR, LF or NUL into a header
     * @throws PreconditionFailedException when {@code precondition} is not met
     * @throws dev.chaperone.server.store.StoreException when the change could not be stored
     */
    public PutResult put(String id, List<ChainEntry> chain, Precondition precondition)
            throws ChainValidationException {
        checkId(id);
        Objects.requireNonNull(chain, "chain");
        ReentrantLock lock = lock(id);
        lock.lock();
        try {
            Current current = instances.get(id);
            check(id, current, precondition);
            CompiledChain compiled = compiler.compile(id, chain);
            try {
                Instant now = clock.instant();
                InstanceRecord record;
                String token = null;
                if (current == null) {
                    token = ProxyToken.generate();
                    record = new InstanceRecord(id, ProxyToken.hash(token), chain, nextVersion(null), now, now,
                            Map.of());
                } else {
                    record = current.record().withChain(chain, nextVersion(current), now);
                }
                checkHeaderSecrets(record, compiled);
                store.put(record);
                activate(record, compiled, Optional.empty());
                return new PutResult(current == null, view(instances.get(id)), Optional.ofNullable(token));
            } catch (RuntimeException e) {
                compiled.retire();
                throw e;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes an instance; its token stops working at once.
     *
     * @throws InstanceNotFoundException when there is no such instance
     * @throws PreconditionFailedException when {@code precondition} is not met
     */
    public void delete(String id, Precondition precondition) {
        ReentrantLock lock = lock(id);
        lock.lock();
        try {
            Current current = existing(id);
            check(id, current, precondition);
            store.delete(id);
            instances.remove(id);
            registry.remove(id);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Gives an instance a new proxy token; the old one stops working at once.
     *
     * @throws InstanceNotFoundException when there is no such instance
     */
    public IssuedToken rotateToken(String id) {
        ReentrantLock lock = lock(id);
        lock.lock();
        try {
            Current current = existing(id);
            String token = ProxyToken.generate();
            InstanceRecord record = current.record().withTokenHash(ProxyToken.hash(token), nextVersion(current),
                    clock.instant());
            store.put(record);
            swapRecord(record, current.chainProblem());
            return new IssuedToken(view(instances.get(id)), token);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets a secret; the next request that looks it up sees the new value.
     *
     * @throws InstanceNotFoundException when there is no such instance
     * @throws UnsafeSecretException when the value holds CR, LF or NUL and the chain writes it into a header
     * @throws IllegalArgumentException when the name is not {@code [A-Za-z0-9._-]{1,128}}
     */
    public SecretResult putSecret(String id, String name, String value) {
        checkSecretName(name);
        Objects.requireNonNull(value, "value");
        ReentrantLock lock = lock(id);
        lock.lock();
        try {
            Current current = existing(id);
            if (isUnsafeInHeader(value)) {
                CompiledChain chain = registry.get(id).orElseThrow().chain();
                int entry = firstEntryWritingHeader(chain, name);
                if (entry >= 0) {
                    throw new UnsafeSecretException(name, entry, chain.pluginAt(entry));
                }
            }
            Instant now = clock.instant();
            long version = nextVersion(current);
            SealedSecret secret = new SealedSecret(cipher.seal(id, name, value), now);
            boolean created = !current.record().secrets().containsKey(name);
            store.putSecret(id, name, secret, version, now);
            swapRecord(current.record().withSecret(name, secret, version, now), current.chainProblem());
            return new SecretResult(created, view(instances.get(id)));
        } finally {
            lock.unlock();
        }
    }

    /**
     * Deletes a secret.
     *
     * @throws InstanceNotFoundException when there is no such instance or secret
     */
    public InstanceView deleteSecret(String id, String name) {
        ReentrantLock lock = lock(id);
        lock.lock();
        try {
            Current current = existing(id);
            if (!current.record().secrets().containsKey(name)) {
                throw new InstanceNotFoundException("instance " + id + " has no secret named '" + name + "'");
            }
            Instant now = clock.instant();
            long version = nextVersion(current);
            store.deleteSecret(id, name, version, now);
            swapRecord(current.record().withoutSecret(name, version, now), current.chainProblem());
            return view(instances.get(id));
        } finally {
            lock.unlock();
        }
    }

    public Optional<InstanceView> get(String id) {
        Current current = id == null ? null : instances.get(id);
        return current == null ? Optional.empty() : Optional.of(view(current));
    }

    /**
     * Instances ordered by id.
     *
     * @param after list only ids after this one, or {@code null} to start at the beginning
     * @param limit the page size, 1 to {@link #MAX_PAGE}
     */
    public Page list(String after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_PAGE);
        }
        List<String> ids = new ArrayList<>(instances.keySet());
        ids.sort(Comparator.naturalOrder());
        List<InstanceView> page = new ArrayList<>();
        String last = null;
        for (String id : ids) {
            if (after != null && id.compareTo(after) <= 0) {
                continue;
            }
            if (page.size() == limit) {
                return new Page(page, Optional.of(last));
            }
            Current current = instances.get(id);
            if (current != null) {
                page.add(view(current));
                last = id;
            }
        }
        return new Page(page, Optional.empty());
    }

    /** How many instances there are. */
    public int size() {
        return instances.size();
    }

    /** Reloads one instance after the store reported that someone else changed it. */
    private void reload(String id) {
        ReentrantLock lock = lock(id);
        lock.lock();
        try {
            Optional<InstanceRecord> stored = store.load(id);
            Current current = instances.get(id);
            if (stored.isEmpty()) {
                instances.remove(id);
                registry.remove(id);
            } else if (current == null || current.record().version() != stored.get().version()) {
                activateStored(stored.get());
            }
        } finally {
            lock.unlock();
        }
    }

    /** Compiles a stored record into the registry; a chain that fails is kept but replaced by a deny-all one. */
    private Current activateStored(InstanceRecord record) {
        if (!InstanceRegistry.isValidId(record.id())) {
            LOG.warn("stored instance '{}' has an invalid id and is not loaded", record.id());
            return new Current(record, Optional.of("invalid id"));
        }
        CompiledChain compiled;
        Optional<String> problem = Optional.empty();
        try {
            compiled = compiler.compile(record.id(), record.chain());
            try {
                checkHeaderSecrets(record, compiled);
            } catch (RuntimeException e) {
                compiled.retire();
                throw e;
            }
        } catch (ChainValidationException e) {
            problem = Optional.of("entry " + e.index() + " (" + e.plugin() + ")"
                    + (e.field().isEmpty() ? "" : " field " + e.field()) + ": " + e.getMessage());
            compiled = CompiledChain.empty();
        } catch (RuntimeException e) {
            problem = Optional.of(e.getMessage());
            compiled = CompiledChain.empty();
        }
        problem.ifPresent(why -> LOG.warn("instance {} denies all traffic: its stored chain does not compile: {};"
                + " set its chain again to fix it", record.id(), why));
        activate(record, compiled, problem);
        return instances.get(record.id());
    }

    private void activate(InstanceRecord record, CompiledChain chain, Optional<String> chainProblem) {
        instances.put(record.id(), new Current(record, chainProblem));
        registry.put(new Instance(record.id(), record.tokenHash(), chain, lookup(record), record.version()));
    }

    /** Swaps in a changed record whose chain did not change. */
    private void swapRecord(InstanceRecord record, Optional<String> chainProblem) {
        CompiledChain chain = registry.get(record.id()).orElseThrow().chain();
        activate(record, chain, chainProblem);
    }

    private SealedSecretLookup lookup(InstanceRecord record) {
        return new SealedSecretLookup(record.id(), record.secrets(), cipher);
    }

    private void checkHeaderSecrets(InstanceRecord record, CompiledChain chain) {
        for (String name : chain.headerSecrets()) {
            SealedSecret secret = record.secrets().get(name);
            if (secret != null && isUnsafeInHeader(cipher.open(record.id(), name, secret.sealed()))) {
                int entry = firstEntryWritingHeader(chain, name);
                throw new UnsafeSecretException(name, entry, chain.pluginAt(entry));
            }
        }
    }

    private static int firstEntryWritingHeader(CompiledChain chain, String secret) {
        List<Filter> filters = chain.filters();
        for (int i = 0; i < filters.size(); i++) {
            if (filters.get(i).headerSecrets().contains(secret)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isUnsafeInHeader(String value) {
        return value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\0') >= 0;
    }

    /**
     * The version after a change: at least one more than before and at least the current time in millis, so
     * that an instance deleted and created again never reuses a version (and an old ETag never matches).
     */
    private long nextVersion(Current current) {
        long previous = current == null ? 0 : current.record().version();
        return Math.max(previous + 1, clock.millis());
    }

    private Current existing(String id) {
        Current current = id == null ? null : instances.get(id);
        if (current == null) {
            throw new InstanceNotFoundException("no instance " + id);
        }
        return current;
    }

    private static void check(String id, Current current, Precondition precondition) {
        Long version = current == null ? null : current.record().version();
        if (!precondition.isMetBy(version)) {
            throw new PreconditionFailedException(current == null ? "instance " + id + " does not exist"
                    : "instance " + id + " is at version " + version);
        }
    }

    private static void checkId(String id) {
        if (!InstanceRegistry.isValidId(id)) {
            throw new IllegalArgumentException("instance id must match [A-Za-z0-9._-]{1,128}");
        }
    }

    private static void checkSecretName(String name) {
        if (!InstanceRegistry.isValidId(name)) {
            throw new IllegalArgumentException("secret name must match [A-Za-z0-9._-]{1,128}");
        }
    }

    private static InstanceView view(Current current) {
        InstanceRecord record = current.record();
        Map<String, Instant> secrets = new TreeMap<>();
        record.secrets().forEach((name, secret) -> secrets.put(name, secret.changedAt()));
        return new InstanceView(record.id(), record.version(), record.createdAt(), record.updatedAt(),
                record.chain(), secrets, current.chainProblem());
    }

    private ReentrantLock lock(String id) {
        Objects.requireNonNull(id, "id");
        return locks[Math.floorMod(id.hashCode(), LOCK_STRIPES)];
    }
}
