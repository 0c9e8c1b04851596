package org.canopymesh.agent.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Files that are either wholly there or not at all: written to a temporary name in the same
 * directory, forced to disk, renamed over the target, and the directory forced too, so that a crash
 * or power cut at any point never leaves half a file under the real name. Everything the agent
 * keeps in its state directory (the log copies' state, registered records, queued reports, the
 * report sequence) is written this way.
 */
public final class AtomicFiles {
  public static final String TEMP_SUFFIX = ".tmp";

  private AtomicFiles() {}

  /** Writes {@code bytes} as {@code target}, creating its directory if needed. */
  public static void write(Path target, byte[] bytes) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = dir.resolve("." + target.getFileName() + TEMP_SUFFIX);
    try (FileChannel ch =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDirectory(dir);
  }

  /** Deletes {@code file} and makes the deletion durable; false if there was none. */
  public static boolean delete(Path file) throws IOException {
    if (!Files.deleteIfExists(file)) {
      return false;
    }
    syncDirectory(file.toAbsolutePath().getParent());
    return true;
  }

  /** Forces a directory's entries to disk (renames and deletions in it). */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
