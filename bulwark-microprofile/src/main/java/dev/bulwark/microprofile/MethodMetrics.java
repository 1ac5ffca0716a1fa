package dev.bulwark.microprofile;

import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.circuit.CircuitBreaker;

/**
 * Where one guarded method's MicroProfile Fault Tolerance metrics go (specification chapter "Metrics"; names such as
 * {@code ft.invocations.total}, each with the attribute {@code method} = the method's fully qualified name). The
 * attribute values are the specification's ({@code valueReturned}, {@code maxRetriesReached}, ...).
 * Implementations are thread-safe.
 */
interface MethodMetrics {

    /** {@code ft.invocations.total}: one call ended; {@code fallback} is applied, notApplied or notDefined. */
    void invocation(boolean valueReturned, String fallback);

    /** {@code ft.retry.calls.total} and {@code ft.retry.retries.total}: the retry logic ended after {@code attempts}. */
    void retryCall(int attempts, String result);

    /** {@code ft.timeout.calls.total} and {@code ft.timeout.executionDuration}. */
    void timeoutCall(boolean timedOut, long nanos);

    /** {@code ft.circuitbreaker.calls.total}: result is success, failure or circuitBreakerOpen. */
    void breakerCall(String result);

    /** {@code ft.circuitbreaker.opened.total} and {@code ft.circuitbreaker.state.total}, read from the breaker. */
    void watch(CircuitBreaker breaker);

    /** {@code ft.bulkhead.calls.total}. */
    void bulkheadCall(boolean accepted);

    /** {@code ft.bulkhead.waitingDuration}: how long an accepted call waited for its permit (queueing bulkheads only). */
    void bulkheadWaited(long nanos);

    /** {@code ft.bulkhead.runningDuration}: how long an accepted call held its permit. */
    void bulkheadRan(long nanos);

    /**
     * {@code ft.bulkhead.executionsRunning} and, for a bulkhead with a queue (asynchronous calls), {@code
     * ft.bulkhead.executionsWaiting}, read from the bulkhead.
     */
    void watch(Bulkhead bulkhead, boolean queues);
}
