package dev.turnpike.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.turnpike.server.admin.AdminToken;
import dev.turnpike.server.config.Config;
import dev.turnpike.server.config.StoreSettings;
import dev.turnpike.server.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data directory holds the ledger and the admin token: its owner alone may read it, new or old. */
class DataDirectoryPermissionsTest {

    private static void openStoreAndToken(Path dataDir) {
        try (Database db = Database.open(StoreSettings.options(Config.of(Map.of("data.dir", dataDir.toString()))))) {
            AdminToken.resolve("", dataDir, new SecureRandom());
            new JdbcAccounts(db.dataSource(), java.time.Clock.systemUTC(), ClientKeys.secure(), 1)
                    .createKey("perm", 1);
        }
    }

    private static String mode(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aNewDataDirectoryIsOwnerOnlyAndSoIsEveryFileInIt(@TempDir Path tmp) throws IOException {
        Path dataDir = tmp.resolve("turnpike");

        openStoreAndToken(dataDir);

        assertThat(mode(dataDir)).isEqualTo("rwx------");
        assertThat(files(dataDir)).extracting(p -> p.getFileName().toString())
                .contains("turnpike.mv.db", AdminToken.FILE_NAME);
        for (Path file : files(dataDir)) {
            assertThat(mode(file)).as("%s", file.getFileName()).isEqualTo("rw-------");
        }
    }

    @Test
    void anExistingWorldReadableDataDirectoryIsTightenedWhenOpened(@TempDir Path tmp) throws IOException {
        Path dataDir = tmp.resolve("turnpike");
        openStoreAndToken(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Path file : files(dataDir)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }

        openStoreAndToken(dataDir);

        assertThat(mode(dataDir)).isEqualTo("rwx------");
        for (Path file : files(dataDir)) {
            assertThat(mode(file)).as("%s", file.getFileName()).isEqualTo("rw-------");
        }
    }
}
