/**
 * Bulwark's execution model: a {@link dev.bulwark.Policy} guards a call, a {@link dev.bulwark.Pipeline}
 * composes policies (outermost first), and an {@link dev.bulwark.ExecutionContext} carries what one
 * execution knows about itself. Synchronous and asynchronous calls run the same policy logic.
 */
@NullMarked
package dev.bulwark;

import org.jspecify.annotations.NullMarked;
