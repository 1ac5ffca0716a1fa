package dev.bulwark.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.failover.FailoverGroup;
import dev.bulwark.reconcile.Reconciler;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicaSectionsTest {
    private static final String ADAPTERS = """
            adapters:
              - name: prices
                url: http://127.0.0.1:9100/fast
            """;

    private static GatewayConfig parse(String yaml) {
        return GatewayConfigLoader.parse("g.yaml", ADAPTERS + yaml);
    }

    @Test
    void withoutTheBlocksNothingIsStoredAndTheDefaultsApply() {
        ReplicaSettings replica = parse("").replica();
        assertThat(replica.storage()).isNull();
        assertThat(replica.failoverGroups()).isEmpty();
        Reconciler.Config series = replica.series();
        assertThat(series.retentionWindow()).isEqualTo(Duration.ofSeconds(300));
        assertThat(series.tolerance()).isEqualTo(0.005);
        assertThat(series.gapDetectionThreshold()).isEqualTo(Duration.ofSeconds(600));
        assertThat(series.interpolationMaxGap()).isEqualTo(Duration.ofSeconds(1800));
        assertThat(series.interval()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void storageIsEmbeddedInTheDataDirectoryUnlessAJdbcUrlIsGiven() {
        assertThat(parse("storage: {}\n").replica().storage())
                .isEqualTo(new ReplicaSettings.Storage(Path.of("data"), null, "", ""));
        ReplicaSettings.Storage postgres = parse("""
                storage:
                  jdbc_url: jdbc:postgresql://db:5432/bulwark
                  user: gw
                  password: s3cret
                """).replica().storage();
        assertThat(postgres.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/bulwark");
        assertThat(postgres.toString()).doesNotContain("s3cret");
    }

    @Test
    void aJdbcUrlOfAnotherDatabaseFailsWithFileLineFieldAndValue() {
        assertThatThrownBy(() -> parse("storage:\n  jdbc_url: jdbc:mysql://db/x?password=pw\n"))
                .isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:5: storage.jdbc_url must be a JDBC URL starting with jdbc:postgresql: or jdbc:h2:, "
                        + "was jdbc:mysql://db/x?password=***");
    }

    @Test
    void seriesKeysAreTheReconcilersSettingsWithItsRanges() {
        Reconciler.Config series = parse("""
                series:
                  retention_window: 120s
                  tolerance: 0.01
                  gap_detection_threshold: 5m
                  interpolation_max_gap: 15m
                  min_value: 0
                  max_value: 10
                """).replica().series();
        assertThat(series.retentionWindow()).isEqualTo(Duration.ofSeconds(120));
        assertThat(series.tolerance()).isEqualTo(0.01);
        assertThat(series.interpolationMaxGap()).isEqualTo(Duration.ofMinutes(15));
        assertThat(series.maxValue()).isEqualTo(10.0);

        assertThatThrownBy(() -> parse("series:\n  tolerance: 1.5\n")).isInstanceOf(ConfigFileException.class)
                .hasMessage("g.yaml:5: series.tolerance must be in [0.0, 1.0], was 1.5");
        assertThatThrownBy(() -> parse("series:\n  gap_detection_threshold: 10m\n  interpolation_max_gap: 5m\n"))
                .isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith("g.yaml:6: series.interpolation_max_gap must be >= gapDetectionThreshold");
        assertThatThrownBy(() -> parse("series:\n  min_value: 5\n  max_value: 1\n"))
                .hasMessage("g.yaml:6: series.max_value must be >= min_value (5.0), was 1.0");
        assertThatThrownBy(() -> parse("series:\n  tolerence: 0.1\n")).hasMessageContaining("did you mean 'tolerance'");
    }

    @Test
    void aFailoverGroupRoutesAnAdapterFromItsUrlToItsStandbys() {
        ReplicaSettings.FailoverGroupSettings group = parse("""
                failover_groups:
                  - name: prices-group
                    adapter: prices
                    standbys: [http://127.0.0.1:9200/fast, http://127.0.0.1:9300/fast]
                    mode: manual
                    termination_grace_period: 60s
                """).replica().failoverGroups().get(0);
        assertThat(group.primary()).isEqualTo(URI.create("http://127.0.0.1:9100/fast"));
        assertThat(group.standbys()).containsExactly(URI.create("http://127.0.0.1:9200/fast"), URI.create("http://127.0.0.1:9300/fast"));
        assertThat(group.mode()).isEqualTo(FailoverGroup.ControlMode.MANUAL);
        assertThat(group.group().riskThreshold()).isEqualTo(0.30);
        assertThat(group.group().terminationGracePeriod()).isEqualTo(Duration.ofSeconds(60));
        assertThat(parse("failover_groups:\n  - {name: g, adapter: prices, standbys: [http://h:1/x]}\n")
                .replica().failoverGroups().get(0).mode()).isEqualTo(FailoverGroup.ControlMode.AUTO);
    }

    @Test
    void invalidGroupValuesFailWithFileLineFieldValueAndRange() {
        List.of(
                new String[] {"  - {name: g, adapter: prices, standbys: [http://h:1/x], risk_threshold: 1.3}\n",
                        "g.yaml:5: failover_groups[0].risk_threshold must be in [0.0, 1.0], was 1.3"},
                new String[] {"  - {name: g, adapter: prices, standbys: [http://h:1/x], mode: sometimes}\n",
                        "g.yaml:5: failover_groups[0].mode must be one of auto, manual, off, was sometimes"},
                new String[] {"  - {name: g, adapter: nope, standbys: [http://h:1/x]}\n",
                        "g.yaml:5: failover_groups[0].adapter must name a configured adapter, was 'nope'; known: [prices]"},
                new String[] {"  - {name: g, adapter: prices, standbys: [ftp://h/x]}\n",
                        "g.yaml:5: failover_groups[0].standbys must list http(s) URLs, was ftp://h/x"},
                new String[] {"  - {name: g, adapter: prices, standbys: []}\n",
                        "g.yaml:5: failover_groups[0].standbys must list at least one standby URL, was []"},
                new String[] {"  - {name: g, adapter: prices, standbys: [http://h:1/x], termination_grace_period: 0s}\n",
                        "g.yaml:5: failover_groups[0].termination_grace_period must be a positive duration, was PT0S"})
                .forEach(c -> assertThatThrownBy(() -> parse("failover_groups:\n" + c[0]))
                        .isInstanceOf(ConfigFileException.class).hasMessage(c[1]));
    }
}
