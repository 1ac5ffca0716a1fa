package dev.bulwark.spring.autoconfigure;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringBootVersion;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Refuses to start under a Spring Boot other than 3.x: the starter is built and tested against Boot 3.5, and Boot 4
 * moved and removed APIs it uses, which would otherwise fail later with an obscure linkage error or leave
 * annotations silently unapplied. Registered as an initializer so that it runs before any auto-configuration is
 * loaded; {@link BulwarkFailureAnalyzer} turns its refusal into Boot's failure report. A version Boot cannot tell
 * (classes not from Boot's jar) is let through.
 */
public final class SpringBootVersionCheck implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    /** The Boot generation the starter supports. */
    static final int SUPPORTED_MAJOR = 3;
    /** The release the starter is built and tested with. */
    static final String BUILT_FOR = "3.5";

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        check(SpringBootVersion.getVersion());
    }

    /**
     * Passes for a 3.x or unknown version.
     *
     * @throws UnsupportedSpringBootException for any other
     */
    static void check(@Nullable String version) {
        if (version == null || version.isBlank()) {
            return;
        }
        String major = version.trim().split("[.-]", 2)[0];
        if (!major.equals(String.valueOf(SUPPORTED_MAJOR))) {
            throw new UnsupportedSpringBootException(version.trim());
        }
    }

    /** The application runs a Spring Boot the starter does not support. */
    static final class UnsupportedSpringBootException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        private final String version;

        UnsupportedSpringBootException(String version) {
            super("Bulwark's starter supports Spring Boot " + SUPPORTED_MAJOR + ".x (built for " + BUILT_FOR
                    + "), this application runs Spring Boot " + version);
            this.version = version;
        }

        /** The Boot version found, e.g. {@code 4.0.0}. */
        String version() {
            return version;
        }
    }
}
