package dev.bulwark.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ConfigException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeBudgetTest {

    @Test
    void budgetSplitsThirtySeventy() {
        TimeBudget budget = TimeBudget.split(Duration.ofSeconds(30));

        assertThat(budget.initialization()).isEqualTo(Duration.ofSeconds(9));
        assertThat(budget.execution()).isEqualTo(Duration.ofSeconds(21));
        assertThat(TimeBudget.split(Duration.ofMillis(1001)).total()).isEqualTo(Duration.ofMillis(1001));
        assertThatThrownBy(() -> TimeBudget.split(Duration.ofSeconds(1), 1.5)).isInstanceOf(ConfigException.class)
                .hasMessage("time budget: initializationShare must be in [0.0, 1.0], was 1.5");
    }
}
