package org.score4j.models.ncsn;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** The zip layout the NCSN models save in: a {@code model.properties} entry with the format, then binary entries. */
final class ModelArchive {
    static final String PROPERTIES = "model.properties";

    private ModelArchive() {
    }

    /** Every entry of the archive by name. */
    static Map<String, byte[]> read(InputStream in) throws IOException {
        Map<String, byte[]> entries = new HashMap<>();
        ZipInputStream zip = new ZipInputStream(in);
        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
            entries.put(e.getName(), zip.readAllBytes());
        }
        return entries;
    }

    /** The model properties, if the archive has them and they name {@code format}; else null. */
    static Properties properties(Map<String, byte[]> entries, String format) throws IOException {
        byte[] raw = entries.get(PROPERTIES);
        if (raw == null) {
            return null;
        }
        Properties p = new Properties();
        p.load(new ByteArrayInputStream(raw));
        return format.equals(p.getProperty("format")) ? p : null;
    }

    /** Writes the properties entry; the caller adds the binary entries and finishes the zip. */
    static void writeProperties(ZipOutputStream zip, Properties p, String comment) throws IOException {
        zip.putNextEntry(new ZipEntry(PROPERTIES));
        p.store(zip, comment);
        zip.closeEntry();
    }

    /** Writes one binary entry. */
    static void write(ZipOutputStream zip, String name, Writer body) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        body.write(zip);
        zip.closeEntry();
    }

    @FunctionalInterface
    interface Writer {
        void write(OutputStream out) throws IOException;
    }
}
