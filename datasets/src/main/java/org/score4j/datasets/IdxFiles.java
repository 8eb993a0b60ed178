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
        ByteBuffer in = ByteBuffer.wrap(content(images));
        header(images, in, IMAGES, 16, "image");
        int count = in.getInt();
        int rows = in.getInt();
        int cols = in.getInt();
        if (count <= 0 || rows <= 0 || cols <= 0) {
            throw new MalformedFileException(images + ": the header gives " + count + " images of " + rows + "×"
                    + cols + " pixels; expected positive numbers");
        }
        long need = (long) count * rows * cols;
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
            byte[] raw = content(labels);
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
        return new ImageSet(pixels, label, 1, rows, cols, dequantize, fingerprint);
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

    /** The file's bytes, gunzipped when they start with the gzip magic number. */
    private static byte[] content(Path file) throws MalformedFileException {
        byte[] raw = MalformedFileException.readAll(file);
        if (raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b) {
            try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(raw))) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4);
                gz.transferTo(out);
                return out.toByteArray();
            } catch (IOException e) {
                throw new MalformedFileException(file + " is a damaged gzip file: " + e.getMessage());
            }
        }
        return raw;
    }
}
