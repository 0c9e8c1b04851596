package org.canopymesh.naming.checkpoint;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.canopymesh.naming.log.LogHashes;
import org.canopymesh.naming.note.Note;
import org.canopymesh.naming.note.NoteSigner;
import org.canopymesh.naming.note.NoteVerifier;
import org.canopymesh.naming.note.StrictBase64;

/**
 * The body of a C2SP checkpoint (c2sp.org/tlog-checkpoint): origin, tree size and root hash, one a
 * line, then optional extension lines. Signed as a note by the log's key.
 *
 * @param origin the log's identity, e.g. {@code mirror.example/canopy}; no spaces or {@code +}
 * @param size leaves in the tree
 * @param rootHash the RFC 9162 root at that size, 32 bytes
 * @param extensions opaque non-empty lines, at most {@link #MAX_EXTENSIONS}
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {
  public static final int MAX_ORIGIN = 255;
  public static final int MAX_EXTENSIONS = 16;
  private static final Pattern TREE_SIZE = Pattern.compile("0|[1-9][0-9]{0,18}");

  public Checkpoint {
    if (!Note.isValidKeyName(origin) || origin.length() > MAX_ORIGIN) {
      throw new CheckpointFormatException(
          "the origin must be 1 to " + MAX_ORIGIN + " characters without spaces or '+'");
    }
    if (size < 0) {
      throw new CheckpointFormatException("a tree size cannot be negative");
    }
    if (rootHash.length != LogHashes.SIZE) {
      throw new CheckpointFormatException("a root hash is 32 bytes, not " + rootHash.length);
    }
    rootHash = rootHash.clone();
    extensions = List.copyOf(extensions);
    if (extensions.size() > MAX_EXTENSIONS) {
      throw new CheckpointFormatException("at most " + MAX_EXTENSIONS + " extension lines");
    }
    for (String e : extensions) {
      if (e.isEmpty() || e.indexOf('\n') >= 0) {
        throw new CheckpointFormatException("an extension line must be one non-empty line");
      }
    }
  }

  public Checkpoint(String origin, long size, byte[] rootHash) {
    this(origin, size, rootHash, List.of());
  }

  /** Parses a note text as a checkpoint body. */
  public static Checkpoint parse(String text) {
    if (!text.endsWith("\n")) {
      throw new CheckpointFormatException("a checkpoint ends with a newline");
    }
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length < 3) {
      throw new CheckpointFormatException("a checkpoint has an origin, a size and a root hash");
    }
    if (!TREE_SIZE.matcher(lines[1]).matches()) {
      throw new CheckpointFormatException("the tree size is not a decimal number");
    }
    long size;
    byte[] root;
    try {
      size = Long.parseLong(lines[1]);
      root = StrictBase64.decode(lines[2]);
    } catch (NumberFormatException e) {
      throw new CheckpointFormatException("the tree size is larger than 2^63-1");
    } catch (IllegalArgumentException e) {
      throw new CheckpointFormatException("the root hash is not base64");
    }
    return new Checkpoint(lines[0], size, root, Arrays.asList(lines).subList(3, lines.length));
  }

  /**
   * Parses a signed checkpoint and checks it is signed by {@code log}, whose key name must be the
   * origin.
   *
   * @throws org.canopymesh.naming.note.NoteVerificationException if {@code log} did not sign it
   */
  public static Checkpoint open(Note note, NoteVerifier log) {
    note.verify(List.of(log));
    Checkpoint c = parse(note.text());
    if (!c.origin.equals(log.keyName())) {
      throw new CheckpointFormatException(
          "the checkpoint's origin " + c.origin + " is not the log key's name " + log.keyName());
    }
    return c;
  }

  /** The note text. */
  public String body() {
    StringBuilder sb = new StringBuilder(origin.length() + 80);
    sb.append(origin).append('\n').append(size).append('\n');
    sb.append(StrictBase64.encode(rootHash)).append('\n');
    for (String e : extensions) {
      sb.append(e).append('\n');
    }
    return sb.toString();
  }

  /** This checkpoint as a note signed by the log's key (whose name should be the origin). */
  public Note sign(NoteSigner log) {
    return Note.unsigned(body()).sign(log);
  }

  @Override
  public byte[] rootHash() {
    return rootHash.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint c
        && origin.equals(c.origin)
        && size == c.size
        && MessageDigest.isEqual(rootHash, c.rootHash)
        && extensions.equals(c.extensions);
  }

  @Override
  public int hashCode() {
    return (origin.hashCode() * 31 + Long.hashCode(size)) * 31 + Arrays.hashCode(rootHash);
  }

  @Override
  public String toString() {
    return origin + "@" + size + ":" + StrictBase64.encode(rootHash);
  }
}
