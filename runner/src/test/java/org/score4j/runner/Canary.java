package org.score4j.runner;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A "gadget" for the hostile-input tests: deserializing it writes a marker file, so a test can tell whether a file it
 * gave score4j was deserialized.
 */
final class Canary implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String marker;

    Canary(Path marker) {
        this.marker = marker.toString();
    }

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        Files.writeString(Path.of(marker), "deserialized");
    }
}
