package org.score4j.api.io;

import java.io.IOException;
import java.nio.file.Path;

/** A tensor file that is not what it claims to be, or asks for more memory than allowed; the message says why. */
public final class MalformedTensorFileException extends IOException {
    private static final long serialVersionUID = 1L;

    public MalformedTensorFileException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
