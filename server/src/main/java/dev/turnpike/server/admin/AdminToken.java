package dev.turnpike.server.admin;

import dev.turnpike.server.store.DataDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;

/**
 * The operator's secret for the admin API, the status page and the metrics. Given by the {@code admin.token}
 * setting, or generated at first start into {@value #FILE_NAME} in the data directory (mode 600) and read from
 * there afterwards. Compared in constant time; never logged ({@link #toString} says where it is, not what).
 */
public final class AdminToken {

    public static final String FILE_NAME = "admin-token";
    /** Shorter tokens are refused: the token guards every account's points. */
    public static final int MIN_LENGTH = 16;

    private final byte[] digest;
    private final String origin;

    private AdminToken(String value, String origin) {
        this.digest = sha256(value);
        this.origin = origin;
    }

    /**
     * @param configured the {@code admin.token} setting ("" when not set)
     * @param dataDir    where a generated token is kept
     */
    public static AdminToken resolve(String configured, Path dataDir, SecureRandom random) {
        if (!configured.isEmpty()) {
            return new AdminToken(checked(configured, "setting admin.token"), "the admin.token setting");
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            DataDirectory.secure(dataDir);
            if (!Files.exists(file)) {
                byte[] bytes = new byte[32];
                random.nextBytes(bytes);
                String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.writeString(file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
                } catch (FileAlreadyExistsException raced) {
                    // Another process made it first: use its token.
                } catch (UnsupportedOperationException notPosix) {
                    Files.writeString(file, token + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
                }
            }
            return new AdminToken(checked(Files.readString(file, StandardCharsets.UTF_8).strip(), file.toString()),
                    "the file " + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the admin token file " + file, e);
        }
    }

    /** Reads the token a server generated in this data directory, for the command line on the same machine. */
    public static String readGenerated(Path dataDir) throws IOException {
        return Files.readString(dataDir.resolve(FILE_NAME), StandardCharsets.UTF_8).strip();
    }

    private static String checked(String token, String where) {
        if (token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("the admin token in " + where + " is shorter than " + MIN_LENGTH
                    + " characters");
        }
        return token;
    }

    /** Whether {@code candidate} is the token; constant time whatever the candidate's length. */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(digest, sha256(candidate));
    }

    /** Where the operator finds the token, e.g. "the file /home/op/.turnpike/admin-token". */
    public String origin() {
        return origin;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "AdminToken[in " + origin + "]";
    }
}
