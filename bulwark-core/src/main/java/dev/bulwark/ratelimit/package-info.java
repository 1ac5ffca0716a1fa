/**
 * A token-bucket rate limiter (as a generic cell rate algorithm: one atomic number per limiter) with
 * non-blocking tries, bounded synchronous waits and asynchronous waits that block no thread.
 */
@NullMarked
package dev.bulwark.ratelimit;

import org.jspecify.annotations.NullMarked;
