package org.score4j.core.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.score4j.core.UserError;

/** One writer per run directory, and --force removing only what score4j wrote. */
class RunDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void aSecondWriterIsRefusedAtOnceNamingTheHolder() {
        Path run = dir.resolve("run");
        try (RunDirectory first = RunDirectory.create(run, false, "score4j train")) {
            first.writeText("config.conf", "a = 1");
            assertThatThrownBy(() -> RunDirectory.existing(run, "score4j train --resume")).isInstanceOf(UserError.class)
                    .hasMessageContaining("run directory " + run + " is in use by another score4j (process "
                            + ProcessHandle.current().pid() + "@")
                    .hasMessageContaining("score4j train since")
                    .satisfies(e -> assertThat(((UserError) e).exitCode()).isEqualTo(UserError.BUSY));
        }
        // Released: the next writer gets it.
        try (RunDirectory again = RunDirectory.existing(run, "score4j train --resume")) {
            assertThat(again.owns("config.conf")).isTrue();
        }
    }

    @Test
    void forceRemovesOnlyTheFilesScore4jWroteAndNeverOverwritesAnotherFile() throws Exception {
        Path run = dir.resolve("run");
        try (RunDirectory d = RunDirectory.create(run, false, "score4j run")) {
            d.writeText("config.conf", "a = 1");
            d.writeText("metrics.json", "{}");
            Files.createDirectories(d.resolve("checkpoints"));
            d.recordFile(d.resolve("checkpoints/step-0000000001.safetensors"));
            Files.writeString(d.resolve("checkpoints/step-0000000001.safetensors"), "x");
        }
        Files.writeString(run.resolve("notes.txt"), "mine");
        Files.writeString(run.resolve("checkpoints/backup.zip.tmp"), "mine too");
        Files.writeString(run.resolve("checkpoints/step-0000000002.safetensors"), "copied in by hand");

        assertThatThrownBy(() -> RunDirectory.create(run, false, "score4j run")).hasMessageContaining("is not empty");
        try (RunDirectory d = RunDirectory.create(run, true, "score4j run")) {
            assertThat(run.resolve("config.conf")).doesNotExist();
            assertThat(run.resolve("metrics.json")).doesNotExist();
            assertThat(run.resolve("checkpoints/step-0000000001.safetensors")).doesNotExist();
            assertThat(run.resolve("notes.txt")).hasContent("mine");
            assertThat(run.resolve("checkpoints/backup.zip.tmp")).hasContent("mine too");
            assertThat(run.resolve("checkpoints/step-0000000002.safetensors")).hasContent("copied in by hand");
            Files.writeString(run.resolve("samples.csv"), "a user's file");
            assertThatThrownBy(() -> d.writeText("samples.csv", "x")).isInstanceOf(UserError.class)
                    .hasMessageContaining("will not overwrite " + run.resolve("samples.csv") + ": score4j did not write it");
            assertThat(run.resolve("samples.csv")).hasContent("a user's file");
        }
    }

    @Test
    void aPrefixedViewWritesBesideTheRunsOwnFiles() throws Exception {
        Path run = dir.resolve("run");
        try (RunDirectory d = RunDirectory.create(run, false, "score4j run")) {
            d.writeText("metrics.json", "{\"train\":1}");
            RunDirectory view = d.prefixed("sample-langevin.");
            view.writeText("metrics.json", "{\"samples\":1}");
            assertThat(view.file("samples.png")).isEqualTo(run.resolve("sample-langevin.samples.png"));
        }
        assertThat(run.resolve("metrics.json")).hasContent("{\"train\":1}");
        assertThat(run.resolve("sample-langevin.metrics.json")).hasContent("{\"samples\":1}");
    }

    @Test
    void aFullDiskOrAMissingPermissionIsNamed() throws Exception {
        Path run = dir.resolve("run");
        try (RunDirectory d = RunDirectory.create(run, false, "score4j run")) {
            // Writes to /dev/full fail with ENOSPC.
            Files.createSymbolicLink(run.resolve("metrics.json.tmp"), Path.of("/dev/full"));
            assertThatThrownBy(() -> d.writeText("metrics.json", "x".repeat(100_000))).isInstanceOf(UserError.class)
                    .hasMessageContaining("cannot write " + run.resolve("metrics.json"))
                    .hasMessageContaining("no space left on device (ENOSPC)")
                    .satisfies(e -> assertThat(((UserError) e).exitCode()).isEqualTo(UserError.IO));
        }
    }
}
