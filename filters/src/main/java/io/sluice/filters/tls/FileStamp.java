package io.sluice.filters.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The modification time, size and identity of a set of files at one moment: two stamps differ when any file was
 * rewritten, replaced (a new inode, as an atomic rename or a Kubernetes secret's symbolic link swap makes), appeared
 * or disappeared. Symbolic links are followed. Taking a stamp reads file attributes: never on an event loop.
 */
final class FileStamp {

    static final FileStamp NONE = new FileStamp(List.of());

    private final List<String> states;

    private FileStamp(List<String> states) {
        this.states = states;
    }

    static FileStamp of(List<Path> files) {
        List<String> states = new ArrayList<>(files.size());
        for (Path file : files) {
            states.add(state(file));
        }
        return new FileStamp(List.copyOf(states));
    }

    private static String state(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            return file + " " + attributes.lastModifiedTime() + " " + attributes.size() + "B "
                    + attributes.fileKey();
        } catch (IOException e) {
            return file + " unreadable: " + e.getClass().getSimpleName();
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FileStamp stamp && states.equals(stamp.states);
    }

    @Override
    public int hashCode() {
        return Objects.hash(states);
    }

    @Override
    public String toString() {
        return states.toString();
    }
}
