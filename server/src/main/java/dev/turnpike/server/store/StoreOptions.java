package dev.turnpike.server.store;

import java.nio.file.Path;

/**
 * Where the store is and how to reach it, as the configuration gave it ({@code config.StoreSettings} reads them),
 * so that this package needs nothing of the configuration.
 *
 * @param url        the store.url as written (JDBC or postgresql:// form), or empty for the embedded H2 file
 * @param user       store.user; a user in the URL wins
 * @param password   store.password; a password in the URL wins
 * @param dataDir    where the embedded database lives
 * @param autoServer whether other processes (turnpike keys) may open the embedded file while it is open here
 * @param poolSize   connections in the pool
 */
public record StoreOptions(String url, String user, String password, Path dataDir, boolean autoServer, int poolSize) {

    @Override
    public String toString() { // no password in a log line
        return "StoreOptions[" + (url.isEmpty() ? "embedded in " + dataDir : "at store.url") + ", poolSize=" + poolSize
                + "]";
    }
}
