package dev.bulwark.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.core.io.support.SpringFactoriesLoader;

class SpringBootVersionCheckTest {

    @Test
    void springBoot4StopsTheStartupWithAReportNamingBothVersions() {
        Throwable refused = catchThrowable(() -> SpringBootVersionCheck.check("4.0.0"));
        // the analyzer finds it however deep Spring wrapped it
        FailureAnalysis analysis = Objects.requireNonNull(
                new BulwarkFailureAnalyzer().analyze(new BeanCreationException("bulwark", "wrapped", refused)));

        assertThat(analysis.getDescription()).isEqualTo("Bulwark's starter supports Spring Boot 3.x (built for 3.5), "
                + "this application runs Spring Boot 4.0.0.");
        assertThat(analysis.getAction()).isEqualTo("Run the application on Spring Boot 3.5.x, or leave out "
                + "bulwark-spring-boot-starter until a Bulwark release supports Spring Boot 4.");
        assertThat(analysis.getCause()).isSameAs(refused);
    }

    @Test
    void milestonesAndLaterGenerationsAreRefusedToo() {
        assertThat(catchThrowable(() -> SpringBootVersionCheck.check("4.0.0-M3"))).hasMessageEndingWith("runs Spring Boot 4.0.0-M3");
        assertThat(catchThrowable(() -> SpringBootVersionCheck.check("2.7.18"))).hasMessageEndingWith("runs Spring Boot 2.7.18");
    }

    @Test
    void springBoot3AndAnUnknownVersionPass() {
        assertThatCode(() -> SpringBootVersionCheck.check("3.5.7")).doesNotThrowAnyException();
        assertThatCode(() -> SpringBootVersionCheck.check("3.4.0")).doesNotThrowAnyException();
        assertThatCode(() -> SpringBootVersionCheck.check(null)).doesNotThrowAnyException();
        // the Boot this build runs on
        assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");
        assertThatCode(() -> SpringBootVersionCheck.check(SpringBootVersion.getVersion())).doesNotThrowAnyException();
    }

    @Test
    void theCheckRunsInEveryBootApplicationBeforeAutoConfiguration() {
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(ApplicationContextInitializer.class))
                .hasAtLeastOneElementOfType(SpringBootVersionCheck.class);
    }
}
