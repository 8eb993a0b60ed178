package org.score4j.api.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.score4j.api.tensors.Tensors;

/**
 * A file in the safetensors layout: an 8-byte little-endian header length n, n bytes of JSON naming each tensor's
 * dtype, shape and byte range (and an optional {@code __metadata__} map of strings), then the tensors' raw
 * little-endian bytes. PyTorch and Hugging Face tools read and write it; it holds data only, so reading one never runs
 * code.
 *
 * <p>{@link #open} checks everything before allocating anything: that the path is a regular file (not a FIFO or a
 * device), the header length against the file's real size, the header as JSON of bounded depth and size, every
 * tensor's dtype, shape and byte range (element count × width = range length, ranges inside the file, covering the
 * data without overlaps or holes), and the total size against a memory budget. {@link #read} then allocates exactly the
 * tensor's bytes. Not thread-safe; close it to release the file.
 */
public final class SafeTensors implements AutoCloseable {
    /** The largest header read; a header is JSON text naming tensors, never their data. */
    public static final int MAX_HEADER_BYTES = 16 << 20;
    private static final int MAX_HEADER_VALUES = 200_000;
    private static final int MAX_RANK = 8;
    private static final String METADATA = "__metadata__";

    /** The element types score4j reads and writes. */
    public enum DType {
        F32(4, DataType.FLOAT), F64(8, DataType.DOUBLE), I32(4, DataType.INT), I64(8, DataType.LONG);

        private final int width;
        private final DataType type;

        DType(int width, DataType type) {
            this.width = width;
            this.type = type;
        }

        /** Bytes per element. */
        public int width() {
            return width;
        }

        /** The ND4J data type arrays of this dtype are read into. */
        public DataType dataType() {
            return type;
        }

        static DType of(DataType type) {
            for (DType d : values()) {
                if (d.type == type) {
                    return d;
                }
            }
            throw new IllegalArgumentException("safetensors files hold FLOAT, DOUBLE, INT or LONG arrays, not " + type);
        }
    }

    /** One tensor of a file: its dtype, shape and byte range within the data section. */
    public record Entry(String name, DType dtype, long[] shape, long begin, long end) {
        public Entry {
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** The number of elements. */
        public long elements() {
            return (end - begin) / dtype.width();
        }
    }

    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, String> metadata;
    private final Map<String, Entry> entries;

    private SafeTensors(Path file, FileChannel channel, long dataStart, Map<String, String> metadata,
                        Map<String, Entry> entries) {
        this.file = file;
        this.channel = channel;
        this.dataStart = dataStart;
        this.metadata = metadata;
        this.entries = entries;
    }

