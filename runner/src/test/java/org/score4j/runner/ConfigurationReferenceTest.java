package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.score4j.core.config.ConfigurationReference;
import org.score4j.core.plugins.Catalog;
import org.score4j.core.plugins.ComponentKind;

/**
 * docs/configuration.md is the configuration reference rendered from the runner's defaults and every built-in plugin
 * on this module's class path, byte for byte. With {@code -Dscore4j.update-docs=true} the test writes the page instead.
 */
class ConfigurationReferenceTest {
    /** From the repository's root: builds the modules the runner needs from this checkout, then writes the page. */
    static final String REGENERATE = "mvn -o -q -B -pl runner -am test -Dtest=ConfigurationReferenceTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dscore4j.update-docs=true";
    private static final Path PAGE = Path.of("..", "docs", "configuration.md").toAbsolutePath().normalize();

    @Test
    void docsConfigurationMdIsTheReferenceOfTheBuiltInComponents() throws Exception {
        String rendered = ConfigurationReference.markdown(Catalog.discover(null), REGENERATE);
        if (Boolean.getBoolean("score4j.update-docs")) {
            Files.writeString(PAGE, rendered, StandardCharsets.UTF_8);
        }
        if (!Files.isRegularFile(PAGE)) {
            fail(PAGE + " is missing; generate it with: " + REGENERATE);
        }
        String page = Files.readString(PAGE, StandardCharsets.UTF_8);
        if (!page.equals(rendered)) {
            String[] a = page.split("\n", -1);
            String[] b = rendered.split("\n", -1);
            int line = 0;
            while (line < Math.min(a.length, b.length) && a[line].equals(b[line])) {
                line++;
            }
            fail(PAGE + " is not the configuration reference of the current defaults (first difference at line "
                    + (line + 1) + ":\n  page:     " + (line < a.length ? a[line] : "(end)") + "\n  rendered: "
                    + (line < b.length ? b[line] : "(end)") + "\n). Regenerate it with:\n  " + REGENERATE);
        }
    }

    @Test
    void theReferenceListsEveryBuiltInComponentAndOnlyThose() {
        Catalog catalog = Catalog.discover(null);
        String rendered = ConfigurationReference.markdown(catalog, REGENERATE);
        for (ComponentKind kind : ComponentKind.values()) {
            catalog.of(kind).values().forEach(r -> assertThat(rendered).as("%s %s", kind.section(), r.factory().name())
                    .contains("### " + kind.section() + ": `" + r.factory().name() + "`"));
        }
        assertThat(rendered).contains("| `train.steps` | `4000` | Optimizer steps. |")
                .contains("| `sampler.name` | `annealed-langevin` |")
                .contains("| `schedule.sigma-max` | `20` |")
                .doesNotContain("ancestral").doesNotContain("cosine-sigma");
    }
}
