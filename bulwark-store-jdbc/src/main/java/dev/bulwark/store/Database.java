package dev.bulwark.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * One connection, used by one caller at a time under a lock (a {@link ReentrantLock}, which does not pin virtual
 * threads), reopened when it was lost. Each unit of work is one transaction: committed when it returns, rolled back
 * when it throws.
 */
final class Database implements AutoCloseable {
    /** A unit of work on the connection. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private final StoreConfig config;
    private final ReentrantLock lock = new ReentrantLock();
    private @Nullable Connection connection;

    Database(StoreConfig config) {
        this.config = config;
    }

    /** A unit of work that returns nothing. */
    interface Action {
        void run(Connection connection) throws SQLException;
    }

    void execute(Action action) {
        transaction(connection -> {
            action.run(connection);
            return Boolean.TRUE;
        });
    }

    <T> T transaction(Work<T> work) {
        lock.lock();
        try {
            Connection open = connection();
            try {
                T result = work.run(open);
                open.commit();
                return result;
            } catch (SQLException | RuntimeException failed) {
                rollbackQuietly(open, failed);
                throw failed instanceof SQLException sql ? new StoreException("database operation failed: " + sql.getMessage(), sql)
                        : (RuntimeException) failed;
            }
        } finally {
            lock.unlock();
        }
    }

    private Connection connection() {
        try {
            Connection current = connection;
            if (current != null && current.isValid(2)) {
                return current;
            }
            if (current != null) {
                closeQuietly(current);
            }
            Connection opened = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
            opened.setAutoCommit(false);
            opened.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            connection = opened;
            return opened;
        } catch (SQLException unreachable) {
            throw new StoreException("cannot connect to " + config + ": " + unreachable.getMessage(), unreachable);
        }
    }

    private static void rollbackQuietly(Connection open, Exception cause) {
        try {
            open.rollback();
        } catch (SQLException alsoFailed) {
            cause.addSuppressed(alsoFailed);
        }
    }

    private static void closeQuietly(Connection stale) {
        try {
            stale.close();
        } catch (SQLException ignored) {
            // the connection was already unusable; a new one replaces it
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (connection != null) {
                closeQuietly(connection);
                connection = null;
            }
        } finally {
            lock.unlock();
        }
    }
}
