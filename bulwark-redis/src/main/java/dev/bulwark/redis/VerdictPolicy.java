package dev.bulwark.redis;

/**
 * Whose verdict opens a breaker on the other instances. An instance's own breaker always decides for itself (local
 * first); the policy only decides when the <em>peers</em> adopt its OPEN verdict.
 * <ul>
 *   <li>{@link #anyInstance()}: one instance opening is adopted by all (fastest; one sick instance, e.g. with a broken
 *       network path of its own, opens the breaker everywhere).</li>
 *   <li>{@link #quorum(int)}: peers adopt OPEN only while at least {@code n} instances hold an own OPEN verdict, so a
 *       single sick instance cannot poison the others.</li>
 * </ul>
 * Independently of the policy, the cluster-wide failure rate (every instance's outcomes summed over the window) opens
 * every instance when it crosses the breaker's threshold: that verdict is the cluster's, not one instance's.
 */
public sealed interface VerdictPolicy {

    /** One instance's OPEN verdict is adopted by every instance. */
    static VerdictPolicy anyInstance() {
        return AnyInstance.INSTANCE;
    }

    /**
     * Peers adopt OPEN while at least {@code instances} instances hold their own OPEN verdict.
     *
     * @throws IllegalArgumentException if {@code instances < 1}
     */
    static VerdictPolicy quorum(int instances) {
        return new Quorum(instances);
    }

    /** How many instances' own OPEN verdicts make the peers adopt OPEN. */
    int votesNeeded();

    /** One verdict is enough. */
    enum AnyInstance implements VerdictPolicy {
        /** The only value. */
        INSTANCE;

        @Override
        public int votesNeeded() {
            return 1;
        }

        @Override
        public String toString() {
            return "ANY_INSTANCE";
        }
    }

    /**
     * At least {@code instances} own verdicts are needed.
     *
     * @param instances votes needed, {@code >= 1}
     */
    record Quorum(int instances) implements VerdictPolicy {
        /** Checks the count. */
        public Quorum {
            if (instances < 1) {
                throw new IllegalArgumentException("verdictPolicy: quorum must be >= 1, was " + instances);
            }
        }

        @Override
        public int votesNeeded() {
            return instances;
        }

        @Override
        public String toString() {
            return "QUORUM(" + instances + ")";
        }
    }
}
