package dev.bulwark.yaml;

import dev.bulwark.failover.FailoverGroup;
import dev.bulwark.reconcile.ReconcileSink;
import dev.bulwark.reconcile.Reconciler;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's {@code storage:}, {@code series:} and {@code failover_groups:} blocks, validated.
 *
 * @param storage where series points, failover records and the admin audit are stored; null without a {@code storage:}
 *        block (the series and failover-record endpoints then say that nothing is stored)
 * @param series the reconciliation settings of every series ({@code retention_window} 300 s, {@code tolerance} 0.005,
 *        {@code gap_detection_threshold} 600 s, {@code interpolation_max_gap} 1800 s, {@code interval} 300 s,
 *        {@code max_future_skew} 300 s, {@code min_value}/{@code max_value} unbounded); its sink is a placeholder, the
 *        gateway delivers to its own
 * @param failoverGroups the adapters that are failover groups, in file order
 */
public record ReplicaSettings(@Nullable Storage storage, Reconciler.Config series, List<FailoverGroupSettings> failoverGroups) {

    /** Copies the list. */
    public ReplicaSettings {
        Objects.requireNonNull(series, "series");
        failoverGroups = List.copyOf(failoverGroups);
    }

    /** No storage, the default series settings, no failover groups. */
    public static ReplicaSettings none() {
        return new ReplicaSettings(null, Reconciler.builder(PLACEHOLDER_SINK).buildConfig(), List.of());
    }

    /** This with another storage block (e.g. a test's data directory or database). */
    public ReplicaSettings withStorage(@Nullable Storage other) {
        return new ReplicaSettings(other, series, failoverGroups);
    }

    /** This with other series settings (e.g. a test's clock). */
    public ReplicaSettings withSeries(Reconciler.Config other) {
        return new ReplicaSettings(storage, other, failoverGroups);
    }

    /** This with other failover groups. */
    public ReplicaSettings withFailoverGroups(List<FailoverGroupSettings> other) {
        return new ReplicaSettings(storage, series, other);
    }

    /** Where {@link #series()} delivers: nowhere; the gateway builds its reconcilers with a sink of its own. */
    static final ReconcileSink PLACEHOLDER_SINK = point -> {
    };

    /**
     * The {@code storage:} block: an embedded H2 database in {@code data_directory} (default {@code data}), or the
     * database at {@code jdbc_url} ({@code jdbc:postgresql:} or {@code jdbc:h2:}) with {@code user} and
     * {@code password}.
     *
     * @param dataDirectory where the embedded database lives
     * @param jdbcUrl the database to use instead, or null for the embedded one
     * @param user the database user
     * @param password its password
     */
    public record Storage(Path dataDirectory, @Nullable String jdbcUrl, String user, String password) {
        /** Requires the directory, user and password. */
        public Storage {
            Objects.requireNonNull(dataDirectory, "dataDirectory");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        /** Leaves the password out. */
        @Override
        public String toString() {
            return "Storage[dataDirectory=" + dataDirectory + ", jdbcUrl=" + (jdbcUrl == null ? "embedded"
                    : jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***")) + ", user=" + user + ", password="
                    + (password.isEmpty() ? "none" : "***") + "]";
        }
    }

    /**
     * One {@code failover_groups:} entry: the calls of {@code adapter} go to its group's current target, first the
     * adapter's own {@code url} (the primary), then a promoted standby.
     *
     * @param name the group's name
     * @param adapter the adapter whose calls it routes
     * @param primary the adapter's url
     * @param standbys the URLs standbys are taken from, in order, at least one
     * @param mode who decides: {@code auto} (default), {@code manual} or {@code off}
     * @param healthPath appended to a target's URL to check it: a standby is ready when it answers below 500
     * @param readyTimeout how long a standby may take to become ready before it is given up (default 30 s)
     * @param group the group's settings ({@code risk_threshold} 0.30, {@code termination_grace_period} 120 s,
     *        {@code history_size} 100); its provisioner is a placeholder, the gateway supplies its own
     */
    public record FailoverGroupSettings(String name, String adapter, URI primary, List<URI> standbys,
                                        FailoverGroup.ControlMode mode, String healthPath, Duration readyTimeout,
                                        FailoverGroup.Config<URI> group) {
        /** Copies the standbys. */
        public FailoverGroupSettings {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(adapter, "adapter");
            Objects.requireNonNull(primary, "primary");
            standbys = List.copyOf(standbys);
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(healthPath, "healthPath");
            Objects.requireNonNull(readyTimeout, "readyTimeout");
            Objects.requireNonNull(group, "group");
        }
    }
}
