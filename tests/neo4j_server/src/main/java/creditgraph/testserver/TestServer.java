package creditgraph.testserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;

/**
 * Runs Neo4j Community in this JVM with Bolt on 127.0.0.1 until stdin closes or the process is
 * terminated. Arguments: home directory, Bolt port, page cache size. The password comes from the
 * NEO4J_TEST_PASSWORD environment variable so it never shows in a process listing.
 */
public final class TestServer {
    private TestServer() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: TestServer HOME_DIR BOLT_PORT PAGECACHE");
            System.exit(2);
        }
        String password = System.getenv("NEO4J_TEST_PASSWORD");
        if (password == null || password.length() < 8) {
            System.err.println("NEO4J_TEST_PASSWORD must be set (8 characters or more)");
            System.exit(2);
        }
        Map<String, String> config = new HashMap<>();
        config.put("server.bolt.enabled", "true");
        config.put("server.bolt.listen_address", "127.0.0.1:" + args[1]);
        config.put("server.bolt.tls_level", "DISABLED");
        config.put("server.memory.pagecache.size", args[2]);
        config.put("dbms.security.auth_enabled", "true");
        // Tests deliberately try a wrong password; do not lock the user out after it.
        config.put("dbms.security.auth_lock_time", "0s");
        config.put("dbms.usage_report.enabled", "false");
        config.put("db.tx_log.rotation.retention_policy", "1 files");

        Path home = Path.of(args[0]);
        Files.createDirectories(home);
        Path conf = home.resolve("test-server.conf");
        StringBuilder text = new StringBuilder();
        config.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        Files.writeString(conf, text.toString());
        DatabaseManagementService service =
                new DatabaseManagementServiceBuilder(home).loadPropertiesFromFile(conf).build();
        Runtime.getRuntime().addShutdownHook(new Thread(service::shutdown));
        service.database("system").executeTransactionally(
                "ALTER USER neo4j SET PASSWORD $password CHANGE NOT REQUIRED",
                Map.of("password", password));
        System.out.println("READY bolt://127.0.0.1:" + args[1]);
        System.out.flush();
        // Block until the launcher closes our stdin (or kills us); then shut down cleanly.
        while (System.in.read() != -1) {
            // ignore input
        }
        System.exit(0);
    }
}
