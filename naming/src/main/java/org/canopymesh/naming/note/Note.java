package org.canopymesh.naming.note;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A C2SP signed note (c2sp.org/signed-note): a text ending in a newline, a blank line, and one or
 * more signature lines. The text is what is signed, byte for byte.
 *
 * <p>{@link #parse} checks only the syntax and the limits; {@link #verify} checks signatures
 * against known keys. Signatures from unknown keys are kept, ignored by verification, and written
 * back by {@link #format()} unchanged.
 */
public final class Note {
  static final String SIGNATURE_PREFIX = "\u2014 ";

  private final String text;
  private final byte[] textBytes;
  private final List<NoteSignature> signatures;

  private Note(String text, List<NoteSignature> signatures) {
    this.text = text;
    this.textBytes = text.getBytes(StandardCharsets.UTF_8);
    this.signatures = List.copyOf(signatures);
  }

  /** An unsigned note with {@code text}, to be signed with {@link #sign}. */
  public static Note unsigned(String text) {
    checkText(text);
    return new Note(text, List.of());
  }

  /** Parses an encoded note with the default limits. */
  public static Note parse(byte[] encoded) {
    return parse(encoded, NoteLimits.DEFAULT);
  }

  public static Note parse(String encoded) {
    return parse(encoded.getBytes(StandardCharsets.UTF_8), NoteLimits.DEFAULT);
  }

  /** Parses an encoded note: UTF-8, no control characters but newline, within {@code limits}. */
  public static Note parse(byte[] encoded, NoteLimits limits) {
    if (encoded.length > limits.maxBytes()) {
      throw new NoteFormatException(
          "the note is "
              + encoded.length
              + " bytes; at most "
              + limits.maxBytes()
              + " are allowed");
    }
    String msg = decodeUtf8(encoded);
    checkCharacters(msg);
    int split = msg.lastIndexOf("\n\n");
    if (split < 0) {
      throw new NoteFormatException("the note has no blank line before its signatures");
    }
    String text = msg.substring(0, split + 1);
    String sigs = msg.substring(split + 2);
    if (sigs.isEmpty() || !sigs.endsWith("\n")) {
      throw new NoteFormatException("the note's signature lines must each end with a newline");
    }
    long lines = text.chars().filter(c -> c == '\n').count();
    if (lines > limits.maxTextLines()) {
      throw new NoteFormatException(
          "the note has " + lines + " lines of text; at most " + limits.maxTextLines());
    }
    String[] sigLines = sigs.substring(0, sigs.length() - 1).split("\n", -1);
    if (sigLines.length > limits.maxSignatures()) {
      throw new NoteFormatException(
          "the note has "
              + sigLines.length
              + " signatures; at most "
              + limits.maxSignatures()
              + " are allowed");
    }
    List<NoteSignature> parsed = new ArrayList<>(sigLines.length);
    for (String line : sigLines) {
      parsed.add(parseSignatureLine(line));
    }
    return new Note(text, parsed);
  }

  private static NoteSignature parseSignatureLine(String line) {
    if (!line.startsWith(SIGNATURE_PREFIX)) {
      throw new NoteFormatException("a signature line must start with an em dash and a space");
    }
    String rest = line.substring(SIGNATURE_PREFIX.length());
    int space = rest.indexOf(' ');
    if (space <= 0) {
      throw new NoteFormatException("a signature line must be \"\u2014 <key name> <base64>\"");
    }
    String name = rest.substring(0, space);
    if (!isValidKeyName(name)) {
      throw new NoteFormatException("a signature line has an invalid key name");
    }
    byte[] raw;
    try {
      raw = StrictBase64.decode(rest.substring(space + 1));
    } catch (IllegalArgumentException e) {
      throw new NoteFormatException("the signature of key " + name + " is not valid base64");
    }
    if (raw.length < 5) {
      throw new NoteFormatException("the signature of key " + name + " is too short");
    }
    int id = ByteBuffer.wrap(raw, 0, 4).getInt();
    byte[] sig = new byte[raw.length - 4];
    System.arraycopy(raw, 4, sig, 0, sig.length);
    return new NoteSignature(name, id, sig);
  }

  /** Key names are non-empty and contain no Unicode space and no {@code +}. */
  public static boolean isValidKeyName(String name) {
    if (name == null || name.isEmpty()) {
      return false;
    }
    return name.codePoints().noneMatch(c -> c == '+' || isUnicodeSpace(c) || c < 0x20);
  }

  private static boolean isUnicodeSpace(int c) {
    // Go's unicode.IsSpace: the Unicode White_Space property.
    return Character.isWhitespace(c)
        || Character.isSpaceChar(c)
        || c == 0x85
        || c == 0xA0
        || c == 0x2007
        || c == 0x202F;
  }

  private static String decodeUtf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new NoteFormatException("the note is not valid UTF-8");
    }
  }

  private static void checkCharacters(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n') {
        throw new NoteFormatException(
            "the note contains the control character U+" + String.format("%04X", (int) c));
      }
    }
  }

  private static void checkText(String text) {
    if (text.isEmpty() || !text.endsWith("\n")) {
      throw new NoteFormatException("a note's text must end with a newline");
    }
    checkCharacters(text);
    if (!StandardCharsets.UTF_8.newEncoder().canEncode(text)) {
      throw new NoteFormatException("a note's text must be valid Unicode");
    }
  }

  /** The signed text, ending in a newline. */
  public String text() {
    return text;
  }

  /** The signed text in UTF-8; a copy. */
  public byte[] textBytes() {
    return textBytes.clone();
  }

  /** Every signature line, verified or not, in order. */
  public List<NoteSignature> signatures() {
    return signatures;
  }

  /**
   * This note with signatures by {@code signers} added after the existing ones; an existing
   * signature by the same key name and ID is replaced.
   */
  public Note sign(NoteSigner... signers) {
    Map<String, NoteSignature> fresh = new LinkedHashMap<>();
    for (NoteSigner s : signers) {
      fresh.put(
          s.keyName() + "+" + s.keyId(),
          new NoteSignature(s.keyName(), s.keyId(), s.sign(textBytes)));
    }
    List<NoteSignature> all = new ArrayList<>();
    for (NoteSignature old : signatures) {
      if (!fresh.containsKey(old.keyName() + "+" + old.keyId())) {
        all.add(old);
      }
    }
    all.addAll(fresh.values());
    return new Note(text, all);
  }

  /** This note with {@code signature} added, or replacing one by the same key name and ID. */
  public Note withSignature(NoteSignature signature) {
    List<NoteSignature> all = new ArrayList<>();
    for (NoteSignature old : signatures) {
      if (!old.isBy(signature.keyName(), signature.keyId())) {
        all.add(old);
      }
    }
    all.add(signature);
    return new Note(text, all);
  }

  /**
   * Checks the signatures of the known keys. Every signature line by a known key must verify; lines
   * by other keys are ignored; at least one known key must have signed.
   *
   * @return the known keys whose signatures verified, in the order given
   * @throws NoteVerificationException if a known key's signature fails, if two known keys share a
   *     name and ID, or if no known key signed
   */
  public List<NoteVerifier> verify(Collection<? extends NoteVerifier> known) {
    Set<NoteVerifier> verified = new HashSet<>();
    for (NoteSignature sig : signatures) {
      NoteVerifier match = null;
      for (NoteVerifier v : known) {
        if (sig.isBy(v.keyName(), v.keyId())) {
          if (match != null) {
            throw new NoteVerificationException("two known keys are named " + sig);
          }
          match = v;
        }
      }
      if (match == null || verified.contains(match)) {
        continue;
      }
      if (!match.verify(textBytes, sig.signature())) {
        throw new NoteVerificationException("the signature by " + sig + " does not verify");
      }
      verified.add(match);
    }
    if (verified.isEmpty()) {
      throw new NoteVerificationException("the note is not signed by any known key");
    }
    List<NoteVerifier> ordered = new ArrayList<>();
    for (NoteVerifier v : known) {
      if (verified.contains(v)) {
        ordered.add(v);
      }
    }
    return ordered;
  }

  /** Whether {@code key} signed this note and every line it signed verifies. */
  public boolean isSignedBy(NoteVerifier key) {
    boolean signed = false;
    for (NoteSignature sig : signatures) {
      if (sig.isBy(key.keyName(), key.keyId())) {
        if (!key.verify(textBytes, sig.signature())) {
          return false; // as in verify(): a failing line by a known key spoils the note
        }
        signed = true;
      }
    }
    return signed;
  }

  /** The encoded note: text, blank line, signature lines. */
  public String format() {
    StringBuilder sb = new StringBuilder(text.length() + 128 * signatures.size());
    sb.append(text).append('\n');
    for (NoteSignature s : signatures) {
      sb.append(s.line()).append('\n');
    }
    return sb.toString();
  }

  /** {@link #format()} in UTF-8. */
  public byte[] encoded() {
    return format().getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Note n && text.equals(n.text) && signatures.equals(n.signatures);
  }

  @Override
  public int hashCode() {
    return 31 * text.hashCode() + signatures.hashCode();
  }

  @Override
  public String toString() {
    return format();
  }
}
