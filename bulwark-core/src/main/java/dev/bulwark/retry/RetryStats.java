package dev.bulwark.retry;

/**
 * A retry's counts since it was created.
 *
 * @param calls executions started
 * @param retries retries made (attempts after the first)
 * @param succeededWithoutRetry calls that succeeded on the first attempt
 * @param succeededAfterRetry calls that succeeded on a later attempt
 * @param failedNotRetryable calls that failed with an outcome not to retry
 * @param failedMaxRetries calls that failed after every allowed retry
 * @param failedDeadline calls that stopped because the next attempt could not meet the deadline
 * @param failedBudget calls that stopped because the retry budget was spent
 */
public record RetryStats(long calls, long retries, long succeededWithoutRetry, long succeededAfterRetry,
                         long failedNotRetryable, long failedMaxRetries, long failedDeadline, long failedBudget) {
}
