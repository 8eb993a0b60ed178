package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.score4j.api.spi.ScheduleFactory;
import org.score4j.api.spi.Score4jPlugin;
import org.score4j.api.spi.Settings;
import org.score4j.testkit.PluginContract;
import org.score4j.testkit.ScheduleContract;

/** The built-in plugins pass the same contract tests the test kit offers third-party authors. */
class BuiltInPluginsTest {
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    @Test
    void everyBuiltInPluginPassesThePluginContract() throws Exception {
        java.nio.file.Path csv = java.nio.file.Files.writeString(dir.resolve("points.csv"), "x,y\n1,2\n3,4\n");
        List<Score4jPlugin> plugins = ServiceLoader.load(Score4jPlugin.class).stream().map(ServiceLoader.Provider::get).toList();
        assertThat(plugins).extracting(p -> p.getClass().getSimpleName()).contains("DatasetsPlugin", "NcsnPlugin",
                "DsmPlugin", "SsmPlugin", "SchedulesPlugin", "LangevinPlugin", "AnnealedPlugin");
        java.nio.ByteBuffer idx = java.nio.ByteBuffer.allocate(16 + 2 * 9).putInt(0x00000803).putInt(2).putInt(3).putInt(3);
        java.nio.file.Path images = java.nio.file.Files.write(dir.resolve("images.idx"), idx.array());
        java.nio.file.Path folder = java.nio.file.Files.createDirectories(dir.resolve("pictures"));
        javax.imageio.ImageIO.write(new java.awt.image.BufferedImage(3, 3, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
                "png", folder.resolve("a.png").toFile());
        // The file-based data sets need their files; everything else builds from its defaults.
        plugins.forEach(p -> PluginContract.assertWellFormed(p, java.util.Map.of("csv", "path = \"" + csv + "\"",
                "idx", "images = \"" + images + "\"", "image-folder", "path = \"" + folder + "\"")));
    }

    @Test
    void everyBuiltInScheduleIsWellFormedAtItsDefaultsAndAtOneLevel() {
        for (Score4jPlugin plugin : ServiceLoader.load(Score4jPlugin.class)) {
            for (ScheduleFactory f : plugin.schedules()) {
                ScheduleContract.assertWellFormed(f.create(Settings.of(f, "")));
                ScheduleContract.assertWellFormed(f.create(Settings.of(f, "levels = 1")));
                ScheduleContract.assertWellFormed(f.create(Settings.of(f, "levels = 25, sigma-max = 50, sigma-min = 0.01")));
            }
        }
    }
}
