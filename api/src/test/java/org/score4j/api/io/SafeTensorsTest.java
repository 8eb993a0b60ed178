package org.score4j.api.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.random.SeededRandom;

/** The safetensors layout written and read back, and every malformed file refused before anything is allocated. */
class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void writesTheLayoutOtherToolsReadAndReadsItBack() throws Exception {
        INDArray a = new SeededRandom(1).normal(3, 4);
        INDArray b = Nd4j.createFromArray(1.5, -2.25).castTo(DataType.DOUBLE);
        INDArray c = Nd4j.createFromArray(7L, 8L, 9L);
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        tensors.put("a", a);
        tensors.put("b", b);
        tensors.put("c", c);
        Path file = dir.resolve("t.safetensors");
        try (OutputStream out = Files.newOutputStream(file)) {
            SafeTensors.write(out, tensors, Map.of("format", "x \"quoted\"\nline"));
        }
        // The layout: an 8-byte little-endian header length, a JSON header padded to 8 bytes, the data.
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(n % 8).isZero();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8).strip();
        assertThat(header).startsWith("{\"__metadata__\":{\"format\":\"x \\\"quoted\\\"\\nline\"}")
                .contains("\"a\":{\"dtype\":\"F32\",\"shape\":[3,4],\"data_offsets\":[0,48]}")
                .contains("\"b\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[48,64]}")
                .contains("\"c\":{\"dtype\":\"I64\",\"shape\":[3],\"data_offsets\":[64,88]}");
        assertThat(bytes.length).isEqualTo(8 + n + 88);
        assertThat(ByteBuffer.wrap(bytes, (int) (8 + n + 48), 8).order(ByteOrder.LITTLE_ENDIAN).getDouble()).isEqualTo(1.5);

        try (SafeTensors t = SafeTensors.open(file, 1000)) {
            assertThat(t.metadata()).containsEntry("format", "x \"quoted\"\nline");
            assertThat(t.names()).containsExactly("a", "b", "c");
            assertThat(t.read("a", new long[] {3, 4}).data().asFloat()).containsExactly(a.data().asFloat());
            assertThat(t.read("b", null).data().asDouble()).containsExactly(1.5, -2.25);
            assertThat(t.read("c", null).data().asLong()).containsExactly(7, 8, 9);
            assertThatThrownBy(() -> t.read("a", new long[] {12})).isInstanceOf(MalformedTensorFileException.class)
                    .hasMessageContaining("tensor 'a' has shape [3, 4], expected [12]");
            assertThatThrownBy(() -> t.read("z", null)).hasMessageContaining("has no tensor 'z'");
        }
    }

    @Test
    void refusesMalformedFilesNamingTheFileAndTheProblem() throws Exception {
        assertRefused(new byte[] {1, 2, 3}, "too short for a safetensors file (3 bytes)");
        assertRefused(withHeaderLength(1L << 40, "{}"), "the header length 1099511627776 does not fit in the file's");
        assertRefused(withHeaderLength(-1, "{}"), "the header length 18446744073709551615 does not fit");
        assertRefused(file("[1,2]", 0), "the header is not a JSON object");
        assertRefused(file("{\"a\":", 0), "the header is not valid JSON");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 4),
                "tensor 'a' claims bytes [0, 8) of a data section of 4 bytes");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8),
                "tensor 'a' of shape [3] and dtype F32 needs 12 bytes but its range holds 8");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1000000000000,1000000000000],\"data_offsets\":[0,8]}}", 8),
                "has more elements than any file can hold");
        assertRefused(file("{\"a\":{\"dtype\":\"X9\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), "tensor 'a' has dtype X9");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "overlaps another");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "has a hole");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8),
                "4 bytes that no tensor describes");
        assertRefused(file("{\"__metadata__\":{\"k\":1}}", 0), "__metadata__.k is not a string");
        String deep = "[".repeat(20_000) + "]".repeat(20_000);
        assertRefused(file("{\"a\":" + deep + "}", 0), "nested deeper than 8");
        assertRefused(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8), 7,
                "its tensors hold 8 bytes, over the memory budget of 7 bytes");
    }

    @Test
    void neverOpensWhatIsNotARegularFile() {
        assertThatThrownBy(() -> SafeTensors.open(Path.of("/dev/zero"), 1 << 20))
                .isInstanceOf(MalformedTensorFileException.class).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> SafeTensors.open(dir, 1 << 20)).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> SafeTensors.open(dir.resolve("none"), 1 << 20)).hasMessageContaining("no such file");
    }

    private void assertRefused(byte[] bytes, String message) throws Exception {
        assertRefused(bytes, 1 << 20, message);
    }

    private void assertRefused(byte[] bytes, long budget, String message) throws Exception {
        Path f = Files.write(dir.resolve("bad.safetensors"), bytes);
        assertThatThrownBy(() -> SafeTensors.open(f, budget)).isInstanceOf(MalformedTensorFileException.class)
                .hasMessageStartingWith(f + ": ").hasMessageContaining(message);
    }

    private static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    private static byte[] withHeaderLength(long length, String header) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(length).put(h);
        return b.array();
    }

    @Test
    void aHeaderIsReadOnlyAsFarAsItsLengthAndNeverParsedPastItsLimits() throws Exception {
        ByteArrayOutputStream many = new ByteArrayOutputStream();
        many.write("{\"a\":[".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 300_000; i++) {
            many.write("1,".getBytes(StandardCharsets.UTF_8));
        }
        many.write("1]}".getBytes(StandardCharsets.UTF_8));
        assertRefused(file(many.toString(StandardCharsets.UTF_8), 0), "more than 200000 values");
    }
}
