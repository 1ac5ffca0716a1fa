/**
 * What to do when a call fails: {@link dev.bulwark.fallback.Fallback}, a policy that answers for a call that threw
 * an exception it handles or returned a result it does not accept, through small strategies tried in order (switch
 * provider, degrade, cache, a value of the caller's choice, shed; the queue strategy lives beside the deferred
 * queues in {@code dev.bulwark.queue}). Also here: the bounded stale-if-error {@link dev.bulwark.fallback.ResultCache}
 * and the {@link dev.bulwark.fallback.LoadShedder}, a policy that refuses lower-priority work first.
 */
@NullMarked
package dev.bulwark.fallback;

import org.jspecify.annotations.NullMarked;
