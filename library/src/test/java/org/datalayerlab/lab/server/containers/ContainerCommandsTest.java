package org.datalayerlab.lab.server.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.server.StreamingCluster;
import org.datalayerlab.lab.server.embedded.PgInstall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the containers backend tells Docker and PostgreSQL, checked without a Docker engine: the
 * scripts run under bash with stand-ins for the image's programs, the configuration is parsed by
 * a real PostgreSQL 17 ({@code postgres -C}), the port bindings are inspected.
 */
class ContainerCommandsTest {

    @Test
    void passwordsAreGeneratedPerCallAndSafeEverywhere() {
        String a = ContainerCommands.newPassword();
        String b = ContainerCommands.newPassword();
        assertTrue(a.matches("[a-z0-9]{24}"), a);
        assertNotEquals(a, b);
        assertNotEquals("test", a);
    }

    @Test
    void conninfoNamesTheReplicaAsApplicationName() {
        assertEquals("host=127.0.0.1 port=41001 user=replicator password=pw application_name=replica2",
                ContainerCommands.conninfo("127.0.0.1", 41001, "pw", "replica2"));
        // the base backup's connection is not a standby: it must not pose as replica2 in pg_stat_replication
        assertFalse(ContainerCommands.conninfo("127.0.0.1", 41001, "pw", null).contains("application_name"));
        String conf = ContainerCommands.replicationConf("127.0.0.1", 41002, "pw", "replica2");
        assertTrue(conf.contains("primary_conninfo = 'host=127.0.0.1 port=41002 user=replicator password=pw"
                + " application_name=replica2'\n"), conf);
        assertTrue(conf.contains("primary_slot_name = 'replica2'\n"), conf);
        assertFalse(ContainerCommands.noReplicationConf().contains("primary_conninfo"));
    }

    @Test
    void sqlForTheReplicationRoleAndSlots() {
        assertEquals("create role replicator with replication login password 'pw'",
                ContainerCommands.createReplicationRoleSql("pw"));
        String slot = StreamingCluster.createSlotSql("replica1");
        assertTrue(slot.startsWith("select pg_create_physical_replication_slot('replica1', true) where not exists"), slot);
        assertTrue(ContainerCommands.pgHba().contains("host replication replicator 127.0.0.1/32 scram-sha-256\n"));
    }

    @Test
    void lessonSettingsOverrideTheReplicationDefaults() {
        Map<String, String> s = ContainerCommands.serverSettings(Settings.of("wal_level", "logical", "max_connections", "20")).asMap();
        assertEquals("logical", s.get("wal_level"));
        assertEquals("20", s.get("max_connections"));
        assertEquals("10", s.get("max_wal_senders"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ContainerCommands.initScript(Settings.of("application_name", "a\nfsync = off")));
        assertTrue(e.getMessage().contains("line break"), e.getMessage());
    }

    /** The init script as the image runs it (bash, PGDATA set, initdb's files present). */
    @Test
    void initScriptAppendsSettingsIncludeAndReplacesHba(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("postgresql.conf"), "listen_addresses = '*'\n");
        // what the official image's initdb writes: trust on 127.0.0.1, which every local user reaches
        Files.writeString(data.resolve("pg_hba.conf"), "host all all 127.0.0.1/32 trust\nhost all all all scram-sha-256\n");
        Path script = write(dir.resolve("10-lab.sh"), ContainerCommands.initScript(Settings.of("max_connections", "20")));

        assertEquals(0, run(dir, Map.of("PGDATA", data.toString()), "bash", script.toString()).exitCode, "init script failed");

        String conf = Files.readString(data.resolve("postgresql.conf"));
        assertTrue(conf.startsWith("listen_addresses = '*'\n"), conf);
        assertTrue(conf.contains("wal_level = 'replica'\n") && conf.contains("max_connections = '20'\n"), conf);
        assertTrue(conf.strip().endsWith("include_if_exists '/etc/lab/replication.conf'"), conf);
        String hba = Files.readString(data.resolve("pg_hba.conf"));
        assertEquals(ContainerCommands.pgHba(), hba);
        assertFalse(hba.contains("host all all 127.0.0.1/32 trust"), hba);
        assertFalse(hba.lines().anyMatch(l -> l.startsWith("host") && l.endsWith("trust")), "every TCP login needs a password: " + hba);
    }

