/**
 * Hedged requests: when a call is slower than usual, a backup attempt starts; the first success wins and
 * the others are cancelled.
 */
@NullMarked
package dev.bulwark.hedge;

import org.jspecify.annotations.NullMarked;
