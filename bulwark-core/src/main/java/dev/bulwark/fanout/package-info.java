/**
 * Fan-out: one request run over several named adapters in parallel, each behind its own policies, with the
 * strategies ALL, FIRST_SUCCESS and BEST_EFFORT, a global concurrency limit, a per-request deadline,
 * per-adapter results and graceful degradation.
 */
@NullMarked
package dev.bulwark.fanout;

import org.jspecify.annotations.NullMarked;