    /**
     * The replica's command under bash, with stand-ins for gosu, pg_basebackup and the image's
     * entrypoint: the first start takes a base backup through the replica's slot, a restart keeps
     * the data and only starts postgres again.
     */
    @Test
    void replicaScriptBacksUpOnceThenStartsPostgresEveryTime(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path calls = dir.resolve("calls.log");
        write(bin.resolve("gosu"), "#!/bin/sh\n[ \"$1\" = postgres ] || exit 9\nshift\nexec \"$@\"\n");
        write(bin.resolve("pg_basebackup"), "#!/bin/sh\necho \"pg_basebackup $*\" >> " + calls + "\n"
                + "while [ $# -gt 0 ]; do [ \"$1\" = -D ] && d=\"$2\"; shift; done\n"
                + "echo 17 > \"$d/PG_VERSION\"; echo \"# primary's conf\" > \"$d/postgresql.conf\"\n");
        write(bin.resolve("docker-entrypoint.sh"), "#!/bin/sh\necho \"entrypoint $*\" >> " + calls + "\n");
        Path data = Files.createDirectories(dir.resolve("data"));
        Path script = write(dir.resolve("lab-replica.sh"), ContainerCommands.replicaScript(41001, "pw",
                "replica1", Settings.of("recovery_min_apply_delay", "300ms"), 41002));
        Map<String, String> env = Map.of("PGDATA", data.toString(), "PATH", bin + ":/usr/bin:/bin");

        Result first = run(dir, env, "bash", script.toString());
        assertEquals(0, first.exitCode, first.output);
        List<String> log = Files.readAllLines(calls);
        assertEquals(2, log.size(), log.toString());
        assertEquals("pg_basebackup -d host=127.0.0.1 port=41001 user=replicator password=pw -D " + data
                + " -X stream -S replica1 --checkpoint=fast --no-password", log.get(0));
        assertEquals("entrypoint postgres -c port=41002 -c listen_addresses=127.0.0.1", log.get(1));
        assertTrue(Files.exists(data.resolve("standby.signal")));
        String conf = Files.readString(data.resolve("postgresql.conf"));
        assertTrue(conf.startsWith("# primary's conf\n"), conf);
        assertTrue(conf.contains("recovery_min_apply_delay = '300ms'\n"), conf);

        Result restart = run(dir, env, "bash", script.toString());
        assertEquals(0, restart.exitCode, restart.output);
        assertEquals(List.of(log.get(0), log.get(1), log.get(1)), Files.readAllLines(calls));
        assertEquals(conf, Files.readString(data.resolve("postgresql.conf")), "a restart must not append settings again");
    }

    @Test
    void replicaScriptStopsWhenTheBaseBackupFails(@TempDir Path dir) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        write(bin.resolve("gosu"), "#!/bin/sh\nshift\nexec \"$@\"\n");
        write(bin.resolve("pg_basebackup"), "#!/bin/sh\necho 'pg_basebackup: error: password authentication failed' >&2\nexit 1\n");
        write(bin.resolve("docker-entrypoint.sh"), "#!/bin/sh\necho started-postgres\n");
        Path data = Files.createDirectories(dir.resolve("data"));
        Path script = write(dir.resolve("lab-replica.sh"), ContainerCommands.replicaScript(41001, "pw", "replica1", Settings.none(), 41002));
        Result r = run(dir, Map.of("PGDATA", data.toString(), "PATH", bin + ":/usr/bin:/bin"), "bash", script.toString());
        assertNotEquals(0, r.exitCode);
        assertTrue(r.output.contains("password authentication failed"), r.output);
        assertFalse(r.output.contains("started-postgres"), r.output);
    }

    /** PostgreSQL 17 itself reads the generated configuration (postgres -C parses the files and prints a value). */
    @Test
    void postgres17AcceptsTheGeneratedConfiguration(@TempDir Path dir) throws Exception {
        PgInstall install = PgInstall.get();
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("postgresql.conf"), "");
        Files.writeString(data.resolve("pg_hba.conf"), "");
        Path init = write(dir.resolve("10-lab.sh"), ContainerCommands.initScript(
                Settings.of("wal_level", "logical", "recovery_min_apply_delay", "300ms", "application_name", "it's")));
        assertEquals(0, run(dir, Map.of("PGDATA", data.toString()), "bash", init.toString()).exitCode);
        // a standby's replication file, as the include would bring it in
        Files.writeString(data.resolve("postgresql.auto.conf"), ContainerCommands.replicationConf("127.0.0.1", 41001, "pw", "replica1"));
        // the server's OS user (when the tests run as root) must be able to read them
        for (Path p : List.of(dir, data)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        assertEquals("logical", postgresC(install, data, "wal_level"));
        assertEquals("300", postgresC(install, data, "recovery_min_apply_delay")); // -C prints base units (ms)
        assertEquals("it's", postgresC(install, data, "application_name"));
        assertEquals("10", postgresC(install, data, "max_wal_senders"));
        assertEquals(ContainerCommands.conninfo("127.0.0.1", 41001, "pw", "replica1"), postgresC(install, data, "primary_conninfo"));
        assertEquals("replica1", postgresC(install, data, "primary_slot_name"));
    }

    private static String postgresC(PgInstall install, Path data, String parameter) throws Exception {
        List<String> cmd = new ArrayList<>(install.runAs());
        cmd.addAll(List.of(install.program("postgres").toString(), "-D", data.toString(), "-C", parameter));
        // the value on stdout; stderr has the server's LOG lines (e.g. the include file missing on this machine)
        Process p = new ProcessBuilder(cmd).directory(data.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "postgres -C " + parameter + ": " + out);
        return out.strip();
    }

    @Test
    void serversListenOnTheirOwnLoopbackPort() {
        assertEquals(List.of("postgres", "-c", "port=41003", "-c", "listen_addresses=127.0.0.1"),
                ContainerCommands.serverCommand(41003));
    }

    @Test
    void shellQuotingSurvivesQuotes(@TempDir Path dir) throws Exception {
        String tricky = "a'b \"c\" $HOME `x`";
        Result r = run(dir, Map.of(), "bash", "-c", "printf %s " + ContainerCommands.shellQuote(tricky));
        assertEquals(tricky, r.output);
    }

    @Test
    void tailKeepsTheLastLines() {
        assertEquals("  c\n  d\n", ContainerCommands.tail("a\nb\nc\nd\n", 2));
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static Path write(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Path dir, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "still running: " + String.join(" ", command));
        return new Result(p.exitValue(), out);
    }
}
