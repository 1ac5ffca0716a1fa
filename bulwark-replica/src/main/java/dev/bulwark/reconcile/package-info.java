/**
 * Dual-source reconciliation of time series: readings from a primary and a replica are validated,
 * held for a comparison window, deduplicated or averaged, and gaps are detected and, when short enough,
 * filled by linear interpolation, every point carrying a quality flag.
 */
@NullMarked
package dev.bulwark.reconcile;

import org.jspecify.annotations.NullMarked;
