package dev.bulwark.spring.autoconfigure;

import dev.bulwark.spring.config.BulwarkConfigException;
import dev.bulwark.spring.interception.BulwarkDefinitionException;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Turns a Bulwark startup failure into Boot's "APPLICATION FAILED TO START" report: what is wrong (the property or
 * the method, as the exception names it, or a Spring Boot version the starter does not support) and what to do.
 */
public final class BulwarkFailureAnalyzer implements FailureAnalyzer {
    @Override
    public @Nullable FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BulwarkConfigException invalid) {
                return new FailureAnalysis("Bulwark's configuration is invalid: " + invalid.getMessage(),
                        "Correct " + invalid.property() + " in your configuration (application.yml or another property "
                                + "source); the keys and ranges are those of bulwark-yaml's fault_tolerance block.",
                        invalid);
            }
            if (cause instanceof SpringBootVersionCheck.UnsupportedSpringBootException unsupported) {
                return new FailureAnalysis(unsupported.getMessage() + ".",
                        "Run the application on Spring Boot " + SpringBootVersionCheck.BUILT_FOR + ".x, or leave out "
                                + "bulwark-spring-boot-starter until a Bulwark release supports Spring Boot "
                                + unsupported.version().split("\\.", 2)[0] + ".", unsupported);
            }
            if (cause instanceof BulwarkDefinitionException definition) {
                return new FailureAnalysis("Bulwark annotations cannot work as written: " + definition.getMessage(),
                        "Change the method or annotation named above.", definition);
            }
        }
        return null;
    }
}
