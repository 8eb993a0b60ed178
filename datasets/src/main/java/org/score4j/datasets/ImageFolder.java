package org.score4j.datasets;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.score4j.api.spi.Fingerprint;

/**
 * Reads a folder of PNG or JPEG images of one size. Images directly in the folder have no label; when the
 * folder holds sub-folders instead, each sub-folder is a class (labelled in the sorted order of their names).
 * {@code channels = 1} converts to grey (ITU-R BT.601 luma), {@code 3} keeps red, green and blue.
 */
public final class ImageFolder {
    private ImageFolder() {
    }

    /** @throws MalformedFileException naming the folder or the file that cannot be used */
    public static ImageSet read(Path folder, int channels, boolean dequantize) throws MalformedFileException {
        if (!Files.isDirectory(folder)) {
            throw new MalformedFileException("image folder " + folder + " does not exist or is not a directory");
        }
        List<Path> classes = list(folder, Files::isDirectory);
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        if (classes.isEmpty()) {
            files.addAll(list(folder, ImageFolder::isImage));
        } else {
            for (int c = 0; c < classes.size(); c++) {
                for (Path f : list(classes.get(c), ImageFolder::isImage)) {
                    files.add(f);
                    labels.add(c);
                }
            }
        }
        if (files.isEmpty()) {
            throw new MalformedFileException("image folder " + folder + " holds no .png, .jpg or .jpeg files"
                    + (classes.isEmpty() ? "" : " in its sub-folders"));
        }
        byte[][] pixels = new byte[files.size()][];
        int width = -1;
        int height = -1;
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
        long total = 0;
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            BufferedImage img = decode(f, (long) channels, MalformedFileException.MAX_BYTES - total);
            total += (long) channels * img.getWidth() * img.getHeight();
            if (i == 0) {
                width = img.getWidth();
                height = img.getHeight();
            } else if (img.getWidth() != width || img.getHeight() != height) {
                throw new MalformedFileException(f + " is " + img.getWidth() + "×" + img.getHeight() + " pixels but "
                        + files.get(0) + " is " + width + "×" + height + "; all images must have one size");
            }
            pixels[i] = channels == 1 ? grey(img) : rgb(img);
            digest.update(pixels[i]);
        }
        int[] label = classes.isEmpty() ? null : labels.stream().mapToInt(Integer::intValue).toArray();
        String fingerprint = Fingerprint.sha256("folder " + java.util.HexFormat.of().formatHex(digest.digest()) + " " + labels
                + " channels=" + channels + " dequantize=" + dequantize);
        return ImageSet.of(pixels, label, channels, height, width, dequantize, fingerprint);
    }

    /** The largest width or height of an image read. */
    static final int MAX_SIDE = 8192;

    /**
     * Decodes one image after checking its size from its header, so that a small file announcing a huge image (a
     * "decompression bomb") is refused before any pixel is allocated.
     *
     * @param room the bytes of pixels still allowed for the whole folder
     */
    private static BufferedImage decode(Path f, long channels, long room) throws MalformedFileException {
        if (!Files.isRegularFile(f)) {
            throw new MalformedFileException(f + " is not a regular file");
        }
        try (javax.imageio.stream.ImageInputStream in = ImageIO.createImageInputStream(f.toFile())) {
            java.util.Iterator<javax.imageio.ImageReader> readers = in == null ? java.util.Collections.emptyIterator()
                    : ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new MalformedFileException(f + " is not a PNG or JPEG image this reader understands");
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width > MAX_SIDE || height > MAX_SIDE || width < 1 || height < 1) {
                    throw new MalformedFileException(f + " is " + width + "×" + height + " pixels; images of up to "
                            + MAX_SIDE + "×" + MAX_SIDE + " are read");
                }
                if (channels * width * height > room) {
                    throw new MalformedFileException(f + ": the folder's images hold more than the "
                            + MalformedFileException.MAX_BYTES + " bytes of pixels score4j reads from one data set");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new MalformedFileException(f + " cannot be read as an image: " + e.getMessage());
        }
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }

    private static List<Path> list(Path dir, java.util.function.Predicate<Path> keep) throws MalformedFileException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(keep).sorted().toList();
        } catch (IOException e) {
            throw new MalformedFileException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    private static byte[] grey(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                double luma = 0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff);
                out[y * w + x] = (byte) Math.round(luma);
            }
        }
        return out;
    }

    private static byte[] rgb(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] out = new byte[3 * w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                out[y * w + x] = (byte) ((rgb >> 16) & 0xff);
                out[w * h + y * w + x] = (byte) ((rgb >> 8) & 0xff);
                out[2 * w * h + y * w + x] = (byte) (rgb & 0xff);
            }
        }
        return out;
    }
}
