package dev.turnpike.server.store;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The data directory holds the ledger, every key's hash and the admin token: readable by its owner only. It is made
 * {@code 700} and the files directly in it {@code 600} when it is created and every time it is opened, so a
 * directory made by an older version, or files a library created under a loose umask, are tightened too.
 */
public final class DataDirectory {

    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private DataDirectory() {
    }

    /** Creates {@code dir} when missing, then tightens it and what it holds; a no-op for modes on a non-POSIX disk. */
    public static Path secure(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
        }
        if (Files.getFileAttributeView(dir, PosixFileAttributeView.class) == null) {
            return dir;
        }
        Files.setPosixFilePermissions(dir, DIRECTORY);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                // Links are left alone: tightening would change whatever they point at.
                if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(entry, FILE);
                } else if (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(entry, DIRECTORY);
                }
            }
        }
        return dir;
    }
}
