/**
 * The listener list every event source shares. It depends on nothing else in Bulwark, so that the event package and
 * the policies' shared implementation can both use it without a package cycle. Not an API.
 */
@NullMarked
package dev.bulwark.internal.listeners;

import org.jspecify.annotations.NullMarked;
