/**
 * Durable storage through JDBC: {@link dev.bulwark.store.JdbcStore} opens the database and migrates its schema, and
 * hands out the series, failover and audit stores.
 */
@NullMarked
package dev.bulwark.store;

import org.jspecify.annotations.NullMarked;
