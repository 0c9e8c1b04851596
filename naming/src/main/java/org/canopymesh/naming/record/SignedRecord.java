package org.canopymesh.naming.record;

import static org.canopymesh.naming.record.InvalidRecordException.Reason.BAD_SIGNATURE;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.MALFORMED_NOTE;
import static org.canopymesh.naming.record.InvalidRecordException.Reason.TOO_LARGE;

import java.nio.charset.StandardCharsets;
import org.canopymesh.naming.key.SigningKey;
import org.canopymesh.naming.note.Note;
import org.canopymesh.naming.note.NoteFormatException;
import org.canopymesh.naming.note.NoteKeys;
import org.canopymesh.naming.note.NoteLimits;
import org.canopymesh.naming.note.NoteVerifier;

/**
 * A record and the note that carries it, whose signature by the record's own key has been checked.
 * Instances exist only for records that pass every rule independent of clock and zone.
 */
public final class SignedRecord {
  /** A record note is at most 4 KiB: NodeInfo holds 16 KiB in all, for several records. */
  public static final int MAX_BYTES = 4096;

  static final NoteLimits LIMITS = new NoteLimits(MAX_BYTES, 64, 16);

  private final NameRecord record;
  private final Note note;

  private SignedRecord(NameRecord record, Note note) {
    this.record = record;
    this.note = note;
  }

  /**
   * Parses and checks an encoded record note: size, note syntax, fields, name, address, signature
   * by the address's key, lifetime.
   *
   * @throws InvalidRecordException naming the first rule the note breaks
   */
  public static SignedRecord parse(byte[] encoded) {
    SignedRecord r = parseUnverified(encoded);
    if (!r.note.isSignedBy(verifier(r.record))) {
      throw new InvalidRecordException(
          BAD_SIGNATURE, "the record is not signed by the key of " + r.record.address());
    }
    return r;
  }

  /**
   * Parses a record whose signature was verified before and whose bytes have been authenticated
   * since: an entry of a log whose tree its own process has just checked against the checkpoint it
   * signed, say. Every rule is checked but the signature, which is what dominates the cost of
   * {@link #parse}. Never use it on bytes that arrive from elsewhere.
   *
   * @throws InvalidRecordException naming the first rule the note breaks
   */
  public static SignedRecord parseAuthenticated(byte[] encoded) {
    return parseUnverified(encoded);
  }

  private static SignedRecord parseUnverified(byte[] encoded) {
    if (encoded.length > MAX_BYTES) {
      throw new InvalidRecordException(
          TOO_LARGE, "the record is " + encoded.length + " bytes; at most " + MAX_BYTES);
    }
    Note note;
    try {
      note = Note.parse(encoded, LIMITS);
    } catch (NoteFormatException e) {
      throw new InvalidRecordException(MALFORMED_NOTE, e.getMessage());
    }
    return new SignedRecord(RecordBody.parse(note.text()), note);
  }

  public static SignedRecord parse(String encoded) {
    return parse(encoded.getBytes(StandardCharsets.UTF_8));
  }

  static SignedRecord sign(NameRecord record, SigningKey owner) {
    if (!owner.verifyingKey().equals(record.key())) {
      throw new IllegalArgumentException("a record is signed by its own key, " + record.key());
    }
    NoteVerifier v = verifier(record);
    Note note = Note.unsigned(record.body()).sign(NoteKeys.signer(v.keyName(), owner));
    return new SignedRecord(record, note);
  }

  /** The verifier whose key name is the record's address, as the format requires. */
  private static NoteVerifier verifier(NameRecord record) {
    return NoteKeys.verifier(record.address().toString(), record.key());
  }

  /** The parsed content. */
  public NameRecord record() {
    return record;
  }

  /** The note as received; its text is {@code record().body()}. */
  public Note note() {
    return note;
  }

  /** The encoded note. */
  public String format() {
    return note.format();
  }

  public byte[] encoded() {
    return note.encoded();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedRecord r && note.equals(r.note);
  }

  @Override
  public int hashCode() {
    return note.hashCode();
  }

  @Override
  public String toString() {
    return "SignedRecord[" + record.name() + " seq " + Long.toUnsignedString(record.seq()) + "]";
  }
}
