/**
 * Retries with a {@link dev.bulwark.retry.Backoff} (fixed, linear, exponential, Fibonacci, decorrelated
 * jitter, adaptive), predicates on exceptions and results, deadline awareness and a
 * {@link dev.bulwark.retry.Retry.Budget} that keeps a failing dependency from a retry storm.
 */
@NullMarked
package dev.bulwark.retry;

import org.jspecify.annotations.NullMarked;
