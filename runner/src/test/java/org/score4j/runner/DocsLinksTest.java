package org.score4j.runner;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every relative link in README.md and docs/*.md — Markdown links and images, reference definitions, HTML
 * {@code href}/{@code src} — leads to a file of the repository, and every {@code #anchor} to a heading of its target
 * (GitHub's heading slugs) or an HTML {@code id}/{@code name}.
 */
class DocsLinksTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static final Pattern INLINE = Pattern.compile("!?\\[((?:[^\\[\\]]|\\[[^\\[\\]]*\\])*)\\]\\(\\s*<?([^\\s)>]*)>?"
            + "(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern DEFINITION = Pattern.compile("^ {0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s+.*)?$");
    private static final Pattern HTML = Pattern.compile("(?i)\\b(?:href|src)\\s*=\\s*[\"']([^\"']*)[\"']");
    private static final Pattern HTML_ANCHOR = Pattern.compile("(?i)<a\\s[^>]*\\b(?:name|id)\\s*=\\s*[\"']([^\"']+)[\"']"
            + "|\\bid\\s*=\\s*[\"']([^\"']+)[\"']");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");

    @TempDir
    Path dir;

    @Test
    void everyRelativeLinkInTheReadmeAndTheDocsResolves() {
        List<Path> pages = pages(ROOT);
        assertThat(pages).as("README.md and docs/*.md").contains(ROOT.resolve("README.md"))
                .anyMatch(p -> p.getParent().equals(ROOT.resolve("docs")));
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            broken.addAll(brokenLinks(ROOT, page));
        }
        assertThat(broken).as("broken links (file:line: link: why)").isEmpty();
    }

    @Test
    void brokenFilesAndAnchorsAreEachReportedAndGoodOnesAreNot() throws Exception {
        Files.createDirectories(dir.resolve("docs/images"));
        Files.writeString(dir.resolve("docs/images/a.png"), "png");
        Files.writeString(dir.resolve("docs/guide.md"), """
                # The guide
                ## What `score4j run` writes
                ## Speed: `score4j bench` against PyTorch
                ## Speed: `score4j bench` against PyTorch
                <a name="custom"></a>
                ```bash
                # not a heading
                [not a link](nowhere.md)
                ```
                Back to [the start](../README.md#score4j) and [here](#the-guide); `[code](nowhere.md)` is not a link.
                """);
        Files.writeString(dir.resolve("README.md"), """
                # score4j
                ![figure](docs/images/a.png) [guide](docs/guide.md) [writes](docs/guide.md#what-score4j-run-writes)
                [speed](docs/guide.md#speed-score4j-bench-against-pytorch-1) [custom](docs/guide.md#custom)
                [web](https://example.org/x.md) [mail](mailto:a@b.c) [top](#score4j)
                <img src="docs/images/a.png" width="40%">
                [gone](docs/gone.md) ![missing](docs/images/b.png) [bad anchor](docs/guide.md#no-such-heading)
                [self](#nowhere) <img src="docs/images/c.png"> [ref][r]

                [r]: docs/also-gone.md
                """);
        List<String> broken = new ArrayList<>();
        for (Path page : pages(dir)) {
            broken.addAll(brokenLinks(dir, page));
        }
        assertThat(broken).containsExactlyInAnyOrder(
                "README.md:6: docs/gone.md: no such file",
                "README.md:6: docs/images/b.png: no such file",
                "README.md:6: docs/guide.md#no-such-heading: docs/guide.md has no heading or anchor 'no-such-heading'",
                "README.md:7: #nowhere: README.md has no heading or anchor 'nowhere'",
                "README.md:7: docs/images/c.png: no such file",
                "README.md:9: docs/also-gone.md: no such file");
    }

    @Test
    void headingsGetGitHubsSlugs() {
        assertThat(slug("What the default run shows")).isEqualTo("what-the-default-run-shows");
        assertThat(slug("Speed: `score4j bench` against PyTorch")).isEqualTo("speed-score4j-bench-against-pytorch");
        assertThat(slug("Migrating from API 1.x")).isEqualTo("migrating-from-api-1x");
        assertThat(slug("The runner's keys")).isEqualTo("the-runners-keys");
        assertThat(slug("sampler: `dpm-solver-pp-2m`")).isEqualTo("sampler-dpm-solver-pp-2m");
        assertThat(slug("Past one machine: the [spark](x.md) engine")).isEqualTo("past-one-machine-the-spark-engine");
        assertThat(slug("snake_case and **bold**")).isEqualTo("snake_case-and-bold");
    }

    /** README.md and the Markdown files directly in docs/. */
    static List<Path> pages(Path root) {
        List<Path> pages = new ArrayList<>();
        if (Files.isRegularFile(root.resolve("README.md"))) {
            pages.add(root.resolve("README.md"));
        }
        if (Files.isDirectory(root.resolve("docs"))) {
            try (Stream<Path> s = Files.list(root.resolve("docs"))) {
                s.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p)).sorted().forEach(pages::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return pages;
    }

    /** Each broken relative link of {@code page} as "file:line: link: why". */
    static List<String> brokenLinks(Path root, Path page) {
        List<String> broken = new ArrayList<>();
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> lines = read(page);
        boolean fenced = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (FENCE.matcher(line).find()) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            String text = line.replaceAll("`[^`]*`", "``");
            List<String> targets = new ArrayList<>();
            Matcher m = INLINE.matcher(text);
            while (m.find()) {
                targets.add(m.group(2));
            }
            m = DEFINITION.matcher(text);
            if (m.find()) {
                targets.add(m.group(1));
            }
            m = HTML.matcher(text);
            while (m.find()) {
                targets.add(m.group(1));
            }
            for (String target : targets) {
                String problem = problem(root, page, target, anchors);
                if (problem != null) {
                    broken.add(root.relativize(page) + ":" + (i + 1) + ": " + target + ": " + problem);
                }
            }
        }
        return broken;
    }

    private static String problem(Path root, Path page, String target, Map<Path, Set<String>> anchors) {
        if (target.isEmpty()) {
            return "empty link";
        }
        if (SCHEME.matcher(target).find() || target.startsWith("//")) {
            return null;
        }
        int hash = target.indexOf('#');
        String file = hash < 0 ? target : target.substring(0, hash);
        String anchor = hash < 0 ? null : target.substring(hash + 1);
        Path resolved = file.isEmpty() ? page
                : page.getParent().resolve(java.net.URLDecoder.decode(file, StandardCharsets.UTF_8)).normalize();
        if (!resolved.startsWith(root)) {
            return "leads outside the repository";
        }
        if (!Files.exists(resolved)) {
            return "no such file";
        }
        if (anchor == null || anchor.isEmpty()) {
            return null;
        }
        if (!resolved.toString().endsWith(".md") || !Files.isRegularFile(resolved)) {
            return "an anchor into " + root.relativize(resolved) + ", which is not a Markdown file";
        }
        Set<String> known = anchors.computeIfAbsent(resolved, DocsLinksTest::anchors);
        String wanted = java.net.URLDecoder.decode(anchor, StandardCharsets.UTF_8);
        return known.contains(wanted) ? null
                : root.relativize(resolved) + " has no heading or anchor '" + anchor + "'";
    }

    /** The anchors of a Markdown file: its headings' slugs (repeats numbered -1, -2, …) and HTML ids and names. */
    static Set<String> anchors(Path page) {
        Set<String> out = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean fenced = false;
        for (String line : read(page)) {
            if (FENCE.matcher(line).find()) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher h = HEADING.matcher(line);
            if (h.matches()) {
                String slug = slug(h.group(2));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                out.add(n == 0 ? slug : slug + "-" + n);
            }
            Matcher a = HTML_ANCHOR.matcher(line);
            while (a.find()) {
                out.add(a.group(1) != null ? a.group(1) : a.group(2));
            }
        }
        return out;
    }

    /**
     * GitHub's slug of a heading: its text (links reduced to their text, code and emphasis marks dropped) in lower case,
     * every character but letters, digits, '-', '_' and spaces removed, spaces turned into '-'.
     */
    static String slug(String heading) {
        String text = heading.replaceAll("!?\\[([^\\]]*)\\]\\([^)]*\\)", "$1").replaceAll("<[^>]+>", "")
                .replace("`", "").replace("*", "");
        StringBuilder b = new StringBuilder();
        for (int cp : text.strip().toLowerCase(Locale.ROOT).codePoints().toArray()) {
            if (Character.isLetterOrDigit(cp) || cp == '-' || cp == '_') {
                b.appendCodePoint(cp);
            } else if (cp == ' ') {
                b.append('-');
            }
        }
        return b.toString();
    }

    private static List<String> read(Path page) {
        try {
            return Files.readAllLines(page, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
