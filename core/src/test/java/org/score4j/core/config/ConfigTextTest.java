package org.score4j.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.core.UserError;

/** Configuration text is data: no includes from runs and checkpoints, never the network, nesting bounded. */
class ConfigTextTest {
    @TempDir
    Path dir;

    @Test
    void aRunsConfigurationNeverReachesTheNetworkOrAnotherFile() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            byte[] body = "x = 1".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/x.conf";
            Files.writeString(dir.resolve("other.conf"), "secret = 1");
            for (String include : List.of("include url(\"" + url + "\")", "include \"" + url + "\"",
                    "include file(\"" + dir.resolve("other.conf") + "\")", "include \"other.conf\"",
                    "include classpath(\"org/score4j/core/config/score4j-defaults.conf\")")) {
                assertThatThrownBy(() -> ConfigSources.parse(include + "\na = 1", dir.resolve("config.conf")))
                        .as(include).isInstanceOf(UserError.class).hasMessageContaining(dir.resolve("config.conf").toString())
                        .hasMessageContaining("is not allowed here");
            }
            // A file the user names may include files, never URLs.
            Files.writeString(dir.resolve("mine.conf"), "include \"other.conf\"\nb = 2");
            assertThat(ConfigSources.user(dir.resolve("mine.conf"), List.of()).getInt("secret")).isEqualTo(1);
            Files.writeString(dir.resolve("net.conf"), "include url(\"" + url + "\")\nb = 2");
            assertThatThrownBy(() -> ConfigSources.user(dir.resolve("net.conf"), List.of()))
                    .hasMessageContaining("never reads configuration from the network");
            assertThat(requests.get()).as("requests the server saw").isZero();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void substitutionsNeverReadTheEnvironmentOrSystemProperties() {
        assertThat(ConfigSources.parse("a = 1\nb = ${a}", dir.resolve("c.conf")).getInt("b")).isEqualTo(1);
        assertThatThrownBy(() -> ConfigSources.parse("home = ${HOME}", dir.resolve("c.conf")))
                .isInstanceOf(UserError.class).hasMessageContaining("cannot be resolved");
        assertThat(ConfigSources.parse("home = ${?HOME}", dir.resolve("c.conf")).hasPath("home")).isFalse();
    }

    @Test
    void deepNestingIsRefusedBeforeTheParserRecursesIntoIt() throws Exception {
        String deep = "a = " + "{b = ".repeat(20_000) + "1" + "}".repeat(20_000);
        assertThatThrownBy(() -> ConfigSources.parse(deep, dir.resolve("c.conf"))).isInstanceOf(UserError.class)
                .hasMessageContaining("nests objects and lists deeper than 64 levels");
        Files.writeString(dir.resolve("deep.conf"), "x = " + "[".repeat(20_000) + "]".repeat(20_000));
        assertThatThrownBy(() -> ConfigSources.user(dir.resolve("deep.conf"), List.of()))
                .hasMessageContaining("deep.conf nests objects and lists deeper than 64 levels");
        assertThatThrownBy(() -> ConfigSources.user(null, List.of("x=" + "[".repeat(200) + "]".repeat(200))))
                .hasMessageContaining("--set x nests objects");
        // Brackets inside strings and comments do not count.
        assertThat(ConfigSources.parse("# " + "{".repeat(100) + "\na = \"" + "[".repeat(100) + "\"", dir.resolve("c.conf"))
                .getString("a")).hasSize(100);
    }
}
