package dev.turnpike.server.config;

import dev.turnpike.server.store.StoreOptions;

/** The store's settings handed to the store layer, which reads no configuration itself. */
public final class StoreSettings {

    private StoreSettings() {
    }

    public static StoreOptions options(Config config) {
        return new StoreOptions(config.get(Settings.STORE_URL), config.get(Settings.STORE_USER),
                config.get(Settings.STORE_PASSWORD), config.get(Settings.DATA_DIR),
                config.get(Settings.STORE_AUTO_SERVER), config.get(Settings.STORE_POOL_SIZE));
    }
}
