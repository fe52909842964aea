package dev.chaperone.server.instance;

import java.util.Objects;

/**
 * What a change expects of the instance's current state, so that concurrent writers do not overwrite each
 * other unknowingly (HTTP's {@code If-Match} and {@code If-None-Match}).
 */
public sealed interface Precondition {

    /** No expectation. */
    Precondition NONE = new None();

    /** The instance must exist ({@code If-Match: *}). */
    Precondition EXISTS = new Exists();

    /** The instance must not exist ({@code If-None-Match: *}). */
    Precondition ABSENT = new Absent();

    /** The instance must exist at exactly this version. */
    static Precondition version(long version) {
        return new AtVersion(version);
    }

    /** Whether the instance's state (its version, or {@code null} when it does not exist) meets this. */
    boolean isMetBy(Long currentVersion);

    /** See {@link #NONE}. */
    record None() implements Precondition {
        @Override
        public boolean isMetBy(Long currentVersion) {
            return true;
        }
    }

    /** See {@link #EXISTS}. */
    record Exists() implements Precondition {
        @Override
        public boolean isMetBy(Long currentVersion) {
            return currentVersion != null;
        }
    }

    /** See {@link #ABSENT}. */
    record Absent() implements Precondition {
        @Override
        public boolean isMetBy(Long currentVersion) {
            return currentVersion == null;
        }
    }

    /** See {@link #version(long)}. */
    record AtVersion(long version) implements Precondition {
        @Override
        public boolean isMetBy(Long currentVersion) {
            return Objects.equals(currentVersion, version);
        }
    }
}
