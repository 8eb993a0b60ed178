package org.score4j.datasets;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.score4j.api.spi.Fingerprint;

/**
 * Reads images and labels in the IDX format of MNIST and Fashion-MNIST (gzipped or not): an image file holds
 * magic 0x00000803, the count, rows and columns (big-endian ints), then the unsigned bytes; a label file holds
 * magic 0x00000801, the count, then one byte per label.
 */
public final class IdxFiles {
    private static final int IMAGES = 0x00000803;
    private static final int LABELS = 0x00000801;

    private IdxFiles() {
    }

    /**
     * @param labels the label file, or null
     * @throws MalformedFileException naming the file and what is wrong with it
     */
    public static ImageSet read(Path images, Path labels, boolean dequantize) throws MalformedFileException {
        ByteBuffer in = ByteBuffer.wrap(content(images, 16, IdxFiles::imageBytes));
        header(images, in, IMAGES, 16, "image");
        int count = in.getInt();
        int rows = in.getInt();
        int cols = in.getInt();
        if (count <= 0 || rows <= 0 || cols <= 0) {
            throw new MalformedFileException(images + ": the header gives " + count + " images of " + rows + "×"
                    + cols + " pixels; expected positive numbers");
        }
        long need = (long) count * rows * cols;
        if ((long) rows * cols > Integer.MAX_VALUE - 16 || need > MalformedFileException.MAX_BYTES) {
            throw new MalformedFileException(images + ": its header announces " + count + " images of " + rows + "×"
                    + cols + " pixels, more than the " + MalformedFileException.MAX_BYTES
                    + " bytes score4j reads from one data file");
        }
        if (in.remaining() < need) {
            throw new MalformedFileException(images + " is truncated: its header announces " + count + " images of "
                    + rows + "×" + cols + " pixels (" + need + " bytes after the header) but it holds " + in.remaining()
                    + " (" + in.remaining() / ((long) rows * cols) + " whole images)");
        }
        byte[][] pixels = new byte[count][rows * cols];
        for (byte[] p : pixels) {
            in.get(p);
        }
        int[] label = null;
        String labelHash = "";
        if (labels != null) {
            byte[] raw = content(labels, 8, header -> 8 + (long) Math.max(0, header.getInt(4)));
            ByteBuffer l = ByteBuffer.wrap(raw);
            header(labels, l, LABELS, 8, "label");
            int n = l.getInt();
            if (n != count) {
                throw new MalformedFileException(labels + " holds " + n + " labels but " + images + " holds "
                        + count + " images");
            }
            if (l.remaining() < n) {
                throw new MalformedFileException(labels + " is truncated: its header announces " + n
                        + " labels but it holds " + l.remaining());
            }
            label = new int[n];
            for (int i = 0; i < n; i++) {
                label[i] = l.get() & 0xff;
            }
            labelHash = Fingerprint.sha256(raw);
        }
        String fingerprint = Fingerprint.sha256("idx " + Fingerprint.sha256(in.array()) + " " + labelHash + " dequantize="
                + dequantize);
        return ImageSet.of(pixels, label, 1, rows, cols, dequantize, fingerprint);
    }

    private static void header(Path file, ByteBuffer in, int magic, int size, String kind)
            throws MalformedFileException {
        int found = in.remaining() >= 4 ? in.getInt(0) : magic;
        if (found == magic && in.remaining() < size) {
            throw new MalformedFileException(file + " is truncated: " + in.remaining() + " bytes, shorter than the "
                    + size + "-byte header of an IDX " + kind + " file");
        }
        in.getInt();
        if (found != magic) {
            throw new MalformedFileException(file + " is not an IDX " + kind + " file: it starts with 0x"
                    + String.format("%08x", found) + ", expected 0x" + String.format("%08x", magic)
                    + (kind.equals("image") && found == LABELS ? " (this is a label file)" : "")
                    + (kind.equals("label") && found == IMAGES ? " (this is an image file)" : ""));
        }
    }

    /** The bytes an image file's header announces, the header included (at most enough to say it is too many). */
    private static long imageBytes(ByteBuffer header) {
        long count = Math.max(0, header.getInt(4));
        long rows = Math.max(0, header.getInt(8));
        long cols = Math.max(0, header.getInt(12));
        return 16 + Math.min(Long.MAX_VALUE / 4, count * rows * cols);
    }

    /**
     * The file's bytes, gunzipped when they start with the gzip magic number. A gzipped file is decompressed while
     * streaming and never past what its header announces ({@code announced}, from its first {@code headerBytes}), nor
     * past {@link MalformedFileException#MAX_BYTES}: a "gzip bomb" costs at most that.
     */
    private static byte[] content(Path file, int headerBytes, java.util.function.ToLongFunction<ByteBuffer> announced)
            throws MalformedFileException {
        byte[] raw = MalformedFileException.readAll(file);
        if (raw.length < 2 || (raw[0] & 0xff) != 0x1f || (raw[1] & 0xff) != 0x8b) {
            return raw;
        }
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(raw))) {
            byte[] header = gz.readNBytes(headerBytes);
            long need = header.length < headerBytes ? header.length
                    : announced.applyAsLong(ByteBuffer.wrap(header));
            if (need > MalformedFileException.MAX_BYTES) {
                throw new MalformedFileException(file + ": its header announces " + need + " bytes, more than the "
                        + MalformedFileException.MAX_BYTES + " bytes score4j reads from one data file");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(need, 64L << 20));
            out.write(header);
            long rest = need - header.length;
            byte[] chunk = new byte[1 << 16];
            while (rest > 0) {
                int n = gz.read(chunk, 0, (int) Math.min(chunk.length, rest));
                if (n < 0) {
                    break;
                }
                out.write(chunk, 0, n);
                rest -= n;
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new MalformedFileException(file + " is a damaged gzip file: " + e.getMessage());
        }
    }
}
