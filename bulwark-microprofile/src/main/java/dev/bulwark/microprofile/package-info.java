/**
 * MicroProfile Fault Tolerance on Bulwark: a CDI portable extension and interceptor that run the methods annotated
 * with {@code @Retry}, {@code @CircuitBreaker}, {@code @Timeout}, {@code @Bulkhead}, {@code @Fallback} and
 * {@code @Asynchronous} through Bulwark's policies, configured as the MicroProfile specification says.
 */
@NullMarked
package dev.bulwark.microprofile;

import org.jspecify.annotations.NullMarked;
