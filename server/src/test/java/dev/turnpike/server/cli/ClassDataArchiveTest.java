package dev.turnpike.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class data archive {@code bin/turnpike} gives the long-running commands ({@code class_data_archive_options} in
 * bin/lib/common.sh): written by the first run, mapped by the next, and written again after the jar is rebuilt. The
 * JDK does not do that last part itself: given an archive older than its jar it refuses it on every start, and start
 * takes half as long again for good (BENCHMARKS.md, "Density"). A small jar of its own stands in for turnpike.jar.
 */
class ClassDataArchiveTest {

    private static final String FROM_ARCHIVE = ArchiveProbe.class.getName() + " source: shared objects file (top)";

    @TempDir
    Path dir;

    @Test
    void theFirstRunWritesTheArchiveAndTheNextMapsIt() throws Exception {
        Path jar = probeJar();
        Path archive = firstRun(jar);
        FileTime written = Files.getLastModifiedTime(archive);

        assertThat(run(jar, optionsFor(jar, "lab"))).contains(FROM_ARCHIVE);
        assertThat(Files.getLastModifiedTime(archive)).isEqualTo(written);
    }

    @Test
    void aRebuiltJarGetsANewArchiveInsteadOfARefusedOne() throws Exception {
        Path jar = probeJar();
        Path archive = firstRun(jar);

        // A rebuild: the same path, a jar with a new timestamp, after the archive was written.
        long now = System.currentTimeMillis();
        Files.setLastModifiedTime(archive, FileTime.fromMillis(now - 20_000));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(now - 10_000));
        List<String> options = optionsFor(jar, "lab");
        assertThat(archive).as("an archive older than its jar is removed before the JVM starts").doesNotExist();
        run(jar, options);

        assertThat(run(jar, optionsFor(jar, "lab"))).contains(FROM_ARCHIVE);
    }

    @Test
    void theTrainingRunAfterABuildWritesServesArchiveOnceServeIsReady() throws Exception {
        Path jar = probeJar(ServeProbe.class);
        Path archive = dir.resolve("probe-serve.jsa");
        Path readyAsked = dir.resolve("ready-asked");

        long started = System.nanoTime();
        List<String> out = CommonSh.lines("JAVA_HOME=\"$1\"; train_serve_archive \"$2\" \"-D" + ServeProbe.READY_FILE
                + "=$3\"; echo trained; true", System.getProperty("java.home"), jar.toString(), readyAsked.toString());
        double seconds = (System.nanoTime() - started) / 1e9;

        assertThat(out).contains("trained");
        assertThat(readyAsked).as("it waited for /health/ready, with the caller's JVM options").exists();
        assertThat(seconds).as("it stopped serve once ready, not at its 20 s limit").isLessThan(15);
        assertThat(archive).as("written at the training run's exit").exists();
        assertThat(run(jar, optionsFor(jar, "serve"))).contains(ServeProbe.class.getName()
                + " source: shared objects file (top)");
    }

    @Test
    void shortCommandsGetNoArchive() throws Exception {
        assertThat(optionsFor(probeJar(), "keys")).isEmpty();
        assertThat(optionsFor(probeJar(), "")).isEmpty();
    }

    /** Runs the jar once as {@code bin/turnpike lab} would; returns the archive that run wrote. */
    private Path firstRun(Path jar) throws Exception {
        run(jar, optionsFor(jar, "lab"));
        Path archive = dir.resolve("probe-lab.jsa");
        assertThat(archive).as("written at the first run's exit").exists();
        return archive;
    }

    /** A jar holding {@link ArchiveProbe} as its main class. */
    private Path probeJar() throws IOException {
        return probeJar(ArchiveProbe.class);
    }

    /** A jar holding {@code main} as its main class. */
    private Path probeJar(Class<?> main) throws IOException {
        Path jar = dir.resolve("probe.jar");
        if (Files.exists(jar)) {
            return jar;
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
        String entry = main.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar);
                JarOutputStream out = new JarOutputStream(file, manifest);
                InputStream in = main.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            in.transferTo(out);
            out.closeEntry();
        }
        return jar;
    }

    /** Runs the jar with these options and the class loading log; returns its output. */
    private static String run(Path jar, List<String> options) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.addAll(List.of("-Xlog:class+load=info", "-jar", jar.toString()));
        Process java = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(java.exitValue()).as(out).isZero();
        assertThat(out).contains(ArchiveProbe.RAN);
        return out;
    }

    private static List<String> optionsFor(Path jar, String command) throws IOException, InterruptedException {
        return CommonSh.lines("class_data_archive_options", jar.toString(), command);
    }

    /**
     * Stands in for {@code turnpike serve}: with arguments it prints serve's listening line and answers /health/ready
     * (a 503 first, as while its browser starts, then 200) until it is stopped; without, it prints {@link
     * ArchiveProbe#RAN} and ends.
     */
    public static final class ServeProbe {
        static final String READY_FILE = "probe.readyFile";

        public static void main(String[] args) throws Exception {
            if (args.length == 0) {
                System.out.println(ArchiveProbe.RAN);
                return;
            }
            java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
            com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                    new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            http.createContext("/health/ready", exchange -> {
                boolean ready = asked.incrementAndGet() > 1;
                if (ready) {
                    Files.writeString(Path.of(System.getProperty(READY_FILE)), "asked");
                }
                exchange.sendResponseHeaders(ready ? 200 : 503, -1);
                exchange.close();
            });
            http.start();
            System.out.println("Turnpike is listening on http://127.0.0.1:" + http.getAddress().getPort());
            Thread.sleep(60_000); // stopped by SIGTERM long before
        }
    }

    /** The probe jar's main class. */
    public static final class ArchiveProbe {
        static final String RAN = "archive probe ran";

        public static void main(String[] args) {
            System.out.println(RAN);
        }
    }
}
