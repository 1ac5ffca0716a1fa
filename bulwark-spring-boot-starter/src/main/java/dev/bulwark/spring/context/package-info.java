/** Thread-bound context (MDC, security, the application's own) carried across the threads Bulwark hops. */
@NullMarked
package dev.bulwark.spring.context;

import org.jspecify.annotations.NullMarked;
