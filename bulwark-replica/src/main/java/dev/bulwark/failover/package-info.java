/**
 * Failover groups: a primary and a hot standby of any resource the user can provision, promoted
 * on imminent loss, provisioned early when the risk of loss is high, under an automatic or a manual mode.
 */
@NullMarked
package dev.bulwark.failover;

import org.jspecify.annotations.NullMarked;