    /**
     * Opens and checks a file.
     *
     * @param budgetBytes the most bytes its tensors may hold together
     * @throws MalformedTensorFileException naming the file and what is wrong with it
     * @throws IOException                  if it cannot be read
     */
    public static SafeTensors open(Path file, long budgetBytes) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new MalformedTensorFileException(file, Files.exists(file, LinkOption.NOFOLLOW_LINKS) || Files.exists(file)
                    ? "not a regular file (a directory, device or pipe is never read)" : "no such file");
        }
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (size < 8) {
                throw new MalformedTensorFileException(file, "too short for a safetensors file (" + size + " bytes)");
            }
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, length, 0);
            long n = length.flip().getLong();
            if (n < 2 || n > size - 8) {
                throw new MalformedTensorFileException(file, "the header length " + Long.toUnsignedString(n)
                        + " does not fit in the file's " + size + " bytes");
            }
            if (n > MAX_HEADER_BYTES) {
                throw new MalformedTensorFileException(file, "the header length " + n + " is over the "
                        + MAX_HEADER_BYTES + "-byte limit of a header");
            }
            ByteBuffer header = ByteBuffer.allocate((int) n);
            readFully(channel, header, 8);
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(header.flip()).toString();
            } catch (CharacterCodingException e) {
                throw new MalformedTensorFileException(file, "the header is not UTF-8 text");
            }
            Object parsed;
            try {
                parsed = Json.parse(text, MAX_HEADER_VALUES);
            } catch (IllegalArgumentException e) {
                throw new MalformedTensorFileException(file, "the header is not valid JSON: " + e.getMessage());
            }
            if (!(parsed instanceof Map<?, ?> top)) {
                throw new MalformedTensorFileException(file, "the header is not a JSON object");
            }
            SafeTensors t = new SafeTensors(file, channel, 8 + n, metadata(file, top.get(METADATA)),
                    entries(file, top, size - 8 - n, budgetBytes));
            channel = null;
            return t;
        } finally {
            if (channel != null) {
                channel.close();
            }
        }
    }

    private static Map<String, String> metadata(Path file, Object raw) throws MalformedTensorFileException {
        if (raw == null) {
            return Map.of();
        }
        if (!(raw instanceof Map<?, ?> m)) {
            throw new MalformedTensorFileException(file, METADATA + " is not an object of strings");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new MalformedTensorFileException(file, METADATA + "." + e.getKey() + " is not a string");
            }
            out.put((String) e.getKey(), s);
        }
        return Collections.unmodifiableMap(out);
    }

    private static Map<String, Entry> entries(Path file, Map<?, ?> top, long dataLength, long budget)
            throws MalformedTensorFileException {
        List<Entry> list = new ArrayList<>();
        for (Map.Entry<?, ?> e : top.entrySet()) {
            String name = (String) e.getKey();
            if (name.equals(METADATA)) {
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> t)) {
                throw new MalformedTensorFileException(file, "tensor '" + name + "' is not described by an object");
            }
            DType dtype;
            try {
                dtype = DType.valueOf(String.valueOf(t.get("dtype")));
            } catch (IllegalArgumentException ex) {
                throw new MalformedTensorFileException(file, "tensor '" + name + "' has dtype " + t.get("dtype")
                        + "; readable dtypes: " + Arrays.toString(DType.values()));
            }
            long[] shape = longs(file, name, "shape", t.get("shape"), -1);
            long[] range = longs(file, name, "data_offsets", t.get("data_offsets"), 2);
            if (shape.length > MAX_RANK) {
                throw new MalformedTensorFileException(file, "tensor '" + name + "' has rank " + shape.length
                        + " (at most " + MAX_RANK + ")");
            }
            long count = 1;
            try {
                for (long s : shape) {
                    if (s < 0) {
                        throw new MalformedTensorFileException(file, "tensor '" + name + "' has a negative dimension");
                    }
                    count = Math.multiplyExact(count, s);
                }
                count = Math.multiplyExact(count, dtype.width());
            } catch (ArithmeticException ex) {
                throw new MalformedTensorFileException(file, "tensor '" + name + "' of shape " + Arrays.toString(shape)
                        + " has more elements than any file can hold");
            }
            long begin = range[0];
            long end = range[1];
            if (begin < 0 || end < begin || end > dataLength) {
                throw new MalformedTensorFileException(file, "tensor '" + name + "' claims bytes [" + begin + ", " + end
                        + ") of a data section of " + dataLength + " bytes");
            }
            if (end - begin != count) {
                throw new MalformedTensorFileException(file, "tensor '" + name + "' of shape " + Arrays.toString(shape)
                        + " and dtype " + dtype + " needs " + count + " bytes but its range holds " + (end - begin));
            }
            list.add(new Entry(name, dtype, shape, begin, end));
        }
        list.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long at = 0;
        for (Entry e : list) {
            if (e.begin() != at) {
                throw new MalformedTensorFileException(file, e.begin() < at ? "tensor '" + e.name()
                        + "' overlaps another" : "the data section has a hole before tensor '" + e.name() + "'");
            }
            at = e.end();
        }
        if (at != dataLength) {
            throw new MalformedTensorFileException(file, "the data section has " + (dataLength - at)
                    + " bytes that no tensor describes");
        }
        if (dataLength > budget) {
            throw new MalformedTensorFileException(file, "its tensors hold " + dataLength + " bytes, over the memory "
                    + "budget of " + budget + " bytes");
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        list.forEach(e -> out.put(e.name(), e));
        return Collections.unmodifiableMap(out);
    }

    private static long[] longs(Path file, String tensor, String key, Object raw, int length)
            throws MalformedTensorFileException {
        if (!(raw instanceof List<?> l) || (length >= 0 && l.size() != length)
                || !l.stream().allMatch(v -> v instanceof Long)) {
            throw new MalformedTensorFileException(file, "tensor '" + tensor + "' has no valid " + key
                    + (length >= 0 ? " (" + length + " whole numbers)" : " (a list of whole numbers)"));
        }
        return l.stream().mapToLong(v -> (Long) v).toArray();
    }

    /** The file's metadata, string to string (empty if it has none). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensors' names, in the order of their data. */
    public Set<String> names() {
        return entries.keySet();
    }

    /** The description of tensor {@code name}, or null if the file has none of that name. */
    public Entry entry(String name) {
        return entries.get(name);
    }

    /**
     * Reads tensor {@code name} into a new array of its dtype, checking its shape first.
     *
     * @param expectedShape the shape the caller needs, or null to accept the file's
     * @throws MalformedTensorFileException if there is no such tensor or it has another shape
     */
    public INDArray read(String name, long[] expectedShape) throws IOException {
        Entry e = entries.get(name);
        if (e == null) {
            throw new MalformedTensorFileException(file, "has no tensor '" + name + "' (it has " + names() + ")");
        }
        if (expectedShape != null && !Arrays.equals(expectedShape, e.shape())) {
            throw new MalformedTensorFileException(file, "tensor '" + name + "' has shape " + Arrays.toString(e.shape())
                    + ", expected " + Arrays.toString(expectedShape));
        }
        long bytes = e.end() - e.begin();
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new MalformedTensorFileException(file, "tensor '" + name + "' is larger than 2 GiB");
        }
        ByteBuffer data = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, data, dataStart + e.begin());
        data.flip();
        long[] shape = e.shape();
        int n = (int) e.elements();
        return switch (e.dtype()) {
            case F32 -> {
                float[] v = new float[n];
                data.asFloatBuffer().get(v);
                yield Tensors.array(v, DataType.FLOAT, shape);
            }
            case F64 -> {
                double[] v = new double[n];
                data.asDoubleBuffer().get(v);
                yield Tensors.array(v, DataType.DOUBLE, shape);
            }
            case I32 -> {
                int[] v = new int[n];
                data.asIntBuffer().get(v);
                yield Nd4j.createFromArray(v).reshape(shape);
            }
            case I64 -> {
                long[] v = new long[n];
                data.asLongBuffer().get(v);
                yield Nd4j.createFromArray(v).reshape(shape);
            }
        };
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        long at = position;
        while (into.hasRemaining()) {
            int n = channel.read(into, at);
            if (n < 0) {
                throw new java.io.EOFException("the file ended early (it may be being written or truncated)");
            }
            at += n;
        }
    }

    /**
     * Writes tensors and metadata in the safetensors layout, tensors in the map's order, the header padded with spaces
     * to a multiple of 8 bytes. Does not close {@code out}.
     *
     * @throws IllegalArgumentException for a name that is empty or {@code __metadata__}, or an array of an unsupported
     *                                  type
     */
    public static void write(OutputStream out, Map<String, INDArray> tensors, Map<String, String> metadata)
            throws IOException {
        StringBuilder h = new StringBuilder("{");
        if (!metadata.isEmpty()) {
            h.append(Json.quote(METADATA)).append(":{");
            boolean first = true;
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                h.append(first ? "" : ",").append(Json.quote(e.getKey())).append(':').append(Json.quote(e.getValue()));
                first = false;
            }
            h.append('}');
        }
        long at = 0;
        List<byte[]> data = new ArrayList<>();
        for (Map.Entry<String, INDArray> e : tensors.entrySet()) {
            String name = e.getKey();
            if (name.isEmpty() || name.equals(METADATA)) {
                throw new IllegalArgumentException("invalid tensor name '" + name + "'");
            }
            INDArray a = e.getValue();
            DType dtype = DType.of(a.dataType());
            byte[] bytes = bytes(a, dtype);
            h.append(h.length() > 1 ? "," : "").append(Json.quote(name)).append(":{\"dtype\":\"").append(dtype)
                    .append("\",\"shape\":").append(Arrays.toString(a.shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[").append(at).append(',').append(at + bytes.length).append("]}");
            at += bytes.length;
            data.add(bytes);
        }
        h.append('}');
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        byte[] head = Arrays.copyOf(header, padded);
        Arrays.fill(head, header.length, padded, (byte) ' ');
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(head);
        for (byte[] d : data) {
            out.write(d);
        }
    }

    private static byte[] bytes(INDArray a, DType dtype) {
        long bytes = a.length() * dtype.width();
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("tensors over 2 GiB are not supported");
        }
        ByteBuffer b = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> b.asFloatBuffer().put(Tensors.floats(a));
            case F64 -> b.asDoubleBuffer().put(Tensors.doubles(a));
            case I32 -> b.asIntBuffer().put(a.dup('c').data().asInt());
            case I64 -> b.asLongBuffer().put(a.dup('c').data().asLong());
        }
        return b.array();
    }
}
