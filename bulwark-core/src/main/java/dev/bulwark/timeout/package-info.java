/**
 * Timeouts for synchronous and asynchronous calls. A timeout cancels the work it abandons, and sets the
 * execution context's deadline so that the policies inside it (a retry, say) respect the time left.
 */
@NullMarked
package dev.bulwark.timeout;

import org.jspecify.annotations.NullMarked;
